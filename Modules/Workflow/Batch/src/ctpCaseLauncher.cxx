#include "ctpCaseLauncher.h"
#include "ctpError.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

namespace ctp
{
void
ProcessLauncher::Launch(const CaseJob & job)
{
  std::vector<char *> argv;
  for (const auto & a : job.Command)
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
    const int fd = ::open(job.Log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
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
  if (pid < 0)
  {
    throw Error(ErrorKind::ProcessingFailed, job.Command.front(), "cannot start a case process");
  }
  m_Running[pid] = job.Index;
}

CaseExit
ProcessLauncher::WaitForAny()
{
  while (true)
  {
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
    const auto it = m_Running.find(pid);
    if (it == m_Running.end())
    {
      continue; // not a case of ours
    }
    CaseExit exit;
    exit.Index = it->second;
    m_Running.erase(it);
    exit.Signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    exit.ExitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + exit.Signal;
    return exit;
  }
}

} // namespace ctp
