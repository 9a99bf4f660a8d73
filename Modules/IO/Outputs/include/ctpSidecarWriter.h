#ifndef ctpSidecarWriter_h
#define ctpSidecarWriter_h

#include "ctpRunRecord.h"

#include <optional>
#include <string>

namespace ctp
{
/** \brief ctprep.json: the record of a run, written last (its presence means the outputs are complete).
 *
 * Lists every output of `record` with its size (and content hash when record.Checksums), hashing in
 * parallel; written atomically into `directory`. Returns its path. Throws ctp::Error. */
std::string
WriteSidecar(const RunRecord & record, const std::string & directory);

/** What a batch needs to know of a finished run, read back from its ctprep.json. */
struct SidecarSummary
{
  size_t                Slices{ 0 };
  std::array<double, 3> Spacing{};
  double                LungVolumeMl{ 0.0 };
  double                NormalizedMean{ 0.0 };
  size_t                Voxels{ 0 };
  double                Seconds{ 0.0 };
};

/** The summary of the run in `directory` when its ctprep.json lists outputs that all exist with their
 *  recorded size and content hash; empty when any is missing, changed or unhashed, or the sidecar is
 *  absent or unreadable (the run did not finish). */
std::optional<SidecarSummary>
ReadCompleteRun(const std::string & directory);

} // namespace ctp

#endif
