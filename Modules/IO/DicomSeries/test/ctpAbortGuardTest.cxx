// RunGuardedAgainstAbort and SilencedStderr: an abort() is contained, and stderr survives threads
// silencing it at the same time (the header scan and the slice reads run in parallel).
#include "ctpAbortGuard.h"
#include "ctpError.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>
#include <string>
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

// A request above the decoder's limit (64 MiB + 2 x (file + decoded image)) becomes a malformed
// file naming the request, whether the library lets the allocation failure through or turns it into
// an error of its own. (Fuzzing found GDCM asking for 3.5 GB for a 3 KB file, a length it worked out
// itself while recovering from broken fragments.)
TEST(AbortGuard, DecoderRequestAboveTheLimitIsAMalformedFile)
{
  const std::string path = ::testing::TempDir() + "ctp-guard-small.dcm";
  {
    std::ofstream(path, std::ios::binary) << std::string(3000, 'x');
  }
  const size_t request = size_t(1) << 30; // 1 GiB, far above 64 MiB + 2 x 3000 bytes
  for (const bool swallow : { false, true })
  {
    try
    {
      ctp::RunGuardedDecoder(path, [&]() {
        try
        {
          std::vector<char> buffer(request);
          buffer[request - 1] = 1;
        }
        catch (const std::bad_alloc &)
        {
          if (!swallow)
          {
            throw;
          }
        }
      });
      ADD_FAILURE() << "allowed";
    }
    catch (const ctp::Error & e)
    {
      EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
      EXPECT_NE(std::string(e.what()).find("malformed: the DICOM library asked for 1073741824 bytes at once for a "
                                           "file of 3000 bytes"),
                std::string::npos)
        << e.what();
    }
  }
  std::remove(path.c_str());
}
