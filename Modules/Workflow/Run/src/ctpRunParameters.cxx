#include "ctpRunParameters.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpLogger.h"
#include "ctpParameterSpelling.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace ctp
{
nlohmann::json
RunParameter::Parse(const std::string & text) const
{
  if (FromText)
  {
    return FromText(text);
  }
  try
  {
    size_t used = 0;
    switch (Kind)
    {
      case ParameterKind::Number:
      case ParameterKind::OptionalNumber: {
        const double value = std::stod(text, &used);
        if (used == text.size())
        {
          return value;
        }
        break;
      }
      case ParameterKind::Integer: {
        const long value = std::stol(text, &used);
        if (used == text.size())
        {
          return value;
        }
        break;
      }
      case ParameterKind::Switch:
      case ParameterKind::SwitchOff:
        if (text == "true" || text == "false")
        {
          return text == "true";
        }
        break;
      case ParameterKind::Text:
        return text;
    }
  }
  catch (const std::exception &)
  {}
  throw Error(ErrorKind::Usage,
              SpellParameter(Name) + ": '" + text + "' is not " +
                (Kind == ParameterKind::Integer ? "a whole number" : "a number"));
}

std::string
RunParameter::DefaultAsText() const
{
  return DefaultText.empty() ? ParameterText(Get(RunOptions{})) : DefaultText;
}

nlohmann::json
RecordedParameters(const RunOptions & options)
{
  nlohmann::json recorded = nlohmann::json::object();
  for (const auto & p : RunParameters())
  {
    if (p.Recorded)
    {
      recorded[p.Name] = p.Get(options);
    }
  }
  return recorded;
}

void
ApplyParameters(RunOptions & options, const nlohmann::json & parameters, const std::string & source)
{
  const nlohmann::json & values = parameters.contains("parameters") ? parameters.at("parameters") : parameters;
  if (!values.is_object())
  {
    throw Error(ErrorKind::InvalidInput, source, "holds no object of parameters");
  }
  for (const auto & [name, value] : values.items())
  {
    const auto & all = RunParameters();
    const auto   p = std::find_if(all.begin(), all.end(), [&](const RunParameter & q) { return q.Name == name; });
    if (p == all.end())
    {
      throw Error(ErrorKind::InvalidInput, source, "unknown parameter '" + name + "'");
    }
    p->Set(options, value);
  }
}

void
ReadParameterFile(RunOptions & options, const std::string & path)
{
  std::ifstream in(path);
  if (!in)
  {
    throw Error(ErrorKind::InvalidInput, path, "cannot read the parameter file");
  }
  nlohmann::json parameters;
  try
  {
    parameters = nlohmann::json::parse(in);
  }
  catch (const nlohmann::json::exception & e)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("is not JSON: ") + e.what());
  }
  ApplyParameters(options, parameters, path);
}

void
WriteParameterFile(const RunOptions & options, const std::string & path)
{
  const nlohmann::json file = { { "parameters", RecordedParameters(options) },
                                { "note",
                                  "the parameters of ctprep run, by name (a parameter file: ctprep run " +
                                    SpellParameter("parameters") + " FILE)" } };
  WriteTextFileAtomically(path, file.dump(2) + "\n");
}

void
CheckRunOptions(RunOptions & options)
{
  options.Render = options.Render && options.Mesh; // render.png is a picture of the surfaces
  if ((options.CropToLungsMm || options.MaskInputMm) && !options.Lesions)
  {
    Logger::Info(SpellParameter("crop_to_lungs_mm") + " / " + SpellParameter("mask_input_mm") +
                 " use the classic aerated mask (" + SpellParameter("lesions") +
                 "): lesions against the chest wall may be cut or masked away");
  }
}

std::string
ParameterText(const nlohmann::json & value)
{
  if (value.is_null())
  {
    return "none";
  }
  if (value.is_string())
  {
    return value.get<std::string>();
  }
  if (value.is_number_float())
  {
    std::ostringstream text;
    text << value.get<double>();
    return text.str();
  }
  if (value.is_array())
  {
    std::string text;
    for (const auto & item : value)
    {
      text += (text.empty() ? "" : ",") + ParameterText(item);
    }
    return text;
  }
  return value.dump();
}

} // namespace ctp
