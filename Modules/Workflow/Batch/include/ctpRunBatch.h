#ifndef ctpRunBatch_h
#define ctpRunBatch_h

#include "ctpBatchCases.h"
#include "ctpBatchManifest.h"
#include "ctpCaseLauncher.h"
#include "ctpRunOptions.h"

#include <functional>
#include <string>
#include <vector>

namespace ctp
{
/** How one case's process is to be run: what the application turns into its command line. */
struct CaseCommand
{
  std::string  Input;
  std::string  OutputDirectory;
  std::string  ParameterFile; ///< the run's parameters (ReadParameterFile)
  unsigned int Threads{ 1 };
  std::string  FailureRecord; ///< where a failing case writes why (ReadFailureRecord)
};

/** Parameters of `ctprep batch`. */
struct BatchOptions
{
  std::string  InputRoot;           ///< one case per first-level folder
  std::string  OutputRoot;          ///< OUTPUT_ROOT/<case>/ holds what `ctprep run` writes
  std::string  CasesFile;           ///< optional: one case per line (a folder name below InputRoot, or a path)
  unsigned int Jobs{ 0 };           ///< cases at once; 0: one per core
  unsigned int ThreadsPerCase{ 0 }; ///< threads of each case; 0: cores / jobs
  double       MaxMemoryGiB{ 0.0 }; ///< admission limit on the estimated memory of running cases; 0: 80% of RAM
  unsigned int ShardIndex{ 1 };     ///< this share, 1..ShardCount
  unsigned int ShardCount{ 1 };
  bool         ComputeMean{ false };
  RunOptions   Run; ///< every case's parameters (Input and OutputDirectory are the case's)
  /** The run options as the user gave them, recorded in the manifest (never parsed). */
  std::vector<std::string> RunArguments;
  /** The command line of a case's process (the application knows its own program and flags). */
  std::function<std::vector<std::string>(const CaseCommand &)> CaseCommandLine;
};

/** \brief `ctprep batch`: every case through `ctprep run` in its own process, several at once.
 *
 * The run parameters go to every case as one parameter file (OUTPUT_ROOT/run-parameters.json). A case
 * whose folder holds a ctprep.json listing outputs that all exist with their size and hash is skipped
 * (resume); otherwise leftovers of an interrupted run (.ctp-tmp-*) are removed and the case is run
 * again. Each case runs as a child process (ProcessLauncher, or `launcher`), with its log in
 * OUTPUT_ROOT/logs/<case>.log; a failure is recorded with its exit code and the error line of its
 * failure record, never stops the others. Cases start while the sum of their estimated memory stays
 * within the limit (BatchSchedule). Progress: BatchProgress. The manifest (manifest.json and .csv, or
 * manifest-shard-K-of-N.* for a shard) is written atomically at the end. */
BatchResult
RunBatch(const BatchOptions & options);
BatchResult
RunBatch(const BatchOptions & options, CaseLauncher & launcher);

/** EstimateRunMemoryGiB of a case's series with the run's parameters; 0 when its series cannot be
 *  read (the run will say why). */
double
EstimateCaseMemoryGiB(const std::string & input, const RunOptions & run);

/** Writes why a run failed for its batch: {"exit_code", "kind", "error"}. Never throws. */
void
WriteFailureRecord(const std::string & path, int exitCode, const std::string & kind, const std::string & error);

/** The error line of a failure record; empty when there is none. */
std::string
ReadFailureRecord(const std::string & path);

} // namespace ctp

#endif
