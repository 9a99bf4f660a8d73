#ifndef ctpRunParameterKinds_h
#define ctpRunParameterKinds_h

#include "ctpRunParameters.h"

#include <optional>
#include <string>
#include <utility>

namespace ctp
{
/** \file
 * The kinds of parameter ctpRunParameterTable.cxx declares `ctprep run`'s parameters with: each
 * function makes a RunParameter of a kind (how it is read, checked, recorded, shown in the help) for
 * one field of RunOptions. Every check throws ctp::Error(Usage) naming the parameter (SpellParameter). */
namespace RunParameterKinds
{
/** Throws ctp::Error(Usage): "<parameter>: <problem>". */
[[noreturn]] void
Refuse(const std::string & name, const std::string & problem);

/** The value as a number, a switch or a word, or Refuse. */
double
AsNumber(const std::string & name, const nlohmann::json & value);
bool
AsSwitch(const std::string & name, const nlohmann::json & value);
std::string
AsText(const std::string & name, const nlohmann::json & value);

/** A range check of a number; the problem it reports when the value fails. */
struct Check
{
  bool (*Holds)(double);
  const char * Problem;
};
extern const Check Any;
extern const Check NonNegative;
extern const Check Positive;
extern const Check PassBand; ///< (0, 2]
extern const Check Fraction; ///< [0, 1)

/** `value` when it passes `check`, else Refuse. */
double
Checked(const std::string & name, double value, const Check & check);

using DoubleField = double & (*)(RunOptions &);
using BoolField = bool & (*)(RunOptions &);

/** A parameter with its name, section, kind and help; the other kinds fill in how it is read. */
RunParameter
Declared(const char * name, const char * group, ParameterKind kind, const char * help);

/** A real number in a field. */
RunParameter
Number(const char * name, const char * group, DoubleField field, Check check, const char * help);

/** A switch (ParameterKind::Switch or SwitchOff) in a field. */
RunParameter
Switch(const char * name, const char * group, ParameterKind kind, BoolField field, const char * help);

/** "LOW,HIGH" with LOW < HIGH as [LOW, HIGH]; the JSON pair as (LOW, HIGH). */
nlohmann::json
RangeFromText(const std::string & name, const std::string & text);
std::pair<double, double>
AsRange(const std::string & name, const nlohmann::json & value);

/** A LOW,HIGH pair in two fields. */
RunParameter
Range(const char * name, const char * group, double & (*low)(RunOptions &), double & (*high)(RunOptions &),
      const char * help);

/** A number >= 0 that may be absent (null), in millimetres. */
RunParameter
OptionalNumber(const char * name, const char * group, std::optional<double> & (*field)(RunOptions &),
               const char * help);

/** --spacing: "1" (isotropic), "0.7,0.7,1.25" (x,y,z) or "none" (null); and its check into RunOptions. */
nlohmann::json
SpacingFromText(const std::string & text);
void
SetSpacing(RunOptions & o, const nlohmann::json & v);

/** Words (or any value with its own syntax) read and recorded by `get` and `set`. */
RunParameter
Words(const char * name, const char * group, const char * help, std::function<nlohmann::json(const RunOptions &)> get,
      std::function<void(RunOptions &, const nlohmann::json &)> set);

} // namespace RunParameterKinds
} // namespace ctp

#endif
