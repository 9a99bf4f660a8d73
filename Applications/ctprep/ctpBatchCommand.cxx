#include "ctpLogger.h"
#include "ctpSubcommands.h"

#include <iomanip>
#include <regex>
#include <sstream>

namespace ctp
{
namespace
{
po::options_description
BatchOwnOptions()
{
  po::options_description options("ctprep batch options");
  options.add_options()("input",
                        po::value<std::string>()->default_value(""),
                        "folder with one case per sub-folder (DICOM) or per volume file (.mhd, .nii.gz, ...)")(
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
  return options;
}

/** A case's process: `ctprep run` with the batch's parameter file. */
std::vector<std::string>
CaseCommandLine(const std::string & executable, const CaseCommand & c)
{
  return { executable,
           "run",
           c.Input,
           "-o",
           c.OutputDirectory,
           "--parameters",
           c.ParameterFile,
           "--threads",
           std::to_string(c.Threads),
           "--verbosity",
           "warning",
           "--failure-record",
           c.FailureRecord };
}

void
TakeShard(const std::string & shard, BatchOptions & batch)
{
  std::smatch match;
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
}
} // namespace

std::optional<BatchOptions>
ParseBatchCommand(const std::vector<std::string> & arguments, std::ostream & out, bool & merge)
{
  po::options_description own = BatchOwnOptions();
  // Every `ctprep run` parameter is a batch option too, given to every case; --max-memory is the
  // batch's own (the sum over running cases), not each run's.
  const std::set<std::string> batchOwn = { "max_memory_gib" };
  po::options_description     all;
  all.add(own).add(RunParameterOptions({ "Series", "Preprocessing", "Surfaces", "Outputs" }, batchOwn));
  po::positional_options_description positional;
  positional.add("input", 1);
  po::variables_map vm;
  all.add(CommonOptions());
  own.add(CommonOptions());
  try
  {
    po::store(po::command_line_parser(arguments).options(all).positional(positional).run(), vm);
    if (vm.count("help"))
    {
      out << "Usage: ctprep batch INPUT_ROOT -o OUTPUT_ROOT [options] [run options]\n"
          << "       ctprep batch --merge -o OUTPUT_ROOT\n\n"
          << own << "\nAny `ctprep run` option (see ctprep run --help) is passed to every case.\n\n"
          << "Exit codes: 0 all cases ok (or complete already), 7 some failed, 8 none ok; others as below.\n"
          << ExitCodeText();
      return std::nullopt;
    }
    po::notify(vm);
  }
  catch (const po::error & e)
  {
    throw Error(ErrorKind::Usage, std::string("ctprep batch: ") + e.what() + " (see ctprep batch --help)");
  }
  Logger::SetVerbosity(ParseVerbosity(vm["verbosity"].as<std::string>()));
  merge = vm["merge"].as<bool>();
  BatchOptions batch;
  batch.InputRoot = vm["input"].as<std::string>();
  batch.OutputRoot = vm["output"].as<std::string>();
  batch.CasesFile = vm["cases"].as<std::string>();
  batch.Jobs = vm["jobs"].as<unsigned int>();
  batch.MaxMemoryGiB = vm["max-memory"].as<double>();
  batch.ComputeMean = vm["compute-mean"].as<bool>();
  batch.ThreadsPerCase = vm["threads"].as<unsigned int>();
  TakeShard(vm["shard"].as<std::string>(), batch);
  TakeRunParameters(vm, batch.Run, batchOwn); // checked here once rather than in every case
  CheckRunOptions(batch.Run);
  batch.RunArguments = GivenRunParameters(vm, batchOwn);
  batch.CaseCommandLine = [executable = SelfExecutable()](const CaseCommand & c) {
    return CaseCommandLine(executable, c);
  };
  if (!merge && batch.InputRoot.empty() && batch.CasesFile.empty())
  {
    throw Error(ErrorKind::Usage, "ctprep batch: INPUT_ROOT or --cases is required");
  }
  return batch;
}

ExitCode
BatchCommand(const std::vector<std::string> & arguments, std::ostream & out)
{
  bool       merge = false;
  const auto batch = ParseBatchCommand(arguments, out, merge);
  if (!batch)
  {
    return ExitCode::Success;
  }
  BatchResult result;
  if (merge)
  {
    result = MergeBatchManifests(batch->OutputRoot);
  }
  else
  {
    if (ListBatchCases(batch->InputRoot, batch->CasesFile, batch->ShardIndex, batch->ShardCount).empty())
    {
      throw Error(ErrorKind::InvalidInput,
                  batch->InputRoot.empty() ? batch->CasesFile : batch->InputRoot,
                  "no case in this share (a case is a sub-folder or a volume file)");
    }
    result = RunBatch(*batch);
  }
  std::ostringstream summary;
  summary << "Batch: " << result.Ok << " ok, " << result.Skipped << " complete already, " << result.Failed
          << " failed, of " << result.Cases.size() << " cases in " << std::fixed << std::setprecision(1)
          << result.Seconds << " s.";
  if (result.HasMean && (batch->ComputeMean || merge))
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

} // namespace ctp
