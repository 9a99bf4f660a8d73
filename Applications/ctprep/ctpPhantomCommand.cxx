#include "ctpChestPhantomWriter.h"
#include "ctpLogger.h"
#include "ctpSubcommands.h"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace ctp
{
namespace
{
const std::string &
QuirkHelp()
{
  static const std::string help = []() {
    std::string text = "real-world trouble to put in the series (repeatable): ";
    for (const auto & [name, outcome] : PhantomQuirks())
    {
      text += name + (outcome == "ok" ? std::string() : " (" + outcome + ")") + ", ";
    }
    return text.substr(0, text.size() - 2);
  }();
  return help;
}

} // namespace

ExitCode
PhantomCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  ChestPhantomParameters  defaults;
  po::options_description options("ctprep phantom options");
  options.add_options()(
    "output", po::value<std::string>()->required(), "output folder: dicom/ and truth/ are written in it")(
    "matrix", po::value<unsigned int>()->default_value(defaults.Matrix), "rows and columns per slice")(
    "slices", po::value<unsigned int>()->default_value(defaults.Slices), "number of slices")(
    "slice-spacing", po::value<double>()->default_value(defaults.SliceSpacing), "mm between slices")(
    "pixel-spacing",
    po::value<double>()->default_value(defaults.PixelSpacing),
    "mm per pixel; 0: a 360 mm field of view (360 / matrix)")(
    "noise", po::value<double>()->default_value(defaults.NoiseSigma), "Gaussian noise sigma in HU")(
    "seed", po::value<uint32_t>()->default_value(defaults.Seed), "random seed (same seed, same phantom)")(
    "feet-first", po::bool_switch()->default_value(false), "feet-first supine orientation (IOP -1,0,0,0,1,0)")(
    "quirk", po::value<std::vector<std::string>>()->multitoken()->composing(), QuirkHelp().c_str())(
    "tilt",
    po::value<double>()->default_value(15.0),
    "gantry tilt in degrees for --quirk gantry-tilt (0 < |tilt| <= 30; written as GantryDetectorTilt)");
  po::variables_map vm;
  if (!ParseSubcommand("phantom", "OUT_DIR [options]", options, "output", arguments, vm, out))
  {
    return ExitCode::Success;
  }
  ChestPhantomParameters parameters;
  parameters.Matrix = vm["matrix"].as<unsigned int>();
  parameters.Slices = vm["slices"].as<unsigned int>();
  parameters.SliceSpacing = vm["slice-spacing"].as<double>();
  parameters.PixelSpacing = vm["pixel-spacing"].as<double>();
  parameters.NoiseSigma = vm["noise"].as<double>();
  parameters.Seed = vm["seed"].as<uint32_t>();
  parameters.FeetFirst = vm["feet-first"].as<bool>();
  const std::vector<std::string> quirks =
    vm.count("quirk") ? vm["quirk"].as<std::vector<std::string>>() : std::vector<std::string>();
  DicomSeriesDescription description;
  if (std::find(quirks.begin(), quirks.end(), "gantry-tilt") != quirks.end())
  {
    description.GantryDetectorTilt = vm["tilt"].as<double>();
  }
  else if (!vm["tilt"].defaulted())
  {
    throw Error(ErrorKind::Usage, "--tilt needs --quirk gantry-tilt");
  }
  const auto         written = WriteChestPhantom(parameters, vm["output"].as<std::string>(), description, quirks);
  std::ostringstream message;
  message << "Phantom written: " << parameters.Slices << " slices in " << written.DicomDirectory
          << "\n  ground truth in " << written.TruthDirectory << " (lungs " << std::fixed << std::setprecision(1)
          << written.LungVolumeMl << " mL)";
  Logger::Info(message.str());
  return ExitCode::Success;
}
} // namespace ctp
