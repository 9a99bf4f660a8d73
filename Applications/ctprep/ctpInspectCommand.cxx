#include "ctpInspect.h"
#include "ctpLogger.h"
#include "ctpRenderOutputs.h"
#include "ctpSubcommands.h"

#include <filesystem>

namespace ctp
{
ExitCode
InspectCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep inspect options");
  options.add_options()(
    "path", po::value<std::string>()->required(), "a DICOM file, or a folder (searched recursively)")(
    "group",
    po::value<std::string>()->default_value(""),
    "only elements whose keyword contains this word: Patient, Study, Series, Image (like pydicom's ds.dir())")(
    "tag", po::value<std::string>()->default_value(""), "one element: GGGG,EEEE or a keyword (PatientID)")(
    "series",
    po::value<std::string>()->default_value("", "largest"),
    "folder: the series whose middle file --group, --tag and --png use")(
    "png", po::value<std::string>()->default_value(""), "write the slice as a windowed PNG to this file")(
    "window",
    po::value<std::string>()->default_value("-600,1500"),
    "PNG window CENTER,WIDTH in HU (40,400: soft tissue)")(
    "json", po::bool_switch()->default_value(false), "print JSON for scripts instead of text")(
    "keep-phi",
    po::bool_switch()->default_value(false),
    "show identifying values (names, IDs, birth date, institution)");
  po::variables_map vm;
  if (!ParseSubcommand("inspect", "PATH [options]", options, "path", arguments, vm, out))
  {
    return ExitCode::Success;
  }
  InspectOptions inspect;
  inspect.Path = vm["path"].as<std::string>();
  inspect.Group = vm["group"].as<std::string>();
  inspect.Tag = vm["tag"].as<std::string>();
  inspect.Series = vm["series"].as<std::string>() == "largest" ? std::string() : vm["series"].as<std::string>();
  inspect.Png = vm["png"].as<std::string>();
  inspect.Window = ParseDisplayWindow(vm["window"].as<std::string>());
  inspect.KeepPatientData = vm["keep-phi"].as<bool>();
  const auto result = Inspect(inspect);
  if (vm["json"].as<bool>())
  {
    out << result.dump(2) << "\n";
  }
  else
  {
    out << FormatInspection(result);
  }
  return ExitCode::Success;
}

ExitCode
RenderCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep render options");
  options.add_options()(
    "directory", po::value<std::string>()->required(), "a ctprep run output folder (bone.stl, lungs.stl)")(
    "output,o", po::value<std::string>()->default_value("", "DIRECTORY/render.png"), "PNG to write");
  po::variables_map vm;
  if (!ParseSubcommand("render", "DIRECTORY [-o render.png]", options, "directory", arguments, vm, out))
  {
    return ExitCode::Success;
  }
  const std::string directory = vm["directory"].as<std::string>();
  std::string       png = vm["output"].as<std::string>();
  if (png.empty())
  {
    png = (std::filesystem::path(directory) / "render.png").string();
  }
  std::string reason;
  if (!RenderRunFolder(directory, png, reason))
  {
    throw Error(ErrorKind::ProcessingFailed, png, reason);
  }
  Logger::Info("Wrote " + png);
  return ExitCode::Success;
}

} // namespace ctp
