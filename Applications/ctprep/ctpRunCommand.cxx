#include "ctpAtomicOutputFile.h"
#include "ctpLogger.h"
#include "ctpRunPipeline.h"
#include "ctpSubcommands.h"
#include "ctpVolumeWriter.h"

#include "itkMacro.h"

#include <filesystem>
#include <iomanip>
#include <regex>
#include <sstream>

namespace ctp
{
namespace
{
/** The one-line summary of a finished run. */
std::string
DoneMessage(const RunRecord & record, const std::string & directory)
{
  const auto &       size = record.OutputGeometry.Size;
  const auto &       lungs = record.Lungs;
  std::ostringstream message;
  message << "Done in " << std::fixed << std::setprecision(1) << record.Seconds.back().second << " s: " << size[0]
          << "x" << size[1] << "x" << size[2] << " voxels, lungs " << std::setprecision(2)
          << (lungs.RightMl() + lungs.LeftMl()) / 1000.0 << " L (right " << lungs.RightMl() / 1000.0 << ", left "
          << lungs.LeftMl() / 1000.0 << ")";
  if (!lungs.DenseRegions.empty())
  {
    message << ", " << lungs.DenseRegions.size() << " dense region(s) taken in, " << std::setprecision(0)
            << lungs.RightDenseMl + lungs.LeftDenseMl << " mL";
  }
  message << ". Outputs in " << directory << ":";
  for (const auto & file : record.Outputs)
  {
    message << "\n  " << (std::filesystem::path(directory) / file).string();
  }
  message << "\n  " << (std::filesystem::path(directory) / "ctprep.json").string();
  return message.str();
}

/** RunPipeline; a failure is also written to `failureRecord` (when given) for the batch that runs it. */
RunRecord
RunRecordingFailure(const RunOptions & run, const std::string & failureRecord)
{
  try
  {
    return RunPipeline(run);
  }
  catch (const Error & e)
  {
    if (!failureRecord.empty())
    {
      WriteFailureRecord(failureRecord, static_cast<int>(ExitCodeFor(e.Kind())), ErrorKindName(e.Kind()), e.what());
    }
    throw;
  }
  catch (const std::exception & e)
  {
    if (!failureRecord.empty())
    {
      // As main() reports it: a toolkit's description, anything else as an internal error.
      const auto * toolkit = dynamic_cast<const itk::ExceptionObject *>(&e);
      WriteFailureRecord(failureRecord,
                         static_cast<int>(toolkit ? ExitCode::ProcessingFailed : ExitCode::Internal),
                         toolkit ? "processing-failed" : "internal",
                         toolkit ? OneLine(toolkit->GetDescription()) : "internal error: " + OneLine(e.what()));
    }
    throw;
  }
}
} // namespace

ExitCode
RunCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep run options");
  options.add_options()(
    "input",
    po::value<std::string>()->required(),
    "folder holding the DICOM series (searched recursively), or a volume file: .mhd, .mha, .nii, .nii.gz, .nrrd, "
    ".nhdr")("output,o", po::value<std::string>()->required(), "output folder (created if missing)")(
    "parameters",
    po::value<std::string>()->value_name("FILE"),
    "parameter file (a ctprep.json, or what batch writes): its parameters, then the options given here")(
    "failure-record",
    po::value<std::string>()->value_name("FILE"),
    "on failure, write the exit code and error as JSON to FILE (what batch reads)");
  options.add(RunParameterOptions({ "Series", "Preprocessing", "Surfaces", "Outputs" }));
  po::variables_map vm;
  if (!ParseSubcommand("run", "SERIES_DIR|VOLUME_FILE -o OUT_DIR [options]", options, "input", arguments, vm, out))
  {
    return ExitCode::Success;
  }
  RunOptions run;
  if (vm.count("parameters"))
  {
    ReadParameterFile(run, vm["parameters"].as<std::string>());
  }
  TakeRunParameters(vm, run);
  CheckRunOptions(run);
  run.Input = vm["input"].as<std::string>();
  run.OutputDirectory = vm["output"].as<std::string>();
  const auto record =
    RunRecordingFailure(run, vm.count("failure-record") ? vm["failure-record"].as<std::string>() : std::string());
  Logger::Info(DoneMessage(record, run.OutputDirectory));
  return ExitCode::Success;
}

ExitCode
ConvertCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep convert options");
  options.add_options()(
    "input", po::value<std::string>()->required(), "folder holding the DICOM series (searched recursively)")(
    "output,o", po::value<std::string>()->required(), "output file: .nii, .nii.gz, .nrrd, .mha or .mhd (+ .raw)");
  options.add(RunParameterOptions({ "Series" }));
  options.add_options()("keep-phi", po::bool_switch()->default_value(false), "keep patient data in the file's header");
  po::variables_map vm;
  if (!ParseSubcommand("convert", "SERIES_DIR -o OUT_FILE [options]", options, "input", arguments, vm, out))
  {
    return ExitCode::Success;
  }
  const std::string output = vm["output"].as<std::string>();
  const bool        known = std::regex_search(output, std::regex(R"(\.(nii|nii\.gz|nrrd|mha|mhd)$)"));
  if (!known)
  {
    throw Error(ErrorKind::Usage, "-o: '" + output + "' does not end in .nii, .nii.gz, .nrrd, .mha or .mhd");
  }
  RunOptions run;
  TakeRunParameters(vm, run);
  SeriesReadOptions read = run.Read;
  read.KeepDicomTags = vm["keep-phi"].as<bool>();
  const auto parent = std::filesystem::path(output).parent_path();
  EnsureWritableDirectory(parent.empty() ? "." : parent.string());
  const auto loaded = ReadDicomSeries(vm["input"].as<std::string>(), read);
  for (const auto & decision : loaded.Decisions)
  {
    Logger::Info(decision);
  }
  for (const auto & warning : loaded.Warnings)
  {
    Logger::Warning(warning);
  }
  VolumeWriteOptions write;
  write.KeepPatientData = read.KeepDicomTags;
  WriteVolume(loaded.Image.GetPointer(), output, write);
  const auto size = loaded.Image->GetLargestPossibleRegion().GetSize();
  Logger::Info("Wrote " + output + ": " + std::to_string(size[0]) + "x" + std::to_string(size[1]) + "x" +
               std::to_string(size[2]) + " HU");
  return ExitCode::Success;
}

} // namespace ctp
