#include "ctpCommandLine.h"
#include "ctpBatch.h"
#include "ctpChestPhantomWriter.h"
#include "ctpInspect.h"
#include "ctpLogger.h"
#include "ctpAtomicOutputFile.h"
#include "ctpRunPipeline.h"
#include "ctpRenderOutputs.h"
#include "ctpVolumeWriter.h"
#include "ctpVersion.h"

#include "itkMultiThreaderBase.h"
#include "itkVersion.h"

#include <vtkSMPTools.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <filesystem>
#include <regex>
#include <array>
#include <optional>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace po = boost::program_options;

namespace ctp
{
namespace
{
constexpr const char * Overview = R"(ctprep: chest CT DICOM series to deep-learning-ready volumes and 3D Slicer data.

Usage: ctprep <command> [options]     ctprep <command> --help

Commands:
  inspect   what is in a DICOM file or folder:  ctprep inspect PATH [--tag 0010,0020] [--png FILE]
  convert   one CT series to a HU volume (NIfTI, NRRD), like dcm2niix:  ctprep convert SERIES_DIR -o hu.nii
  render    a 3D picture of bone and lungs from a run's outputs:  ctprep render OUT_DIR
  batch     a whole cohort, in parallel, resumable, shardable:  ctprep batch INPUT_ROOT -o OUTPUT_ROOT [-j N]
  run       preprocess one CT series:  ctprep run SERIES_DIR -o OUT_DIR
  phantom   write a synthetic chest CT series with ground truth:  ctprep phantom OUT_DIR

Options:
  -h [ --help ]     this text
  --version         print the version
)";

std::string
ExitCodeText()
{
  std::ostringstream text;
  text << "Exit codes:\n";
  for (const auto & info : ExitCodeTable)
  {
    text << "  " << std::setw(2) << static_cast<int>(info.Code) << "  " << std::left << std::setw(20) << info.Name
         << std::right << " " << info.Meaning << "\n";
  }
  return text.str();
}

/** Options every subcommand has. */
po::options_description
CommonOptions()
{
  po::options_description common("Common options");
  common.add_options()("help,h", "print this help and exit")(
    "verbosity", po::value<std::string>()->default_value("info"), "log level: info, warning, error, off")(
    "threads",
    po::value<unsigned int>()->default_value(0),
    "threads (ITK and VTK); 0: all cores (batch: per case, 0: cores / jobs)");
  return common;
}

po::options_description
RunStepOptions();

/** Parses one subcommand's arguments; returns false when help was printed. */
bool
ParseSubcommand(const std::string & command, const std::string & usage, po::options_description & options,
                const po::positional_options_description & positional, const std::vector<std::string> & arguments,
                po::variables_map & vm, std::ostream & out)
{
  options.add(CommonOptions());
  try
  {
    po::store(po::command_line_parser(arguments).options(options).positional(positional).run(), vm);
    if (vm.count("help"))
    {
      out << "Usage: ctprep " << command << " " << usage << "\n\n" << options << "\n" << ExitCodeText();
      return false;
    }
    po::notify(vm);
  }
  catch (const po::error & e)
  {
    throw Error(ErrorKind::Usage, "ctprep " + command + ": " + e.what() + " (see ctprep " + command + " --help)");
  }
  Logger::SetVerbosity(ParseVerbosity(vm["verbosity"].as<std::string>()));
  if (const unsigned int threads = vm["threads"].as<unsigned int>(); threads > 0)
  {
    itk::MultiThreaderBase::SetGlobalDefaultNumberOfThreads(threads);
    vtkSMPTools::Initialize(static_cast<int>(threads)); // VTK's flying edges run on TBB threads of their own
  }
  return true;
}

UnevenSpacingPolicy
ParseUnevenSpacing(const std::string & text)
{
  if (text == "resample")
  {
    return UnevenSpacingPolicy::Resample;
  }
  if (text == "refuse")
  {
    return UnevenSpacingPolicy::Refuse;
  }
  throw Error(ErrorKind::Usage, "--uneven-spacing: '" + text + "' is not one of resample, refuse");
}

HUPixelType
ParseHU(const std::string & option, int value)
{
  if (value < -32768 || value > 32767)
  {
    throw Error(ErrorKind::Usage, option + ": " + std::to_string(value) + " is outside the int16 range");
  }
  return static_cast<HUPixelType>(value);
}

std::vector<std::string>
ParseFormats(const std::string & text)
{
  std::vector<std::string> formats;
  std::istringstream       in(text);
  std::string              item;
  while (std::getline(in, item, ','))
  {
    if (item != "nrrd" && item != "nii" && item != "nii.gz")
    {
      throw Error(ErrorKind::Usage, "--format: '" + item + "' is not one of nrrd, nii, nii.gz");
    }
    if (std::find(formats.begin(), formats.end(), item) == formats.end())
    {
      formats.push_back(item);
    }
  }
  if (formats.empty())
  {
    throw Error(ErrorKind::Usage, "--format: no format given");
  }
  return formats;
}

double
NonNegative(const std::string & option, double value)
{
  if (!(value >= 0.0))
  {
    throw Error(ErrorKind::Usage, option + ": " + std::to_string(value) + " must be >= 0");
  }
  return value;
}

/** "LOW,HIGH" with LOW < HIGH. Throws ctp::Error(Usage) naming the option. */
std::pair<double, double>
ParseRange(const std::string & option, const std::string & text)
{
  std::smatch      match;
  const std::regex number(R"(\s*(-?[0-9]+(?:\.[0-9]*)?)\s*,\s*(-?[0-9]+(?:\.[0-9]*)?)\s*)");
  if (std::regex_match(text, match, number))
  {
    const double low = std::stod(match[1]);
    const double high = std::stod(match[2]);
    if (low < high)
    {
      return { low, high };
    }
  }
  throw Error(ErrorKind::Usage, option + ": '" + text + "' is not LOW,HIGH with LOW < HIGH");
}

double
Positive(const std::string & option, double value)
{
  if (!(value > 0.0))
  {
    throw Error(ErrorKind::Usage, option + ": " + std::to_string(value) + " must be > 0");
  }
  return value;
}

/** This program's own path, to run `ctprep render` under xvfb-run. */
std::string
SelfExecutable()
{
  std::error_code ec;
  const auto      self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : self.string();
}

ExitCode
BatchCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep batch options");
  options.add_options()(
    "input", po::value<std::string>()->default_value(""), "folder with one case (patient) per sub-folder")(
    "output,o", po::value<std::string>()->required(), "output root: OUTPUT_ROOT/<case>/ per case, manifest.csv/.json")(
    "jobs,j",
    po::value<unsigned int>()->default_value(0),
    "cases at once; 0: one per core (ITK threads split between them)")(
    "cases", po::value<std::string>()->default_value(""), "file listing the cases, one folder name or path per line")(
    "max-memory",
    po::value<double>()->default_value(0.0),
    "GiB the running cases may take together (estimated from their series); 0: 80% of RAM")(
    "shard",
    po::value<std::string>()->default_value("1/1"),
    "K/N: this process takes the K-th of N shares of the cases")(
    "compute-mean", po::bool_switch()->default_value(false), "write the cohort's mean normalized pixel (for --mean)")(
    "merge",
    po::bool_switch()->default_value(false),
    "merge the shard manifests in OUTPUT_ROOT into manifest.csv/.json");
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  options.add(CommonOptions());
  // Split the arguments: `ctprep run` options (with their values) go to every case.
  const po::options_description runOptions = RunStepOptions();
  std::vector<std::string>      batchArguments;
  std::vector<std::string>      runArguments;
  for (size_t i = 0; i < arguments.size(); ++i)
  {
    const std::string & a = arguments[i];
    const std::string   name = a.rfind("--", 0) == 0
                                 ? a.substr(2, a.find('=') == std::string::npos ? std::string::npos : a.find('=') - 2)
                                 : std::string();
    // Batch options first: --max-memory is the batch's (the sum over running cases), not each run's.
    const bool   ownOption = !name.empty() && options.find_nothrow(name, false) != nullptr;
    const auto * option = name.empty() || ownOption ? nullptr : runOptions.find_nothrow(name, false);
    if (option == nullptr)
    {
      batchArguments.push_back(a);
      continue;
    }
    runArguments.push_back(a);
    if (option->semantic()->max_tokens() > 0 && a.find('=') == std::string::npos && i + 1 < arguments.size())
    {
      runArguments.push_back(arguments[++i]);
    }
  }
  try
  {
    po::store(po::command_line_parser(batchArguments).options(options).positional(positional).run(), vm);
    if (vm.count("help"))
    {
      out << "Usage: ctprep batch INPUT_ROOT -o OUTPUT_ROOT [options] [run options]\n"
          << "       ctprep batch --merge -o OUTPUT_ROOT\n\n"
          << options << "\nAny `ctprep run` option (see ctprep run --help) is passed to every case.\n\n"
          << "Exit codes: 0 all cases ok (or complete already), 7 some failed, 8 none ok; others as below.\n"
          << ExitCodeText();
      return ExitCode::Success;
    }
    po::notify(vm);
    // Check the run options once here rather than in every case.
    po::variables_map check;
    po::store(po::command_line_parser(runArguments).options(runOptions).run(), check);
    po::notify(check);
  }
  catch (const po::error & e)
  {
    throw Error(ErrorKind::Usage, std::string("ctprep batch: ") + e.what() + " (see ctprep batch --help)");
  }
  Logger::SetVerbosity(ParseVerbosity(vm["verbosity"].as<std::string>()));
  BatchResult result;
  if (vm["merge"].as<bool>())
  {
    result = MergeBatchManifests(vm["output"].as<std::string>());
  }
  else
  {
    BatchOptions batch;
    batch.InputRoot = vm["input"].as<std::string>();
    if (batch.InputRoot.empty() && vm["cases"].as<std::string>().empty())
    {
      throw Error(ErrorKind::Usage, "ctprep batch: INPUT_ROOT or --cases is required");
    }
    batch.OutputRoot = vm["output"].as<std::string>();
    batch.CasesFile = vm["cases"].as<std::string>();
    batch.Jobs = vm["jobs"].as<unsigned int>();
    batch.MaxMemoryGiB = vm["max-memory"].as<double>();
    batch.ComputeMean = vm["compute-mean"].as<bool>();
    batch.RunArguments = runArguments;
    batch.Executable = SelfExecutable();
    std::smatch       match;
    const std::string shard = vm["shard"].as<std::string>();
    if (!std::regex_match(shard, match, std::regex(R"((\d+)/(\d+))")))
    {
      throw Error(ErrorKind::Usage, "--shard: '" + shard + "' is not K/N");
    }
    batch.ShardIndex = static_cast<unsigned int>(std::stoul(match[1]));
    batch.ShardCount = static_cast<unsigned int>(std::stoul(match[2]));
    if (batch.ShardCount == 0 || batch.ShardIndex == 0 || batch.ShardIndex > batch.ShardCount)
    {
      throw Error(ErrorKind::Usage, "--shard: '" + shard + "' needs 1 <= K <= N");
    }
    batch.ThreadsPerCase = vm["threads"].as<unsigned int>();
    if (ListBatchCases(batch).empty())
    {
      throw Error(ErrorKind::InvalidInput,
                  batch.InputRoot.empty() ? batch.CasesFile : batch.InputRoot,
                  "no case in this share (a case is a sub-folder)");
    }
    result = RunBatch(batch);
  }
  std::ostringstream summary;
  summary << "Batch: " << result.Ok << " ok, " << result.Skipped << " complete already, " << result.Failed
          << " failed, of " << result.Cases.size() << " cases in " << std::fixed << std::setprecision(1)
          << result.Seconds << " s.";
  if (result.HasMean && (vm["compute-mean"].as<bool>() || vm["merge"].as<bool>()))
  {
    summary << " Cohort mean normalized pixel: " << std::setprecision(4) << result.CohortMean << ".";
  }
  Logger::Info(summary.str());
  if (result.Failed == 0)
  {
    return ExitCode::Success;
  }
  return result.Ok + result.Skipped > 0 ? ExitCode::BatchPartlyFailed : ExitCode::BatchAllFailed;
}

