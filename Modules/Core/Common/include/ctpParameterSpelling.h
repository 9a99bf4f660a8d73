#ifndef ctpParameterSpelling_h
#define ctpParameterSpelling_h

#include <functional>
#include <string>

namespace ctp
{
/** \brief How a parameter is named in what the library says (errors, decisions, ctprep.json notes).
 *
 * The library names a parameter by its own name ("keep_tilt", "spacing_mm"), never by a command-line
 * flag: the application knows its flags and installs a spelling that maps names to them ("--keep-tilt",
 * "--spacing"). Without one, a parameter is spelt by its name, as a caller of the library knows it.
 * Install the spelling once at start-up, before any other thread runs. */
using ParameterSpelling = std::function<std::string(const std::string & name)>;

/** The parameter `name` as the user gave it. */
std::string
SpellParameter(const std::string & name);

/** Installs how parameters are spelt (an empty function restores the names themselves). */
void
SetParameterSpelling(ParameterSpelling spelling);

} // namespace ctp

#endif
