#include "ctpParameterSpelling.h"
#include "ctpSubcommands.h"

#include <algorithm>
#include <map>

namespace ctp
{
namespace
{
const RunParameter *
FindRunParameter(const std::string & name)
{
  const auto & all = RunParameters();
  const auto   p = std::find_if(all.begin(), all.end(), [&](const RunParameter & q) { return q.Name == name; });
  return p == all.end() ? nullptr : &*p;
}

bool
IsSwitch(const RunParameter & p)
{
  return p.Kind == ParameterKind::Switch || p.Kind == ParameterKind::SwitchOff;
}

/** Calls `given(parameter, flag)` for each run parameter given on the command line (not left at its
 *  default), but those in `except`. */
template <typename TGiven>
void
ForEachGiven(const po::variables_map & vm, const std::set<std::string> & except, TGiven given)
{
  for (const auto & p : RunParameters())
  {
    const std::string flag = FlagOf(p.Name);
    if (!except.count(p.Name) && vm.count(flag) && !vm[flag].defaulted())
    {
      given(p, flag);
    }
  }
}

/** The help's section titles, in order. */
const char * const Sections[] = { "Series", "Preprocessing", "Surfaces", "Outputs" };
} // namespace

std::string
FlagOf(const std::string & parameter)
{
  static const std::map<std::string, std::string> shorter = {
    { "lung_threshold_hu", "lung-threshold" }, { "spacing_mm", "spacing" },  { "crop_to_lungs_mm", "crop-to-lungs" },
    { "mask_input_mm", "mask-input" },         { "decimation", "decimate" }, { "formats", "format" },
    { "max_memory_gib", "max-memory" },
  };
  if (const auto it = shorter.find(parameter); it != shorter.end())
  {
    return it->second;
  }
  std::string flag = parameter;
  std::replace(flag.begin(), flag.end(), '_', '-');
  const RunParameter * p = FindRunParameter(parameter);
  return p != nullptr && p->Kind == ParameterKind::SwitchOff ? "no-" + flag : flag;
}

void
SpellParametersAsFlags()
{
  SetParameterSpelling([](const std::string & name) { return "--" + FlagOf(name); });
}

po::options_description
RunParameterOptions(const std::set<std::string> & groups, const std::set<std::string> & except)
{
  po::options_description all;
  for (const char * section : Sections)
  {
    if (!groups.count(section))
    {
      continue;
    }
    po::options_description options(section);
    for (const auto & p : RunParameters())
    {
      if (p.Group != section || except.count(p.Name))
      {
        continue;
      }
      const std::string flag = FlagOf(p.Name);
      if (IsSwitch(p))
      {
        options.add_options()(flag.c_str(), po::bool_switch()->default_value(false), p.Help.c_str());
        continue;
      }
      auto * value = po::value<std::string>();
      if (p.Kind != ParameterKind::OptionalNumber)
      {
        value->default_value(p.DefaultAsText());
      }
      if (!p.ValueName.empty())
      {
        value->value_name(p.ValueName);
      }
      options.add_options()(flag.c_str(), value, p.Help.c_str());
    }
    all.add(options);
  }
  return all;
}

void
TakeRunParameters(const po::variables_map & vm, RunOptions & options, const std::set<std::string> & except)
{
  ForEachGiven(vm, except, [&](const RunParameter & p, const std::string & flag) {
    if (!IsSwitch(p))
    {
      p.Set(options, p.Parse(vm[flag].as<std::string>()));
    }
    else if (vm[flag].as<bool>())
    {
      p.Set(options, p.Kind == ParameterKind::Switch); // the switch that turns a SwitchOff parameter off
    }
  });
}

std::vector<std::string>
GivenRunParameters(const po::variables_map & vm, const std::set<std::string> & except)
{
  std::vector<std::string> words;
  ForEachGiven(vm, except, [&](const RunParameter & p, const std::string & flag) {
    if (!IsSwitch(p))
    {
      words.push_back("--" + flag + "=" + vm[flag].as<std::string>());
    }
    else if (vm[flag].as<bool>())
    {
      words.push_back("--" + flag);
    }
  });
  return words;
}

} // namespace ctp
