#ifndef ctpBatch_h
#define ctpBatch_h

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace ctp
{
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
  std::vector<std::string> RunArguments; ///< passed to every `ctprep run` (spacing, formats, ...)
  std::string              Executable;   ///< the ctprep that runs each case
};

/** What happened to one case (a manifest row). */
struct CaseResult
{
  std::string           Case;
  std::string           Input;
  std::string           Status; ///< "ok", "failed" or "skipped" (complete from an earlier run)
  std::string           Error;  ///< the case's one-line error, if failed
  int                   ExitCode{ 0 };
  size_t                Slices{ 0 };
  std::array<double, 3> Spacing{};
  double                LungVolumeMl{ 0.0 };
  double                Seconds{ 0.0 };
  double                NormalizedMean{ 0.0 }; ///< mean of the normalized volume (before zero-centering)
  size_t                Voxels{ 0 };
};

struct BatchResult
{
  std::vector<CaseResult> Cases;
  size_t                  Ok{ 0 };
  size_t                  Failed{ 0 };
  size_t                  Skipped{ 0 };
  double                  Seconds{ 0.0 };
  bool                    HasMean{ false };
  double                  CohortMean{ 0.0 }; ///< voxel-weighted mean normalized pixel of the ok and skipped cases
};

/** Cases of a batch: the first-level folders of the input root (or the list file), sorted by name,
 *  and this shard's share (case i, 0-based in that order, belongs to shard i mod N + 1).
 *  Throws ctp::Error(InvalidInput) for a missing input root or list. */
std::vector<std::pair<std::string, std::string>>
ListBatchCases(const BatchOptions & options);

/** \brief `ctprep batch`: every case through `ctprep run` in its own process, several at once.
 *
 * A case whose folder holds a ctprep.json listing outputs that all exist with their size and hash is
 * skipped (resume); otherwise leftovers of an interrupted run (.ctp-tmp-*) are removed and the case
 * is run again. Each case runs as a child process (killed with the batch), with its log in
 * OUTPUT_ROOT/logs/<case>.log; a failure is recorded with its exit code and error line, never stops
 * the others. Cases start while the sum of their estimated memory stays within the limit. Progress:
 * a live bar on a terminal, a line per case otherwise. The manifest (manifest.json and .csv, or
 * manifest-shard-K-of-N.* for a shard) is written atomically at the end. */
BatchResult
RunBatch(const BatchOptions & options);

/** Merges manifest-shard-*-of-N.json of a root into manifest.json/.csv; throws ctp::Error
 *  (InvalidInput) when shards are missing or a case appears twice. */
BatchResult
MergeBatchManifests(const std::string & outputRoot);

} // namespace ctp

#endif
