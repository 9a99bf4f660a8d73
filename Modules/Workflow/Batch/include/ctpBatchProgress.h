#ifndef ctpBatchProgress_h
#define ctpBatchProgress_h

#include "ctpBatchManifest.h"

#include <chrono>

namespace ctp
{
/** \brief A batch's progress: a live bar on a terminal (cases/min, ETA, failures), a line per finished
 * case otherwise (a log file, a cluster job's output). Quiet at verbosity off. */
class BatchProgress
{
public:
  explicit BatchProgress(size_t total);

  /** Case `c` ended; `done` cases of the total have, `failed` of them failed. */
  void
  Finished(const CaseResult & c, size_t done, size_t failed);

private:
  size_t                                m_Total;
  bool                                  m_Terminal;
  std::chrono::steady_clock::time_point m_Start;
};

} // namespace ctp

#endif
