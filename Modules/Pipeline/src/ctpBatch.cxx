#include "ctpBatch.h"
#include "ctpAtomicOutputFile.h"
#include "ctpDicomSeriesScanner.h"
#include "ctpError.h"
#include "ctpFileHash.h"
#include "ctpLogger.h"
#include "ctpPhysicalMemory.h"
#include "ctpRunPipeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <regex>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
using Clock = std::chrono::steady_clock;

/** Target spacing the run will use, from the run arguments (default 1 mm; none: the original grid). */
std::optional<std::array<double, 3>>
TargetSpacing(const std::vector<std::string> & arguments)
{
  std::optional<std::array<double, 3>> spacing = std::array<double, 3>{ 1.0, 1.0, 1.0 };
  for (size_t i = 0; i + 1 < arguments.size(); ++i)
  {
    if (arguments[i] == "--spacing")
    {
      spacing = ParseSpacing(arguments[i + 1]); // checked by the batch's option parsing already
    }
  }
  return spacing;
}

/** EstimateRunMemoryGiB of a case, 0 when its series cannot be read (the run will say why). */
double
EstimateMemoryGiB(const std::string & input, const std::vector<std::string> & arguments)
{
  try
  {
    const auto scan = ScanDicomPath(input);
    return EstimateRunMemoryGiB(ChooseSeries(scan, ""), TargetSpacing(arguments));
  }
  catch (const std::exception &)
  {
    return 0.0;
  }
}

/** A case's outputs are complete: ctprep.json lists them, each exists with its size and hash. */
bool
ReadCompleteCase(const fs::path & directory, CaseResult & result)
{
  const fs::path  sidecarPath = directory / "ctprep.json";
  std::error_code ec;
  if (!fs::exists(sidecarPath, ec))
  {
    return false;
  }
  try
  {
    std::ifstream  in(sidecarPath);
    nlohmann::json sidecar = nlohmann::json::parse(in);
    for (const auto & output : sidecar.at("outputs"))
    {
      const fs::path path = directory / output.at("file").get<std::string>();
      if (!fs::exists(path, ec) || fs::file_size(path, ec) != output.at("bytes").get<uintmax_t>())
      {
        return false;
      }
      if (!output.contains("hash64") || FileHash64(path.string()) != output.at("hash64").get<std::string>())
      {
        return false;
      }
    }
    result.Slices = sidecar.at("source").at("slice_count").get<size_t>();
    const auto & spacing = sidecar.at("output_geometry").at("spacing");
    for (int a = 0; a < 3; ++a)
    {
      result.Spacing[static_cast<size_t>(a)] = spacing.at(static_cast<size_t>(a)).get<double>();
    }
    result.LungVolumeMl = sidecar.at("lungs").at("total_ml").get<double>();
    result.NormalizedMean = sidecar.at("input_npy").at("normalized_mean").get<double>();
    result.Voxels = sidecar.at("input_npy").at("voxels").get<size_t>();
    if (result.Seconds == 0.0)
    {
      result.Seconds = sidecar.at("seconds").at("total").get<double>();
    }
    return true;
  }
  catch (const std::exception &)
  {
    return false;
  }
}

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

/** The last "Error: ..." line of a log, without the prefix. */
std::string
LastError(const fs::path & log)
{
  std::ifstream in(log);
  std::string   line;
  std::string   last;
  while (std::getline(in, line))
  {
    if (line.rfind("Error: ", 0) == 0)
    {
      last = line.substr(7);
    }
  }
  return last;
}

