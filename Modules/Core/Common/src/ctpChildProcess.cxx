#include "ctpChildProcess.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

namespace ctp
{
pid_t
SpawnChildProcess(const std::vector<std::string> & command, const ChildProcessOptions & options)
{
  std::vector<char *> argv;
  for (const auto & a : command)
  {
    argv.push_back(const_cast<char *>(a.c_str()));
  }
  argv.push_back(nullptr);
  const char * output = options.OutputPath.empty() ? "/dev/null" : options.OutputPath.c_str();
  const int    passed = 3;
  const pid_t  parent = ::getpid();
  const pid_t  pid = ::fork();
  if (pid != 0)
  {
    return pid;
  }
  ::prctl(PR_SET_PDEATHSIG, options.DeathSignal);
  if (::getppid() != parent)
  {
    ::_exit(126); // the parent died before this child could ask to die with it
  }
  const int in = ::open("/dev/null", O_RDONLY);
  const int out = ::open(output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in < 0 || out < 0 || ::dup2(in, STDIN_FILENO) < 0 || ::dup2(out, STDOUT_FILENO) < 0 ||
      ::dup2(out, STDERR_FILENO) < 0)
  {
    ::_exit(127);
  }
  if (options.PassedDescriptor >= 0)
  {
    // dup2 onto itself would keep close-on-exec: then clear the flag instead.
    if (options.PassedDescriptor == passed ? ::fcntl(passed, F_SETFD, 0) < 0
                                           : ::dup2(options.PassedDescriptor, passed) < 0)
    {
      ::_exit(127);
    }
  }
  // No other descriptor of ours (output files being written, a pipe's end) stays open in the child.
  ::close_range(options.PassedDescriptor >= 0 ? passed + 1 : passed, ~0U, 0);
  ::execv(argv[0], argv.data());
  ::_exit(127);
}

} // namespace ctp
