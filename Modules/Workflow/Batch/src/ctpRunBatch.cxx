#include "ctpRunBatch.h"
#include "ctpAtomicOutputFile.h"
#include "ctpBatchProgress.h"
#include "ctpBatchScheduler.h"
#include "ctpDicomSeriesScanner.h"
#include "ctpPhysicalMemory.h"
#include "ctpRunMemory.h"
#include "ctpRunParameters.h"
#include "ctpVolumeFileReader.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
void
RemoveLeftovers(const fs::path & directory)
{
  std::error_code ec;
  if (!fs::is_directory(directory, ec))
  {
    return;
  }
  for (const auto & entry : fs::directory_iterator(directory, ec))
  {
    if (entry.path().filename().string().rfind(TemporaryFilePrefix, 0) == 0)
    {
      fs::remove(entry.path(), ec);
    }
  }
}

fs::path
FailureRecordOf(const fs::path & root, const BatchCase & c)
{
  return root / "logs" / (c.Name + ".failure.json");
}
} // namespace

double
EstimateCaseMemoryGiB(const std::string & input, const RunOptions & run)
{
  try
  {
    if (IsVolumeFile(input))
    {
      const auto header = ReadVolumeFileInfo(input);
      return EstimateRunMemoryGiB(header.Size, header.Spacing, run.Spacing);
    }
    return EstimateRunMemoryGiB(ChooseSeries(ScanDicomPath(input), run.Read.Series), run.Spacing);
  }
  catch (const std::exception &)
  {
    return 0.0;
  }
}

void
WriteFailureRecord(const std::string & path, int exitCode, const std::string & kind, const std::string & error)
{
  try
  {
    const nlohmann::json record = { { "exit_code", exitCode }, { "kind", kind }, { "error", error } };
    WriteTextFileAtomically(path, record.dump(2) + "\n");
  }
  catch (const std::exception &)
  {
    // The process's exit code still tells the batch that it failed.
  }
}

std::string
ReadFailureRecord(const std::string & path)
{
  try
  {
    std::ifstream in(path);
    return in ? nlohmann::json::parse(in).at("error").get<std::string>() : std::string();
  }
  catch (const std::exception &)
  {
    return {};
  }
}

BatchResult
RunBatch(const BatchOptions & options)
{
  ProcessLauncher launcher;
  return RunBatch(options, launcher);
}

BatchResult
RunBatch(const BatchOptions & options, CaseLauncher & launcher)
{
  const auto     start = std::chrono::steady_clock::now();
  const auto     cases = ListBatchCases(options.InputRoot, options.CasesFile, options.ShardIndex, options.ShardCount);
  const fs::path root(options.OutputRoot);
  EnsureWritableDirectory(root.string());
  EnsureWritableDirectory((root / "logs").string());
  const unsigned int cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned int jobs = options.Jobs > 0 ? options.Jobs : cores;
  const unsigned int threads = options.ThreadsPerCase > 0 ? options.ThreadsPerCase : std::max(1u, cores / jobs);

  RunOptions run = options.Run;
  run.Checksums = true; // a resumed batch checks each case's outputs by their hashes
  const std::string parameterFile = (root / "run-parameters.json").string();
  WriteParameterFile(run, parameterFile);

  BatchProgress progress(cases.size());
  BatchSchedule schedule;
  schedule.Jobs = jobs;
  schedule.MaxMemoryGiB = options.MaxMemoryGiB > 0 ? options.MaxMemoryGiB : 0.8 * PhysicalMemoryGiB();
  schedule.CompleteRun = [&](const BatchCase & c) { return ReadCompleteRun((root / c.Name).string()); };
  schedule.MemoryGiB = [&](const BatchCase & c) { return EstimateCaseMemoryGiB(c.Input, run); };
  schedule.PrepareJob = [&](const BatchCase & c, size_t index) {
    RemoveLeftovers(root / c.Name);
    std::error_code ec;
    fs::remove(FailureRecordOf(root, c), ec);
    CaseCommand command{ c.Input, (root / c.Name).string(), parameterFile, threads, FailureRecordOf(root, c).string() };
    return CaseJob{ index, options.CaseCommandLine(command), (root / "logs" / (c.Name + ".log")).string() };
  };
  schedule.FailureOf = [&](const BatchCase & c, const CaseExit & exit) {
    RemoveLeftovers(root / c.Name);
    std::string error = ReadFailureRecord(FailureRecordOf(root, c).string());
    if (error.empty())
    {
      error = exit.Signal ? "killed by signal " + std::to_string(exit.Signal)
                          : "exit code " + std::to_string(exit.ExitCode) + " without an error record";
    }
    return error;
  };
  schedule.Finished = [&](const CaseResult & c, size_t done, size_t failed) { progress.Finished(c, done, failed); };

  BatchResult result;
  result.Cases = ScheduleCases(cases, schedule, launcher);
  result.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Summarize(result);
  const bool        sharded = options.ShardCount > 1;
  const std::string stem =
    sharded ? "manifest-shard-" + std::to_string(options.ShardIndex) + "-of-" + std::to_string(options.ShardCount)
            : "manifest";
  WriteManifest(root.string(),
                stem,
                result,
                options.ComputeMean,
                { { "input_root", options.InputRoot },
                  { "shard", { options.ShardIndex, options.ShardCount } },
                  { "jobs", jobs },
                  { "threads_per_case", threads },
                  { "run_arguments", options.RunArguments } });
  return result;
}

} // namespace ctp