/** Starts `argv` with stdout and stderr to `log`; the child dies with this process. */
pid_t
Spawn(const std::vector<std::string> & arguments, const fs::path & log)
{
  std::vector<char *> argv;
  for (const auto & a : arguments)
  {
    argv.push_back(const_cast<char *>(a.c_str()));
  }
  argv.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0)
  {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent)
    {
      ::_exit(126); // the batch died before this child could ask to die with it
    }
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0)
    {
      ::dup2(fd, STDOUT_FILENO);
      ::dup2(fd, STDERR_FILENO);
      ::close(fd);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0)
    {
      ::dup2(devnull, STDIN_FILENO);
      ::close(devnull);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

std::string
Duration(double seconds)
{
  if (!std::isfinite(seconds) || seconds < 0)
  {
    return "--:--";
  }
  const long s = std::lround(seconds);
  char       text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

/** A live bar on a terminal, a line per finished case otherwise. */
class Progress
{
public:
  explicit Progress(size_t total)
    : m_Total(total)
    , m_Terminal(::isatty(STDERR_FILENO) == 1)
    , m_Start(Clock::now())
  {}

  void
  Finished(const CaseResult & c, size_t done, size_t failed)
  {
    if (Logger::GetVerbosity() == Verbosity::Off)
    {
      return;
    }
    const double       elapsed = std::chrono::duration<double>(Clock::now() - m_Start).count();
    const double       rate = elapsed > 0 ? double(done) / elapsed : 0.0;
    const double       eta = rate > 0 ? double(m_Total - done) / rate : -1.0;
    std::ostringstream line;
    if (m_Terminal)
    {
      const int width = 30;
      const int filled = m_Total ? int(width * done / m_Total) : width;
      line << "\r[" << std::string(size_t(filled), '#') << std::string(size_t(width - filled), '-') << "] " << done
           << "/" << m_Total << "  " << std::fixed << std::setprecision(1) << rate * 60.0 << " cases/min  ETA "
           << Duration(eta) << "  " << failed << " failed   ";
      std::fprintf(stderr, "%s", line.str().c_str());
      if (done == m_Total)
      {
        std::fprintf(stderr, "\n");
      }
      std::fflush(stderr);
      if (c.Status == "failed" && Logger::GetVerbosity() <= Verbosity::Warning)
      {
        std::fprintf(stderr, "\n%s failed (exit %d): %s\n", c.Case.c_str(), c.ExitCode, c.Error.c_str());
      }
      return;
    }
    line << "[" << done << "/" << m_Total << "] " << c.Case << " " << c.Status;
    if (c.Status == "failed")
    {
      line << " (exit " << c.ExitCode << "): " << c.Error;
    }
    else
    {
      line << std::fixed << std::setprecision(1) << " " << c.Seconds << " s";
    }
    line << ", ETA " << Duration(eta) << ", " << failed << " failed";
    Logger::Info(line.str());
  }

private:
  size_t            m_Total;
  bool              m_Terminal;
  Clock::time_point m_Start;
};

std::string
CsvField(const std::string & text)
{
  if (text.find_first_of(",\"\n") == std::string::npos)
  {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text)
  {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

nlohmann::json
CaseJson(const CaseResult & c)
{
  return { { "case", c.Case },          { "input", c.Input },
           { "status", c.Status },      { "error", c.Error },
           { "exit_code", c.ExitCode }, { "slices", c.Slices },
           { "spacing_mm", c.Spacing }, { "lung_volume_ml", c.LungVolumeMl },
           { "seconds", c.Seconds },    { "normalized_mean", c.NormalizedMean },
           { "voxels", c.Voxels } };
}

CaseResult
CaseFromJson(const nlohmann::json & j)
{
  CaseResult c;
  c.Case = j.at("case");
  c.Input = j.at("input");
  c.Status = j.at("status");
  c.Error = j.at("error");
  c.ExitCode = j.at("exit_code");
  c.Slices = j.at("slices");
  c.Spacing = j.at("spacing_mm").get<std::array<double, 3>>();
  c.LungVolumeMl = j.at("lung_volume_ml");
  c.Seconds = j.at("seconds");
  c.NormalizedMean = j.at("normalized_mean");
  c.Voxels = j.at("voxels");
  return c;
}

void
Summarize(BatchResult & result)
{
  result.Ok = result.Failed = result.Skipped = 0;
  double weighted = 0.0;
  double voxels = 0.0;
  for (const auto & c : result.Cases)
  {
    result.Ok += c.Status == "ok";
    result.Failed += c.Status == "failed";
    result.Skipped += c.Status == "skipped";
    if (c.Status != "failed" && c.Voxels > 0)
    {
      weighted += c.NormalizedMean * double(c.Voxels);
      voxels += double(c.Voxels);
    }
  }
  result.HasMean = voxels > 0;
  result.CohortMean = voxels > 0 ? weighted / voxels : 0.0;
}

void
WriteManifest(const fs::path & root, const std::string & stem, const BatchResult & result, bool withMean,
              const nlohmann::json & extra)
{
  nlohmann::json manifest = extra;
  manifest["cases"] = nlohmann::json::array();
  for (const auto & c : result.Cases)
  {
    manifest["cases"].push_back(CaseJson(c));
  }
  manifest["counts"] = {
    { "ok", result.Ok }, { "failed", result.Failed }, { "skipped", result.Skipped }, { "total", result.Cases.size() }
  };
  manifest["seconds"] = result.Seconds;
  if (withMean && result.HasMean)
  {
    manifest["cohort_mean_normalized"] = result.CohortMean;
    manifest["cohort_mean_note"] = "voxel-weighted mean of clip((HU - lower) / (upper - lower), 0, 1): use as --mean";
  }
  WriteTextFileAtomically((root / (stem + ".json")).string(), manifest.dump(2) + "\n");
  std::ostringstream csv;
  csv << "case,status,error,exit_code,slices,spacing_x_mm,spacing_y_mm,spacing_z_mm,lung_volume_ml,seconds,input\n";
  for (const auto & c : result.Cases)
  {
    csv << CsvField(c.Case) << "," << c.Status << "," << CsvField(c.Error) << "," << c.ExitCode << "," << c.Slices
        << "," << c.Spacing[0] << "," << c.Spacing[1] << "," << c.Spacing[2] << "," << c.LungVolumeMl << ","
        << c.Seconds << "," << CsvField(c.Input) << "\n";
  }
  WriteTextFileAtomically((root / (stem + ".csv")).string(), csv.str());
}
} // namespace

std::vector<std::pair<std::string, std::string>>
ListBatchCases(const BatchOptions & options)
{
  std::error_code                                  ec;
  std::vector<std::pair<std::string, std::string>> cases; // (name, input folder)
  if (!options.CasesFile.empty())
  {
    std::ifstream in(options.CasesFile);
    if (!in)
    {
      throw Error(ErrorKind::InvalidInput, options.CasesFile, "cannot read the case list");
    }
    std::string line;
    while (std::getline(in, line))
    {
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty() || line[0] == '#')
      {
        continue;
      }
      const fs::path path = fs::path(line).is_absolute() ? fs::path(line) : fs::path(options.InputRoot) / line;
      cases.emplace_back(path.filename().string(), path.string());
    }
  }
  else
  {
    if (!fs::is_directory(options.InputRoot, ec))
    {
      throw Error(ErrorKind::InvalidInput, options.InputRoot, "is not a folder of cases");
    }
    for (const auto & entry : fs::directory_iterator(options.InputRoot, ec))
    {
      if (entry.is_directory(ec))
      {
        cases.emplace_back(entry.path().filename().string(), entry.path().string());
      }
    }
  }
  std::sort(cases.begin(), cases.end());
  if (options.ShardCount < 1 || options.ShardIndex < 1 || options.ShardIndex > options.ShardCount)
  {
    throw Error(ErrorKind::Usage, "--shard K/N needs 1 <= K <= N");
  }
  std::vector<std::pair<std::string, std::string>> share;
  for (size_t i = 0; i < cases.size(); ++i)
  {
    if (i % options.ShardCount == options.ShardIndex - 1)
    {
      share.push_back(cases[i]);
    }
  }
  return share;
}

BatchResult
RunBatch(const BatchOptions & options)
{
  const auto     start = Clock::now();
  const auto     cases = ListBatchCases(options);
  const fs::path root(options.OutputRoot);
  EnsureWritableDirectory(root.string());
  EnsureWritableDirectory((root / "logs").string());
  const unsigned int cores = std::max(1u, std::thread::hardware_concurrency());
  const unsigned int jobs = options.Jobs > 0 ? options.Jobs : cores;
  const unsigned int threads = options.ThreadsPerCase > 0 ? options.ThreadsPerCase : std::max(1u, cores / jobs);
  const double       maxMemory = options.MaxMemoryGiB > 0 ? options.MaxMemoryGiB : 0.8 * PhysicalMemoryGiB();

  BatchResult result;
  result.Cases.resize(cases.size());
  Progress progress(cases.size());
  size_t   done = 0;
  size_t   failed = 0;
  struct Running
  {
    size_t            Index;
    double            MemoryGiB;
    Clock::time_point Start;
  };
  std::map<pid_t, Running> running;
  double                   memoryInUse = 0.0;
  size_t                   next = 0;
  auto                     finish = [&](size_t index) {
    ++done;
    failed += result.Cases[index].Status == "failed";
    progress.Finished(result.Cases[index], done, failed);
  };

  while (next < cases.size() || !running.empty())
  {
    // Start cases while there is a free job slot and memory for them.
    while (next < cases.size() && running.size() < jobs)
    {
      const size_t index = next;
      CaseResult & c = result.Cases[index];
      c.Case = cases[index].first;
      c.Input = cases[index].second;
      const fs::path directory = root / c.Case;
      if (ReadCompleteCase(directory, c))
      {
        c.Status = "skipped";
        ++next;
        finish(index);
        continue;
      }
      const double estimate = EstimateMemoryGiB(c.Input, options.RunArguments);
      if (estimate > maxMemory)
      {
        std::ostringstream why;
        why << std::fixed << std::setprecision(1) << "estimated memory " << estimate << " GiB exceeds --max-memory "
            << maxMemory << " GiB";
        c.Status = "failed";
        c.Error = c.Input + ": " + why.str();
        c.ExitCode = 9; // memory-limit in ctprep's exit-code table
        ++next;
        finish(index);
        continue;
      }
      if (!running.empty() && memoryInUse + estimate > maxMemory)
      {
        break; // wait for a running case to free its memory
      }
      RemoveLeftovers(directory);
      std::vector<std::string> argv = {
        options.Executable,      "run",         c.Input,       "-o",     directory.string(), "--threads",
        std::to_string(threads), "--checksums", "--verbosity", "warning"
      };
      argv.insert(argv.end(), options.RunArguments.begin(), options.RunArguments.end());
      const pid_t pid = Spawn(argv, root / "logs" / (c.Case + ".log"));
      if (pid < 0)
      {
        throw Error(ErrorKind::ProcessingFailed, options.Executable, "cannot start a case process");
      }
      running[pid] = { index, estimate, Clock::now() };
      memoryInUse += estimate;
      ++next;
    }
    if (running.empty())
    {
      continue;
    }
    int         status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0)
    {
      if (errno == EINTR)
      {
        continue;
      }
      throw Error(ErrorKind::ProcessingFailed, "batch", "lost track of the case processes");
    }
    const auto it = running.find(pid);
    if (it == running.end())
    {
      continue;
    }
    const Running r = it->second;
    running.erase(it);
    memoryInUse -= r.MemoryGiB;
    CaseResult & c = result.Cases[r.Index];
    c.Seconds = std::chrono::duration<double>(Clock::now() - r.Start).count();
    c.ExitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    if (c.ExitCode == 0 && ReadCompleteCase(root / c.Case, c))
    {
      c.Status = "ok";
    }
    else
    {
      c.Status = "failed";
      c.Error = LastError(root / "logs" / (c.Case + ".log"));
      if (c.Error.empty())
      {
        c.Error = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                      : "exit code " + std::to_string(c.ExitCode) + " without an error line";
      }
      RemoveLeftovers(root / c.Case);
    }
    finish(r.Index);
  }
  result.Seconds = std::chrono::duration<double>(Clock::now() - start).count();
  Summarize(result);
  const bool        sharded = options.ShardCount > 1;
  const std::string stem =
    sharded ? "manifest-shard-" + std::to_string(options.ShardIndex) + "-of-" + std::to_string(options.ShardCount)
            : "manifest";
  WriteManifest(root,
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

BatchResult
MergeBatchManifests(const std::string & outputRoot)
{
  const std::regex                   pattern(R"(manifest-shard-(\d+)-of-(\d+)\.json)");
  std::map<unsigned, nlohmann::json> shards;
  unsigned                           count = 0;
  std::error_code                    ec;
  for (const auto & entry : fs::directory_iterator(outputRoot, ec))
  {
    std::smatch       match;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, match, pattern))
    {
      continue;
    }
    const unsigned k = static_cast<unsigned>(std::stoul(match[1]));
    const unsigned n = static_cast<unsigned>(std::stoul(match[2]));
    if (count != 0 && n != count)
    {
      throw Error(ErrorKind::InvalidInput,
                  entry.path().string(),
                  "shards of different splits (" + std::to_string(n) + " and " + std::to_string(count) +
                    ") in one folder");
    }
    count = n;
    std::ifstream in(entry.path());
    shards[k] = nlohmann::json::parse(in);
  }
  if (count == 0)
  {
    throw Error(ErrorKind::InvalidInput, outputRoot, "no manifest-shard-K-of-N.json to merge");
  }
  for (unsigned k = 1; k <= count; ++k)
  {
    if (!shards.count(k))
    {
      throw Error(ErrorKind::InvalidInput,
                  outputRoot,
                  "shard " + std::to_string(k) + " of " + std::to_string(count) + " is missing");
    }
  }
  BatchResult                result;
  std::map<std::string, int> seen;
  bool                       withMean = false;
  for (const auto & [k, manifest] : shards)
  {
    for (const auto & c : manifest.at("cases"))
    {
      result.Cases.push_back(CaseFromJson(c));
      if (++seen[result.Cases.back().Case] > 1)
      {
        throw Error(ErrorKind::InvalidInput, outputRoot, "case " + result.Cases.back().Case + " is in two shards");
      }
    }
    result.Seconds = std::max(result.Seconds, manifest.value("seconds", 0.0));
    withMean = withMean || manifest.contains("cohort_mean_normalized");
  }
  std::sort(result.Cases.begin(), result.Cases.end(), [](const CaseResult & a, const CaseResult & b) {
    return a.Case < b.Case;
  });
  Summarize(result);
  WriteManifest(outputRoot, "manifest", result, withMean, { { "merged_shards", count } });
  return result;
}

} // namespace ctp
