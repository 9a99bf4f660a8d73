#ifndef ctpChildProcess_h
#define ctpChildProcess_h

#include <sys/types.h>

#include <csignal>
#include <string>
#include <vector>

namespace ctp
{
/** How a child process is started. */
struct ChildProcessOptions
{
  /** Where the child's stdout and stderr go (created or truncated); empty: /dev/null. */
  std::string OutputPath;
  /** Sent to the child when this process dies (PR_SET_PDEATHSIG): a killed ctprep leaves no orphan. */
  int DeathSignal{ SIGKILL };
  /** A descriptor of ours the child gets as descriptor 3 (Xvfb's -displayfd 3); -1: none. */
  int PassedDescriptor{ -1 };
};

/** \brief Starts `command` (command[0] a path, not searched on PATH) as a child process: stdin from
 * /dev/null, stdout and stderr as `options` say, no other descriptor of ours held open, dying with
 * this process. Everything is prepared before fork(); the child makes only async-signal-safe calls.
 * Returns its pid, or -1 with errno set when it could not be forked. */
pid_t
SpawnChildProcess(const std::vector<std::string> & command, const ChildProcessOptions & options = {});

} // namespace ctp

#endif
