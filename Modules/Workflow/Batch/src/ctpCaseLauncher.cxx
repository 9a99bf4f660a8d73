#include "ctpCaseLauncher.h"
#include "ctpChildProcess.h"
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
  ChildProcessOptions options;
  options.OutputPath = job.Log;
  const pid_t pid = SpawnChildProcess(job.Command, options);
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
