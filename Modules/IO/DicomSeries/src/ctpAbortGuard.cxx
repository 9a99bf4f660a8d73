#include "ctpAbortGuard.h"
#include "ctpAllocationLimit.h"
#include "ctpError.h"

#include <atomic>
#include <csetjmp>
#include <filesystem>
#include <new>
#include <memory>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <mutex>
#include <unistd.h>

namespace ctp
{
namespace
{
thread_local sigjmp_buf * t_Guard = nullptr;
std::atomic<size_t>       g_Contained{ 0 };
struct sigaction          g_Previous = {}; // the handler before ours (a fuzzer's or sanitizer's, or the default)

void
OnAbort(int signal, siginfo_t * info, void * context)
{
  if (t_Guard != nullptr)
  {
    ++g_Contained;
    siglongjmp(*t_Guard, 1);
  }
  // Not inside a guarded call: whoever handled SIGABRT before us (libFuzzer writes the crashing
  // input), else die as abort() meant.
  if ((g_Previous.sa_flags & SA_SIGINFO) != 0 && g_Previous.sa_sigaction != nullptr)
  {
    g_Previous.sa_sigaction(signal, info, context);
  }
  else if ((g_Previous.sa_flags & SA_SIGINFO) == 0 && g_Previous.sa_handler != SIG_DFL &&
           g_Previous.sa_handler != SIG_IGN && g_Previous.sa_handler != nullptr)
  {
    g_Previous.sa_handler(signal);
  }
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

void
InstallHandler()
{
  static std::once_flag once;
  std::call_once(once, []() {
    struct sigaction action = {};
    action.sa_sigaction = OnAbort;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_NODEFER | SA_SIGINFO;
    sigaction(SIGABRT, &action, &g_Previous);
  });
}
} // namespace

// Silencing is process-wide (file descriptor 2), so it is counted: threads silencing at the same time
// share one redirection, made by the first and undone by the last. Swapping descriptors per thread
// would let one thread "restore" another's /dev/null and lose stderr for good.
namespace
{
std::mutex g_SilenceMutex;
int        g_SilenceCount = 0;
int        g_SavedStderr = -1;
} // namespace

SilencedStderr::SilencedStderr()
{
  const std::lock_guard<std::mutex> lock(g_SilenceMutex);
  if (g_SilenceCount++ > 0)
  {
    return;
  }
  std::fflush(stderr);
  g_SavedStderr = ::dup(STDERR_FILENO);
  const int devnull = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (devnull >= 0)
  {
    ::dup2(devnull, STDERR_FILENO);
    ::close(devnull);
  }
}

SilencedStderr::~SilencedStderr()
{
  const std::lock_guard<std::mutex> lock(g_SilenceMutex);
  if (--g_SilenceCount > 0)
  {
    return;
  }
  std::fflush(stderr);
  if (g_SavedStderr >= 0)
  {
    ::dup2(g_SavedStderr, STDERR_FILENO);
    ::close(g_SavedStderr);
    g_SavedStderr = -1;
  }
}

bool
RunGuardedAgainstAbort(const std::function<void()> & work, bool silence)
{
  InstallHandler();
  sigjmp_buf                      guard;
  sigjmp_buf *                    previous = t_Guard;
  std::unique_ptr<SilencedStderr> quiet(silence ? new SilencedStderr : nullptr);
  if (sigsetjmp(guard, 1) != 0)
  {
    t_Guard = previous;
    return false; // the library aborted
  }
  t_Guard = &guard;
  try
  {
    work();
  }
  catch (...)
  {
    t_Guard = previous;
    throw;
  }
  t_Guard = previous;
  return true;
}

size_t
ContainedAborts()
{
  return g_Contained.load();
}

bool
RunGuardedDecoder(const std::string & path, const std::function<void()> & work, size_t pixelBytes, bool silence)
{
  std::error_code ec;
  const auto      size = std::filesystem::file_size(path, ec);
  const size_t    fileSize = ec ? 0 : static_cast<size_t>(size);
  bool            finished = false;
  size_t          refused = 0;
  {
    ScopedAllocationLimit limit(DecoderAllocationLimit(fileSize, pixelBytes));
    try
    {
      finished = RunGuardedAgainstAbort(work, silence);
    }
    catch (...)
    {
      // The library may turn the refused request into an error of its own, or pass it on.
      if (limit.Refused() == 0)
      {
        throw; // not the limit: memory really ran out, or another error
      }
    }
    refused = limit.Refused();
  }
  if (refused > 0)
  {
    throw Error(ErrorKind::InvalidInput,
                path,
                "malformed: the DICOM library asked for " + std::to_string(refused) + " bytes at once for a file of " +
                  std::to_string(fileSize) + " bytes");
  }
  return finished;
}

} // namespace ctp
