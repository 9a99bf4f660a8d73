#include "ctpBatchScheduler.h"

#include "ctpParameterSpelling.h"

#include <chrono>
#include <iomanip>
#include <map>
#include <sstream>

namespace ctp
{
namespace
{
using Clock = std::chrono::steady_clock;

void
TakeSummary(const SidecarSummary & summary, CaseResult & c)
{
  c.Slices = summary.Slices;
  c.Spacing = summary.Spacing;
  c.LungVolumeMl = summary.LungVolumeMl;
  c.NormalizedMean = summary.NormalizedMean;
  c.Voxels = summary.Voxels;
  if (c.Seconds == 0.0)
  {
    c.Seconds = summary.Seconds;
  }
}

/** A running case. */
struct Running
{
  double            MemoryGiB{ 0.0 };
  Clock::time_point Start;
};
} // namespace

std::vector<CaseResult>
ScheduleCases(const std::vector<BatchCase> & cases, const BatchSchedule & schedule, CaseLauncher & launcher)
{
  std::vector<CaseResult>   results(cases.size());
  std::map<size_t, Running> running;
  double                    memoryInUse = 0.0;
  size_t                    next = 0;
  size_t                    done = 0;
  size_t                    failed = 0;
  auto                      finish = [&](size_t index) {
    ++done;
    failed += results[index].Status == "failed";
    if (schedule.Finished)
    {
      schedule.Finished(results[index], done, failed);
    }
  };
  while (next < cases.size() || !running.empty())
  {
    // Start cases while there is a free job slot and memory for them.
    while (next < cases.size() && running.size() < schedule.Jobs)
    {
      const size_t index = next;
      CaseResult & c = results[index];
      c.Case = cases[index].Name;
      c.Input = cases[index].Input;
      if (const auto complete = schedule.CompleteRun(cases[index]))
      {
        c.Status = "skipped";
        TakeSummary(*complete, c);
        ++next;
        finish(index);
        continue;
      }
      const double estimate = schedule.MemoryGiB(cases[index]);
      if (estimate > schedule.MaxMemoryGiB)
      {
        std::ostringstream why;
        why << std::fixed << std::setprecision(1) << "estimated memory " << estimate << " GiB exceeds "
            << SpellParameter("max_memory_gib") << " " << schedule.MaxMemoryGiB << " GiB";
        c.Status = "failed";
        c.Error = c.Input + ": " + why.str();
        c.ExitCode = schedule.MemoryLimitExitCode;
        ++next;
        finish(index);
        continue;
      }
      if (!running.empty() && memoryInUse + estimate > schedule.MaxMemoryGiB)
      {
        break; // wait for a running case to free its memory
      }
      launcher.Launch(schedule.PrepareJob(cases[index], index));
      running[index] = { estimate, Clock::now() };
      memoryInUse += estimate;
      ++next;
    }
    if (running.empty())
    {
      continue;
    }
    const CaseExit exit = launcher.WaitForAny();
    const auto     it = running.find(exit.Index);
    if (it == running.end())
    {
      continue;
    }
    memoryInUse -= it->second.MemoryGiB;
    CaseResult & c = results[exit.Index];
    c.Seconds = std::chrono::duration<double>(Clock::now() - it->second.Start).count();
    running.erase(it);
    c.ExitCode = exit.ExitCode;
    const auto complete = exit.ExitCode == 0 ? schedule.CompleteRun(cases[exit.Index]) : std::nullopt;
    if (complete)
    {
      c.Status = "ok";
      TakeSummary(*complete, c);
    }
    else
    {
      c.Status = "failed";
      c.Error = schedule.FailureOf(cases[exit.Index], exit);
    }
    finish(exit.Index);
  }
  return results;
}

} // namespace ctp