ExitCode
RenderCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep render options");
  options.add_options()(
    "directory", po::value<std::string>()->required(), "a ctprep run output folder (bone.stl, lungs.stl)")(
    "output,o", po::value<std::string>()->default_value("", "DIRECTORY/render.png"), "PNG to write");
  po::positional_options_description positional;
  positional.add("directory", 1);
  po::variables_map vm;
  if (!ParseSubcommand("render", "DIRECTORY [-o render.png]", options, positional, arguments, vm, out))
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

/** --series: "largest" (the default) means no selector. */
std::string
SeriesSelector(const po::variables_map & vm)
{
  const std::string series = vm["series"].as<std::string>();
  return series == "largest" ? std::string() : series;
}

/** How a series is chosen and read: the options run and convert share. */
po::options_description
SeriesOptions()
{
  po::options_description series("Series");
  series.add_options()(
    "series",
    po::value<std::string>()->default_value("", "largest"),
    "SeriesInstanceUID or SeriesNumber of the series to read (default: the largest axial CT volume)")(
    "keep-tilt", po::bool_switch()->default_value(false), "do not correct gantry tilt (keep the sheared slice stack)")(
    "uneven-spacing",
    po::value<std::string>()->default_value("resample"),
    "slices not evenly spaced (missing slices, variable spacing): resample onto a uniform grid, or refuse")(
    "air-hu", po::value<int>()->default_value(AirHU), "HU given to out-of-scan padding");
  return series;
}

