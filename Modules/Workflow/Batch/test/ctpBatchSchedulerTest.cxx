#include "ctpBatchScheduler.h"
#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpDicomSeriesScanner.h"
#include "ctpRunBatch.h"
#include "ctpRunMemory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

namespace
{
/** Cases that are not processes: each "runs" until the scheduler waits, ending in launch order with
 *  the exit code the test gives it; records what ran at once. */
class FakeLauncher : public ctp::CaseLauncher
{
public:
  std::map<std::string, int> ExitCodes; ///< by the case's input; 0 when absent
  std::vector<std::string>   Launched;
  size_t                     MostAtOnce{ 0 };

  void
  Launch(const ctp::CaseJob & job) override
  {
    Launched.push_back(job.Command.at(1));
    m_Running.push_back({ job.Index, job.Command.at(1) });
    MostAtOnce = std::max(MostAtOnce, m_Running.size());
  }
  ctp::CaseExit
  WaitForAny() override
  {
    const auto first = m_Running.front();
    m_Running.pop_front();
    ctp::CaseExit exit;
    exit.Index = first.first;
    exit.ExitCode = ExitCodes.count(first.second) ? ExitCodes.at(first.second) : 0;
    return exit;
  }

private:
  std::deque<std::pair<size_t, std::string>> m_Running;
};

std::vector<ctp::BatchCase>
Cases(size_t n)
{
  std::vector<ctp::BatchCase> cases;
  for (size_t i = 0; i < n; ++i)
  {
    cases.push_back({ "case" + std::to_string(i), "in" + std::to_string(i) });
  }
  return cases;
}

/** A schedule whose cases complete when they ran with exit 0, each estimated at `memory` GiB. */
ctp::BatchSchedule
Schedule(unsigned int jobs, double maxMemory, std::map<std::string, double> memory, std::set<std::string> & done,
         FakeLauncher & launcher)
{
  ctp::BatchSchedule schedule;
  schedule.Jobs = jobs;
  schedule.MaxMemoryGiB = maxMemory;
  schedule.CompleteRun = [&done](const ctp::BatchCase & c) -> std::optional<ctp::SidecarSummary> {
    if (!done.count(c.Input))
    {
      return std::nullopt;
    }
    ctp::SidecarSummary summary;
    summary.Slices = 10;
    summary.Voxels = 100;
    return summary;
  };
  schedule.MemoryGiB = [memory](const ctp::BatchCase & c) { return memory.count(c.Input) ? memory.at(c.Input) : 1.0; };
  schedule.PrepareJob = [](const ctp::BatchCase & c, size_t index) {
    return ctp::CaseJob{ index, { "run", c.Input }, "" };
  };
  schedule.FailureOf = [](const ctp::BatchCase & c, const ctp::CaseExit & exit) {
    return c.Input + " failed with " + std::to_string(exit.ExitCode);
  };
  // A case that exits 0 is complete (the fake's "outputs").
  schedule.Finished = [](const ctp::CaseResult &, size_t, size_t) {};
  return schedule;
}

/** Wraps a launcher so that cases exiting 0 become complete. */
class CompletingLauncher : public ctp::CaseLauncher
{
public:
  CompletingLauncher(FakeLauncher & inner, std::set<std::string> & done)
    : m_Inner(inner)
    , m_Done(done)
  {}
  void
  Launch(const ctp::CaseJob & job) override
  {
    m_Inputs[job.Index] = job.Command.at(1);
    m_Inner.Launch(job);
  }
  ctp::CaseExit
  WaitForAny() override
  {
    const auto exit = m_Inner.WaitForAny();
    if (exit.ExitCode == 0)
    {
      m_Done.insert(m_Inputs[exit.Index]);
    }
    return exit;
  }

private:
  FakeLauncher &                m_Inner;
  std::set<std::string> &       m_Done;
  std::map<size_t, std::string> m_Inputs;
};
} // namespace

TEST(BatchScheduler, RunsEveryCaseWithAtMostJobsAtOnce)
{
  FakeLauncher          fake;
  std::set<std::string> done;
  CompletingLauncher    launcher(fake, done);
  const auto            results = ctp::ScheduleCases(Cases(5), Schedule(2, 100.0, {}, done, fake), launcher);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(fake.MostAtOnce, 2u);
  EXPECT_EQ(fake.Launched.size(), 5u);
  for (size_t i = 0; i < results.size(); ++i)
  {
    EXPECT_EQ(results[i].Case, "case" + std::to_string(i));
    EXPECT_EQ(results[i].Status, "ok");
    EXPECT_EQ(results[i].Slices, 10u);
  }
}

