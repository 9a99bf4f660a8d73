#ifndef ctpRunParameters_h
#define ctpRunParameters_h

#include "ctpRunOptions.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace ctp
{
/** How a parameter's value is written (on a command line, in a parameter file). */
enum class ParameterKind
{
  Number,         ///< a real number
  Integer,        ///< a whole number
  Text,           ///< a word, or a value with its own syntax (spacing "1" or "0.7,0.7,1.25" or "none")
  Switch,         ///< off unless given
  SwitchOff,      ///< on unless turned off (the command line offers the switch that turns it off)
  OptionalNumber, ///< absent unless given (then a real number)
};

/** \brief One parameter of `ctprep run`, declared once: its name, default, help, validation and record.
 *
 * The name is the parameter's key in ctprep.json "parameters" and in parameter files; the application
 * derives its command-line flag from it (ApplicationFlag), the library never spells flags (errors name
 * the parameter through SpellParameter). Values are JSON as ctprep.json records them. */
struct RunParameter
{
  std::string   Name;
  std::string   Group; ///< "Series", "Preprocessing", "Surfaces" or "Outputs" (the help's sections)
  ParameterKind Kind{ ParameterKind::Number };
  std::string   Help;
  std::string   ValueName;        ///< in the help: --crop-to-lungs MM; empty: "arg"
  std::string   DefaultText;      ///< in the help, when the default is better said than printed ("largest")
  bool          Recorded{ true }; ///< in ctprep.json and parameter files (false: a limit of this machine)
  /** The value in `options`, as ctprep.json records it. */
  std::function<nlohmann::json(const RunOptions &)> Get;
  /** Sets the value into `options` after checking it; throws ctp::Error(Usage) naming the parameter. */
  std::function<void(RunOptions &, const nlohmann::json &)> Set;
  /** The value written as text (a command-line argument) as JSON; empty: by Kind (a number, the word). */
  std::function<nlohmann::json(const std::string &)> FromText;

  /** `text` as this parameter's value (FromText, or by Kind); throws ctp::Error(Usage). */
  nlohmann::json
  Parse(const std::string & text) const;
  /** The default value as text (the help's "(=...)"). */
  std::string
  DefaultAsText() const;
};

/** Every parameter of `ctprep run`, in the help's order. */
const std::vector<RunParameter> &
RunParameters();

/** The parameters of `options` that ctprep.json records, by name. */
nlohmann::json
RecordedParameters(const RunOptions & options);

/** Sets every recorded parameter a parameter file (`{"parameters": {...}}`, as ctprep.json writes
 *  them, or the bare object) gives; unknown names are an error. Throws ctp::Error. */
void
ApplyParameters(RunOptions & options, const nlohmann::json & parameters, const std::string & source);

/** Reads a parameter file (ApplyParameters) into `options`. Throws ctp::Error naming the file. */
void
ReadParameterFile(RunOptions & options, const std::string & path);

/** Writes the recorded parameters of `options` as a parameter file, atomically. */
void
WriteParameterFile(const RunOptions & options, const std::string & path);

/** The checks between parameters (normalize range, render needs surfaces); throws ctp::Error(Usage). */
void
CheckRunOptions(RunOptions & options);

/** A parameter's value as text, as it is given on a command line ("1", "0.25", "-20,30", "nrrd,nii"). */
std::string
ParameterText(const nlohmann::json & value);

} // namespace ctp

#endif