SeriesReadOptions
ReadSeriesOptions(const po::variables_map & vm)
{
  SeriesReadOptions read;
  read.Series = SeriesSelector(vm);
  read.KeepTilt = vm["keep-tilt"].as<bool>();
  read.UnevenSpacing = ParseUnevenSpacing(vm["uneven-spacing"].as<std::string>());
  read.PaddingReplacement = ParseHU("--air-hu", vm["air-hu"].as<int>());
  return read;
}

ExitCode
ConvertCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep convert options");
  options.add_options()(
    "input", po::value<std::string>()->required(), "folder holding the DICOM series (searched recursively)")(
    "output,o", po::value<std::string>()->required(), "output file: .nii, .nii.gz, .nrrd or .mha")(
    "keep-phi", po::bool_switch()->default_value(false), "keep patient data in the file's header");
  options.add(SeriesOptions());
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  if (!ParseSubcommand("convert", "SERIES_DIR -o OUT_FILE [options]", options, positional, arguments, vm, out))
  {
    return ExitCode::Success;
  }
  const std::string output = vm["output"].as<std::string>();
  const bool        known = std::regex_search(output, std::regex(R"(\.(nii|nii\.gz|nrrd|mha)$)"));
  if (!known)
  {
    throw Error(ErrorKind::Usage, "-o: '" + output + "' does not end in .nii, .nii.gz, .nrrd or .mha");
  }
  SeriesReadOptions read = ReadSeriesOptions(vm);
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
  po::positional_options_description positional;
  positional.add("path", 1);
  po::variables_map vm;
  if (!ParseSubcommand("inspect", "PATH [options]", options, positional, arguments, vm, out))
  {
    return ExitCode::Success;
  }
  InspectOptions inspect;
  inspect.Path = vm["path"].as<std::string>();
  inspect.Group = vm["group"].as<std::string>();
  inspect.Tag = vm["tag"].as<std::string>();
  inspect.Series = SeriesSelector(vm);
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

