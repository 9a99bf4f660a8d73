// RunGuardedAgainstAbort and SilencedStderr: an abort() is contained, and stderr survives threads
// silencing it at the same time (the header scan and the slice reads run in parallel).
#include "ctpAbortGuard.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <sys/stat.h>
#include <thread>
#include <vector>

namespace
{
/** Identity of whatever file descriptor 2 points to. */
std::pair<dev_t, ino_t>
StderrIdentity()
{
  struct stat info
  {};
  EXPECT_EQ(::fstat(2, &info), 0);
  return { info.st_dev, info.st_ino };
}
} // namespace

TEST(AbortGuard, AbortIsContained)
{
  bool after = false;
  EXPECT_FALSE(ctp::RunGuardedAgainstAbort([&]() {
    std::abort();
    after = true;
  }));
  EXPECT_FALSE(after);
  EXPECT_TRUE(ctp::RunGuardedAgainstAbort([]() {}));
}

TEST(AbortGuard, OverlappingSilencingFromThreadsRestoresStderr)
{
  const auto               before = StderrIdentity();
  std::atomic<int>         aborted{ 0 };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
  {
    threads.emplace_back([&]() {
      for (int i = 0; i < 200; ++i)
      {
        if (!ctp::RunGuardedAgainstAbort([i]() {
              if (i % 7 == 0)
              {
                std::abort();
              }
            }))
        {
          ++aborted;
        }
      }
    });
  }
  for (auto & thread : threads)
  {
    thread.join();
  }
  EXPECT_EQ(aborted.load(), 4 * 29);
  EXPECT_EQ(StderrIdentity(), before) << "stderr was left pointing elsewhere (e.g. /dev/null)";
}
