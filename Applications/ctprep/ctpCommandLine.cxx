#include "ctpCommandLine.h"
#include "ctpLogger.h"
#include "ctpSubcommands.h"
#include "ctpVersion.h"

#include "itkMultiThreaderBase.h"
#include "itkVersion.h"

#include <vtkSMPTools.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

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

} // namespace

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

bool
ParseSubcommand(const std::string & command, const std::string & usage, po::options_description & options,
                const char * positionalOption, const std::vector<std::string> & arguments, po::variables_map & vm,
                std::ostream & out)
{
  options.add(CommonOptions());
  po::positional_options_description positional;
  positional.add(positionalOption, 1);
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

std::string
SelfExecutable()
{
  std::error_code ec;
  const auto      self = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : self.string();
}

ExitCode
RunCommandLine(int argc, const char * const argv[], std::ostream & out)
{
  const std::vector<std::string> all(argv + 1, argv + argc);
  if (all.empty())
  {
    throw Error(ErrorKind::Usage, "no command given (try ctprep --help)");
  }
  SpellParametersAsFlags(); // the library names parameters; the user knows them by their flags
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