/** The options of `ctprep run` that shape the preprocessing (also accepted by `ctprep batch`). */
po::options_description
RunStepOptions()
{
  const RunOptions   defaults;
  std::ostringstream effusionHU; // "-20,30"
  effusionHU << defaults.EffusionLowerHU << ',' << defaults.EffusionUpperHU;
  po::options_description series = SeriesOptions();
  po::options_description steps("Preprocessing");
  steps.add_options()("spacing",
                      po::value<std::string>()->default_value("1"),
                      "target spacing in mm: one value, three (x,y,z), or none to keep the original grid")(
    "interpolator", po::value<std::string>()->default_value("linear"), "resampling: linear, bspline, nearest")(
    "lung-threshold", po::value<double>()->default_value(defaults.LungThreshold), "HU below which a voxel is air")(
    "no-fill", po::bool_switch()->default_value(false), "do not fill vessels and nodules into the lung mask")(
    "fill-closing-mm",
    po::value<double>()->default_value(defaults.FillClosingMm),
    "radius of the per-slice closing that takes nodules on the lung wall into the mask")(
    "dilate-mm", po::value<double>()->default_value(defaults.DilateMm), "dilate each lung by this radius")(
    "fallback-closing-mm",
    po::value<double>()->default_value(defaults.FallbackClosingMm),
    "when the mask is implausible, close the tissue by this radius and retry (0: no retry)")(
    "no-lesions",
    po::bool_switch()->default_value(false),
    "classic aerated mask: do not take masses and consolidation into the lungs (labels 4, 5)")(
    "lesion-envelope-mm",
    po::value<double>()->default_value(defaults.LesionEnvelopeMm),
    "lesions: radius of the ball closing the lung's envelope (bulges narrower than it are enclosed)")(
    "lesion-enclosure-mm",
    po::value<double>()->default_value(defaults.LesionEnclosureMm),
    "lesions: longest run of tissue between lung above and below (or on both sides in-plane)")(
    "lesion-bronchogram-mm",
    po::value<double>()->default_value(defaults.LesionBronchogramMm),
    "lesions: tissue within this distance of air bronchograms is consolidated lung (0: off)")(
    "lesion-contralateral-mm",
    po::value<double>()->default_value(defaults.LesionContralateralMm),
    "lesions: how deep inside the other lung a lesion's mirror image must lie")(
    "lesion-min-ml",
    po::value<double>()->default_value(defaults.LesionMinimumMl),
    "lesions: smallest seed region in mL (smaller lesions are in the per-slice fill)")(
    "lesion-growth-mm",
    po::value<double>()->default_value(defaults.LesionGrowthMm),
    "lesions: growth of each seed through the enclosed tissue (a hilar mass's central part)")(
    "lesion-completion-mm",
    po::value<double>()->default_value(defaults.LesionCompletionMm),
    "lesions: final growth into any dense tissue (the base of a mass against the wall)")(
    "label-effusion",
    po::bool_switch()->default_value(false),
    "label pleural effusion 6 in lungmask (it is always measured in ctprep.json)")(
    "effusion-hu",
    po::value<std::string>()->default_value(effusionHU.str()),
    "LOW,HIGH: HU of pleural fluid (3 mm block means; muscle and blood are 40 and more)")(
    "crop-to-lungs",
    po::value<double>()->value_name("MM"),
    "crop every volume output to the lungs' box grown by MM (grt123: 10); surfaces stay whole")(
    "mask-input",
    po::value<double>()->value_name("MM"),
    "in input.npy, set voxels further than MM (grt123: 10) from the lungs to --mask-pad-hu")(
    "mask-pad-hu",
    po::value<double>()->default_value(defaults.MaskPadHU),
    "HU of input.npy's masked voxels (0, water: grt123's 170 on its 0-255 scale)")(
    "normalize-min", po::value<double>()->default_value(defaults.NormalizeLower), "HU mapped to 0")(
    "normalize-max", po::value<double>()->default_value(defaults.NormalizeUpper), "HU mapped to 1")(
    "mean",
    po::value<double>()->default_value(defaults.Mean),
    "dataset mean subtracted after normalization (LUNA16: 0.25)");
  po::options_description meshes("Surfaces");
  meshes.add_options()("no-mesh", po::bool_switch()->default_value(false), "do not write bone.stl and lungs.stl")(
    "no-render", po::bool_switch()->default_value(false), "do not render render.png")(
    "bone-hu", po::value<double>()->default_value(defaults.BoneHU), "HU of the bone isosurface")(
    "smoothing-iterations",
    po::value<int>()->default_value(defaults.Surfaces.SmoothingIterations),
    "windowed-sinc smoothing iterations of the surfaces (0: none)")(
    "smoothing-pass-band",
    po::value<double>()->default_value(defaults.Surfaces.PassBand),
    "smoothing pass band, 0..2 (lower is smoother)")("decimate",
                                                     po::value<double>()->default_value(defaults.Surfaces.Decimation),
                                                     "fraction of triangles to remove, 0..1");
  po::options_description outputs("Outputs");
  outputs.add_options()("format",
                        po::value<std::string>()->default_value("nrrd"),
                        "volume formats of hu and lungmask, comma-separated: nrrd, nii (uncompressed NIfTI), nii.gz")(
    "keep-phi", po::bool_switch()->default_value(false), "keep patient data (names, IDs, dates) in the outputs")(
    "checksums", po::bool_switch()->default_value(false), "list a content hash of every output in ctprep.json")(
    "max-memory",
    po::value<double>()->default_value(0.0),
    "GiB: refuse, before reading pixels, a series whose estimated peak memory exceeds it; 0: the "
    "machine's physical memory");
  po::options_description all;
  all.add(series).add(steps).add(meshes).add(outputs);
  return all;
}