TEST(BatchScheduler, KeepsTheRunningCasesWithinTheMemoryLimit)
{
  FakeLauncher          fake;
  std::set<std::string> done;
  CompletingLauncher    launcher(fake, done);
  // 3 GiB each with 5 GiB: one at a time although 4 jobs are allowed; 6 GiB alone is too much.
  const auto results =
    ctp::ScheduleCases(Cases(4),
                       Schedule(4, 5.0, { { "in0", 3.0 }, { "in1", 3.0 }, { "in2", 6.0 }, { "in3", 3.0 } }, done, fake),
                       launcher);
  EXPECT_EQ(fake.MostAtOnce, 1u);
  EXPECT_EQ(fake.Launched, (std::vector<std::string>{ "in0", "in1", "in3" }));
  EXPECT_EQ(results[2].Status, "failed");
  EXPECT_EQ(results[2].ExitCode, 9);
  EXPECT_NE(results[2].Error.find("estimated memory 6.0 GiB"), std::string::npos) << results[2].Error;
  EXPECT_EQ(results[3].Status, "ok");
}

TEST(BatchScheduler, SkipsCompleteCasesAndRecordsFailuresWithoutStopping)
{
  FakeLauncher          fake;
  std::set<std::string> done{ "in1" };
  CompletingLauncher    launcher(fake, done);
  fake.ExitCodes["in2"] = 4;
  const auto results = ctp::ScheduleCases(Cases(4), Schedule(2, 100.0, {}, done, fake), launcher);
  EXPECT_EQ(fake.Launched, (std::vector<std::string>{ "in0", "in2", "in3" }));
  EXPECT_EQ(results[1].Status, "skipped");
  EXPECT_EQ(results[2].Status, "failed");
  EXPECT_EQ(results[2].ExitCode, 4);
  EXPECT_EQ(results[2].Error, "in2 failed with 4");
  EXPECT_EQ(results[3].Status, "ok");
}

TEST(BatchScheduler, AFailureRecordGivesTheCaseItsErrorLine)
{
  const auto path = std::filesystem::temp_directory_path() / ("ctp_failure_" + std::to_string(::getpid()) + ".json");
  EXPECT_EQ(ctp::ReadFailureRecord(path.string()), "");
  ctp::WriteFailureRecord(path.string(), 4, "invalid-input", "/data/case1: slice 3 is truncated");
  EXPECT_EQ(ctp::ReadFailureRecord(path.string()), "/data/case1: slice 3 is truncated");
  std::filesystem::remove(path);
}

TEST(BatchScheduler, ListsShardsAsIModN)
{
  const auto root = std::filesystem::temp_directory_path() / ("ctp_cases_" + std::to_string(::getpid()));
  for (const char * name : { "d", "a", "c", "b", "e" })
  {
    std::filesystem::create_directories(root / name);
  }
  const auto all = ctp::ListBatchCases(root.string(), "", 1, 1);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().Name, "a");
  const auto second = ctp::ListBatchCases(root.string(), "", 2, 2);
  ASSERT_EQ(second.size(), 2u);
  EXPECT_EQ(second[0].Name, "b");
  EXPECT_EQ(second[1].Name, "d");
  EXPECT_THROW(ctp::ListBatchCases(root.string(), "", 3, 2), ctp::Error);
  std::filesystem::remove_all(root);
}

TEST(BatchScheduler, EstimatesACaseAtTheRunsSpacing)
{
  const auto root = std::filesystem::temp_directory_path() / ("ctp_estimate_" + std::to_string(::getpid()));
  ctp::ChestPhantomParameters p;
  p.Matrix = 96;
  p.Slices = 30;
  const auto      phantom = ctp::WriteChestPhantom(p, root.string());
  const auto      series = ctp::ChooseSeries(ctp::ScanDicomPath(phantom.DicomDirectory), "");
  ctp::RunOptions run;
  run.Spacing = std::array<double, 3>{ 2.0, 2.0, 2.0 };
  const double at2 = ctp::EstimateCaseMemoryGiB(phantom.DicomDirectory, run);
  EXPECT_DOUBLE_EQ(at2, ctp::EstimateRunMemoryGiB(series, run.Spacing));
  EXPECT_LT(at2, ctp::EstimateRunMemoryGiB(series, std::array<double, 3>{ 1.0, 1.0, 1.0 }));
  std::filesystem::remove_all(root);
}
