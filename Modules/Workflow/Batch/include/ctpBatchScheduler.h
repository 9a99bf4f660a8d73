#ifndef ctpBatchScheduler_h
#define ctpBatchScheduler_h

#include "ctpBatchCases.h"
#include "ctpBatchManifest.h"
#include "ctpCaseLauncher.h"
#include "ctpSidecarWriter.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** How a batch schedules its cases, and what it asks of each case besides running it. */
struct BatchSchedule
{
  unsigned int Jobs{ 1 };           ///< cases at once
  double       MaxMemoryGiB{ 0.0 }; ///< the estimated memory of the running cases together stays within it
  /** The exit code recorded for a case refused for its memory (ctprep's memory-limit). */
  int MemoryLimitExitCode{ 9 };
  /** The case's outputs are complete from an earlier run (resume): its record's summary. */
  std::function<std::optional<SidecarSummary>(const BatchCase &)> CompleteRun;
  /** The case's estimated peak memory (GiB); 0 when unknown. */
  std::function<double(const BatchCase &)> MemoryGiB;
  /** Readies the case's output folder and says how to run it. */
  std::function<CaseJob(const BatchCase &, size_t index)> PrepareJob;
  /** Why a case that ended with `exit` failed, in one line (its failure record); clears what the
   *  failed run left behind. */
  std::function<std::string(const BatchCase &, const CaseExit & exit)> FailureOf;
  /** Called as each case ends (progress); may be empty. */
  std::function<void(const CaseResult &, size_t done, size_t failed)> Finished;
};

/** \brief Runs `cases` through `launcher`, in order, at most Jobs at once and within MaxMemoryGiB.
 *
 * A complete case is skipped; one whose estimate alone exceeds the limit fails without running;
 * otherwise a case starts when a job slot is free and its estimate fits beside the running cases' (or
 * nothing runs). A case is ok when it exits 0 and its outputs are complete, failed otherwise (never
 * stopping the others). Returns one result per case, in the cases' order. */
std::vector<CaseResult>
ScheduleCases(const std::vector<BatchCase> & cases, const BatchSchedule & schedule, CaseLauncher & launcher);

} // namespace ctp

#endif