ExitCode
RunCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  po::options_description options("ctprep run options");
  options.add_options()(
    "input", po::value<std::string>()->required(), "folder holding the DICOM series (searched recursively)")(
    "output,o", po::value<std::string>()->required(), "output folder (created if missing)");
  options.add(RunStepOptions());
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  if (!ParseSubcommand("run", "SERIES_DIR -o OUT_DIR [options]", options, positional, arguments, vm, out))
  {
    return ExitCode::Success;
  }
  RunOptions run;
  run.Input = vm["input"].as<std::string>();
  run.OutputDirectory = vm["output"].as<std::string>();
  run.Read = ReadSeriesOptions(vm);
  run.KeepPatientData = vm["keep-phi"].as<bool>();
  run.VolumeFormats = ParseFormats(vm["format"].as<std::string>());
  run.Spacing = ParseSpacing(vm["spacing"].as<std::string>());
  run.Interpolator = ParseInterpolator(vm["interpolator"].as<std::string>());
  run.LungThreshold = vm["lung-threshold"].as<double>();
  run.Fill = !vm["no-fill"].as<bool>();
  run.FillClosingMm = NonNegative("--fill-closing-mm", vm["fill-closing-mm"].as<double>());
  run.DilateMm = NonNegative("--dilate-mm", vm["dilate-mm"].as<double>());
  run.FallbackClosingMm = NonNegative("--fallback-closing-mm", vm["fallback-closing-mm"].as<double>());
  run.Lesions = !vm["no-lesions"].as<bool>();
  run.LesionEnvelopeMm = Positive("--lesion-envelope-mm", vm["lesion-envelope-mm"].as<double>());
  run.LesionEnclosureMm = Positive("--lesion-enclosure-mm", vm["lesion-enclosure-mm"].as<double>());
  run.LesionBronchogramMm = NonNegative("--lesion-bronchogram-mm", vm["lesion-bronchogram-mm"].as<double>());
  run.LesionContralateralMm = NonNegative("--lesion-contralateral-mm", vm["lesion-contralateral-mm"].as<double>());
  run.LesionMinimumMl = NonNegative("--lesion-min-ml", vm["lesion-min-ml"].as<double>());
  run.LesionGrowthMm = NonNegative("--lesion-growth-mm", vm["lesion-growth-mm"].as<double>());
  run.LesionCompletionMm = NonNegative("--lesion-completion-mm", vm["lesion-completion-mm"].as<double>());
  run.LabelEffusion = vm["label-effusion"].as<bool>();
  std::tie(run.EffusionLowerHU, run.EffusionUpperHU) = ParseRange("--effusion-hu", vm["effusion-hu"].as<std::string>());
  if (vm.count("crop-to-lungs"))
  {
    run.CropToLungsMm = NonNegative("--crop-to-lungs", vm["crop-to-lungs"].as<double>());
  }
  if (vm.count("mask-input"))
  {
    run.MaskInputMm = NonNegative("--mask-input", vm["mask-input"].as<double>());
  }
  run.MaskPadHU = vm["mask-pad-hu"].as<double>();
  if ((run.CropToLungsMm || run.MaskInputMm) && !run.Lesions)
  {
    Logger::Info("--crop-to-lungs / --mask-input use the classic aerated mask (--no-lesions): lesions against the "
                 "chest wall may be cut or masked away");
  }
  run.NormalizeLower = vm["normalize-min"].as<double>();
  run.NormalizeUpper = vm["normalize-max"].as<double>();
  if (!(run.NormalizeLower < run.NormalizeUpper))
  {
    throw Error(ErrorKind::Usage, "--normalize-min must be below --normalize-max");
  }
  run.Mean = vm["mean"].as<double>();
  run.Mesh = !vm["no-mesh"].as<bool>();
  run.Render = run.Mesh && !vm["no-render"].as<bool>();
  run.BoneHU = vm["bone-hu"].as<double>();
  run.Surfaces.SmoothingIterations = vm["smoothing-iterations"].as<int>();
  run.Surfaces.PassBand = vm["smoothing-pass-band"].as<double>();
  run.Surfaces.Decimation = vm["decimate"].as<double>();
  if (run.Surfaces.SmoothingIterations < 0 || !(run.Surfaces.PassBand > 0.0 && run.Surfaces.PassBand <= 2.0) ||
      !(run.Surfaces.Decimation >= 0.0 && run.Surfaces.Decimation < 1.0))
  {
    throw Error(ErrorKind::Usage, "--smoothing-iterations >= 0, 0 < --smoothing-pass-band <= 2, 0 <= --decimate < 1");
  }
  run.Checksums = vm["checksums"].as<bool>();
  run.MaxMemoryGiB = NonNegative("--max-memory", vm["max-memory"].as<double>());
  const auto         result = RunPipeline(run);
  std::ostringstream message;
  message << "Done in " << std::fixed << std::setprecision(1) << result.Seconds << " s: " << result.Size[0] << "x"
          << result.Size[1] << "x" << result.Size[2] << " voxels, lungs " << std::setprecision(2)
          << (result.RightLungMl + result.LeftLungMl) / 1000.0 << " L (right " << result.RightLungMl / 1000.0
          << ", left " << result.LeftLungMl / 1000.0 << ")";
  if (result.Lesions > 0)
  {
    message << ", " << result.Lesions << " dense region(s) taken in, " << std::setprecision(0) << result.LesionMl
            << " mL";
  }
  message << ". Outputs in " << run.OutputDirectory << ":";
  for (const auto & path : result.Outputs)
  {
    message << "\n  " << path;
  }
  Logger::Info(message.str());
  return ExitCode::Success;
}

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
  po::positional_options_description positional;
  positional.add("output", 1);
  po::variables_map vm;
  if (!ParseSubcommand("phantom", "OUT_DIR [options]", options, positional, arguments, vm, out))
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
} // namespace

