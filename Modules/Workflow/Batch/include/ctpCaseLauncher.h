#ifndef ctpCaseLauncher_h
#define ctpCaseLauncher_h

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace ctp
{
/** A case to run: the command and where its output goes. */
struct CaseJob
{
  size_t                   Index{ 0 }; ///< the case's place in the batch
  std::vector<std::string> Command;    ///< program and arguments
  std::string              Log;        ///< stdout and stderr go here
};

/** How a case's process ended. */
struct CaseExit
{
  size_t Index{ 0 };
  int    ExitCode{ 0 }; ///< the process's exit status; 128 + signal when killed
  int    Signal{ 0 };   ///< the signal that killed it, 0 if it exited
};

/** \brief Starts case processes and reports their ends: what the batch scheduler asks of the system,
 * an interface so tests can run the scheduler with cases that are not processes. */
class CaseLauncher
{
public:
  virtual ~CaseLauncher() = default;
  /** Starts `job`; throws ctp::Error(ProcessingFailed) when it cannot. */
  virtual void
  Launch(const CaseJob & job) = 0;
  /** Blocks until one launched job ends. */
  virtual CaseExit
  WaitForAny() = 0;
};

/** \brief Each case as a child process (fork and exec), its output to its log, stdin from /dev/null;
 * a child dies with the batch (PR_SET_PDEATHSIG), so a killed batch leaves no orphans. */
class ProcessLauncher : public CaseLauncher
{
public:
  void
  Launch(const CaseJob & job) override;
  CaseExit
  WaitForAny() override;

private:
  std::map<pid_t, size_t> m_Running;
};

} // namespace ctp

#endif
