#ifndef ctpBatchManifest_h
#define ctpBatchManifest_h

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <vector>

namespace ctp
{
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

/** Counts the cases by status and averages their normalized means (weighted by voxels). */
void
Summarize(BatchResult & result);

/** `stem`.json and `stem`.csv in `root`, atomically: every case, the counts, and the cohort mean when
 *  `withMean`; `extra` holds what the batch was asked (input root, shard, jobs). */
void
WriteManifest(const std::string & root, const std::string & stem, const BatchResult & result, bool withMean,
              const nlohmann::json & extra);

/** A manifest row as JSON and back. */
nlohmann::json
CaseJson(const CaseResult & c);
CaseResult
CaseFromJson(const nlohmann::json & j);

/** Merges manifest-shard-*-of-N.json of a root into manifest.json/.csv; throws ctp::Error
 *  (InvalidInput) when shards are missing or a case appears twice. */
BatchResult
MergeBatchManifests(const std::string & outputRoot);

} // namespace ctp

#endif