ExitCode
RunCommandLine(int argc, const char * const argv[], std::ostream & out)
{
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty())
  {
    throw Error(ErrorKind::Usage, "no command given (try ctprep --help)");
  }
  const std::string &            command = all.front();
  const std::vector<std::string> rest(all.begin() + 1, all.end());
  if (command == "--help" || command == "-h" || command == "help")
  {
    out << Overview << "\n" << ExitCodeText();
    return ExitCode::Success;
  }
  if (command == "--version")
  {
    out << "ctprep " << CTP_VERSION << " (ITK " << itk::Version::GetITKVersion() << ")\n";
    return ExitCode::Success;
  }
  if (command == "batch")
  {
    return BatchCommand(rest, out);
  }
  if (command == "render")
  {
    return RenderCommand(rest, out);
  }
  if (command == "convert")
  {
    return ConvertCommand(rest, out);
  }
  if (command == "inspect")
  {
    return InspectCommand(rest, out);
  }
  if (command == "run")
  {
    return RunCommand(rest, out);
  }
  if (command == "phantom")
  {
    return PhantomCommand(rest, out);
  }
  throw Error(ErrorKind::Usage, "unknown command '" + command + "' (try ctprep --help)");
}

ExitCode
RunCommandLine(int argc, const char * const argv[])
{
  return RunCommandLine(argc, argv, std::cout);
}

} // namespace ctp
