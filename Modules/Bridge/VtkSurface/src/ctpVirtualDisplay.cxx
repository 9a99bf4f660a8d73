#include "ctpVirtualDisplay.h"
#include "ctpChildProcess.h"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

// Last: Xlib defines macros (None, Bool, Status) that other headers use as names.
#include <X11/Xlib.h>

namespace ctp
{
namespace
{
/** The first executable `name` on PATH, found before fork(): the child may only make
 *  async-signal-safe calls, and a PATH search allocates. */
std::string
FindOnPath(const std::string & name)
{
  const char *      path = std::getenv("PATH");
  const std::string folders = path ? path : "/usr/local/bin:/usr/bin:/bin";
  size_t            begin = 0;
  while (begin <= folders.size())
  {
    const size_t      end = std::min(folders.find(':', begin), folders.size());
    const std::string folder = end > begin ? folders.substr(begin, end - begin) : ".";
    const std::string candidate = folder + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0)
    {
      return candidate;
    }
    begin = end + 1;
  }
  return {};
}

std::string
ExitDescription(int status)
{
  if (WIFEXITED(status))
  {
    return "exit status " + std::to_string(WEXITSTATUS(status));
  }
  if (WIFSIGNALED(status))
  {
    return "signal " + std::to_string(WTERMSIG(status));
  }
  return "status " + std::to_string(status);
}
} // namespace

VirtualDisplay::VirtualDisplay(int width, int height)
{
  const std::string xvfb = FindOnPath("Xvfb");
  if (xvfb.empty())
  {
    m_StartFailure = "no X display and no Xvfb to start one (apt-get install xvfb libgl1-mesa-dri)";
    return;
  }
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
  {
    m_StartFailure = std::string("cannot start Xvfb: pipe: ") + std::strerror(errno);
    return;
  }
  const std::string   screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
  ChildProcessOptions options;
  options.DeathSignal = SIGTERM; // a ctprep killed with SIGKILL must not leave an X server running
  options.PassedDescriptor = fds[1];
  // -displayfd 3: SpawnChildProcess hands our pipe's end over as descriptor 3; Xvfb's start-up chatter
  // (fonts, xkbcomp) goes to /dev/null.
  const pid_t pid = SpawnChildProcess({ xvfb, "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp" }, options);
  ::close(fds[1]);
  if (pid < 0)
  {
    ::close(fds[0]);
    m_StartFailure = std::string("cannot start Xvfb: fork: ") + std::strerror(errno);
    return;
  }
  m_Pid = pid;
  m_ReadFd = fds[0];
}

VirtualDisplay::~VirtualDisplay()
{
  if (m_Display)
  {
    ::XCloseDisplay(static_cast<Display *>(m_Display));
  }
  Stop();
}

void *
VirtualDisplay::Open(std::string & reason, double timeoutSeconds)
{
  if (m_Display)
  {
    return m_Display;
  }
  if (m_Pid < 0)
  {
    reason = m_StartFailure.empty() ? "Xvfb is not running" : m_StartFailure;
    return nullptr;
  }
  if (m_Name.empty() && !ReadDisplayNumber(reason, timeoutSeconds))
  {
    Stop();
    return nullptr;
  }
  m_Display = ::XOpenDisplay(m_Name.c_str());
  if (!m_Display)
  {
    reason = "cannot connect to the private X display " + m_Name + " (Xvfb)";
    Stop();
  }
  return m_Display;
}

bool
VirtualDisplay::ReadDisplayNumber(std::string & reason, double timeoutSeconds)
{
  const auto  deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeoutSeconds);
  std::string number;
  while (number.empty() || number.back() != '\n')
  {
    const auto left =
      std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    pollfd    ready = { m_ReadFd, POLLIN, 0 };
    const int polled = left > 0 ? ::poll(&ready, 1, int(left)) : 0;
    if (polled < 0 && errno == EINTR)
    {
      continue;
    }
    if (polled <= 0)
    {
      reason = "Xvfb not ready after " + std::to_string(int(timeoutSeconds)) + " s";
      return false;
    }
    char       buffer[32];
    const auto got = ::read(m_ReadFd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR)
    {
      continue;
    }
    if (got <= 0)
    {
      // The pipe closed without a number: Xvfb ended; its status says why.
      int status = 0;
      ::waitpid(m_Pid, &status, 0);
      m_Pid = -1;
      reason = "Xvfb ended before it was ready (" + ExitDescription(status) + ")";
      return false;
    }
    number.append(buffer, size_t(got));
  }
  number.pop_back();
  m_Name = ":" + number;
  ::close(m_ReadFd);
  m_ReadFd = -1;
  return true;
}

void
VirtualDisplay::Stop()
{
  if (m_ReadFd >= 0)
  {
    ::close(m_ReadFd);
    m_ReadFd = -1;
  }
  if (m_Pid < 0)
  {
    return;
  }
  // SIGTERM lets Xvfb remove its socket and lock file; SIGKILL only if it has not gone in 2 s.
  ::kill(m_Pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  int        status = 0;
  while (::waitpid(m_Pid, &status, WNOHANG) == 0)
  {
    if (std::chrono::steady_clock::now() > deadline)
    {
      ::kill(m_Pid, SIGKILL);
      ::waitpid(m_Pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  m_Pid = -1;
}

} // namespace ctp
