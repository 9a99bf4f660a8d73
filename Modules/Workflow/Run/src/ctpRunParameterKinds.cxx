// The kinds of run parameter the table (ctpRunParameterTable.cxx) is made of: how a number, a switch, a
// range, an optional number, a spacing or words are read, checked and recorded.
#include "ctpRunParameterKinds.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include <algorithm>
#include <regex>
#include <sstream>

namespace ctp
{
namespace RunParameterKinds
{
[[noreturn]] void
Refuse(const std::string & name, const std::string & problem)
{
  throw Error(ErrorKind::Usage, SpellParameter(name) + ": " + problem);
}

double
AsNumber(const std::string & name, const nlohmann::json & value)
{
  if (!value.is_number())
  {
    Refuse(name, "'" + ParameterText(value) + "' is not a number");
  }
  return value.get<double>();
}

bool
AsSwitch(const std::string & name, const nlohmann::json & value)
{
  if (!value.is_boolean())
  {
    Refuse(name, "'" + ParameterText(value) + "' is not true or false");
  }
  return value.get<bool>();
}

std::string
AsText(const std::string & name, const nlohmann::json & value)
{
  if (!value.is_string())
  {
    Refuse(name, "'" + ParameterText(value) + "' is not a word");
  }
  return value.get<std::string>();
}

const Check Any{ [](double) { return true; }, "" };
const Check NonNegative{ [](double v) { return v >= 0.0; }, "must be >= 0" };
const Check Positive{ [](double v) { return v > 0.0; }, "must be > 0" };
const Check PassBand{ [](double v) { return v > 0.0 && v <= 2.0; }, "must be in (0, 2]" };
const Check Fraction{ [](double v) { return v >= 0.0 && v < 1.0; }, "must be in [0, 1)" };

double
Checked(const std::string & name, double value, const Check & check)
{
  if (!check.Holds(value))
  {
    std::ostringstream text;
    text << value << " " << check.Problem;
    Refuse(name, text.str());
  }
  return value;
}

RunParameter
Declared(const char * name, const char * group, ParameterKind kind, const char * help)
{
  RunParameter p;
  p.Name = name;
  p.Group = group;
  p.Kind = kind;
  p.Help = help;
  return p;
}

RunParameter
Number(const char * name, const char * group, DoubleField field, Check check, const char * help)
{
  RunParameter p = Declared(name, group, ParameterKind::Number, help);
  p.Get = [field](const RunOptions & o) { return nlohmann::json(field(const_cast<RunOptions &>(o))); };
  p.Set = [field, check, n = p.Name](RunOptions & o, const nlohmann::json & v) {
    field(o) = Checked(n, AsNumber(n, v), check);
  };
  return p;
}

RunParameter
Switch(const char * name, const char * group, ParameterKind kind, BoolField field, const char * help)
{
  RunParameter p = Declared(name, group, kind, help);
  p.Get = [field](const RunOptions & o) { return nlohmann::json(field(const_cast<RunOptions &>(o))); };
  p.Set = [field, n = p.Name](RunOptions & o, const nlohmann::json & v) { field(o) = AsSwitch(n, v); };
  return p;
}

/** "LOW,HIGH" with LOW < HIGH as [LOW, HIGH]. */
nlohmann::json
RangeFromText(const std::string & name, const std::string & text)
{
  std::smatch      match;
  const std::regex number(R"(\s*(-?[0-9]+(?:\.[0-9]*)?)\s*,\s*(-?[0-9]+(?:\.[0-9]*)?)\s*)");
  if (!std::regex_match(text, match, number))
  {
    Refuse(name, "'" + text + "' is not LOW,HIGH with LOW < HIGH");
  }
  return nlohmann::json::array({ std::stod(match[1]), std::stod(match[2]) });
}

std::pair<double, double>
AsRange(const std::string & name, const nlohmann::json & value)
{
  if (!value.is_array() || value.size() != 2 || !value[0].is_number() || !value[1].is_number() ||
      !(value[0].get<double>() < value[1].get<double>()))
  {
    Refuse(name, "'" + ParameterText(value) + "' is not LOW,HIGH with LOW < HIGH");
  }
  return { value[0].get<double>(), value[1].get<double>() };
}

RunParameter
Range(const char * name, const char * group, double & (*low)(RunOptions &), double & (*high)(RunOptions &),
      const char * help)
{
  RunParameter p = Declared(name, group, ParameterKind::Text, help);
  p.ValueName = "LOW,HIGH";
  p.Get = [low, high](const RunOptions & o) {
    auto & m = const_cast<RunOptions &>(o);
    return nlohmann::json::array({ low(m), high(m) });
  };
  p.Set = [low, high, n = p.Name](RunOptions & o, const nlohmann::json & v) {
    std::tie(low(o), high(o)) = AsRange(n, v);
  };
  p.FromText = [n = p.Name](const std::string & text) { return RangeFromText(n, text); };
  return p;
}

RunParameter
OptionalNumber(const char * name, const char * group, std::optional<double> & (*field)(RunOptions &), const char * help)
{
  RunParameter p = Declared(name, group, ParameterKind::OptionalNumber, help);
  p.ValueName = "MM";
  p.Get = [field](const RunOptions & o) {
    const auto & value = field(const_cast<RunOptions &>(o));
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  p.Set = [field, n = p.Name](RunOptions & o, const nlohmann::json & v) {
    field(o) = v.is_null() ? std::nullopt : std::optional<double>(Checked(n, AsNumber(n, v), NonNegative));
  };
  return p;
}

/** --spacing: "1" (isotropic), "0.7,0.7,1.25" (x,y,z) or "none" (the original grid: null). */
nlohmann::json
SpacingFromText(const std::string & text)
{
  if (text == "none")
  {
    return nullptr;
  }
  nlohmann::json     values = nlohmann::json::array();
  std::istringstream in(text);
  std::string        item;
  while (std::getline(in, item, ','))
  {
    try
    {
      size_t used = 0;
      values.push_back(std::stod(item, &used));
      if (used != item.size() || !(values.back().get<double>() > 0.0))
      {
        throw std::invalid_argument(item);
      }
    }
    catch (const std::exception &)
    {
      Refuse("spacing_mm", "'" + text + "' is not a positive number, three (x,y,z) or none");
    }
  }
  if (values.size() == 1)
  {
    return nlohmann::json::array({ values[0], values[0], values[0] });
  }
  return values;
}

void
SetSpacing(RunOptions & o, const nlohmann::json & v)
{
  if (v.is_null())
  {
    o.Spacing.reset();
    return;
  }
  if (!v.is_array() || v.size() != 3 ||
      !std::all_of(v.begin(), v.end(), [](const nlohmann::json & x) { return x.is_number() && x.get<double>() > 0.0; }))
  {
    Refuse("spacing_mm", "'" + ParameterText(v) + "' is not a positive number, three (x,y,z) or none");
  }
  o.Spacing = v.get<std::array<double, 3>>();
}

RunParameter
Words(const char * name, const char * group, const char * help, std::function<nlohmann::json(const RunOptions &)> get,
      std::function<void(RunOptions &, const nlohmann::json &)> set)
{
  RunParameter p = Declared(name, group, ParameterKind::Text, help);
  p.Get = std::move(get);
  p.Set = std::move(set);
  return p;
}

} // namespace RunParameterKinds
} // namespace ctp
