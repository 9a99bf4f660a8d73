#ifndef ctpRunMemory_h
#define ctpRunMemory_h

#include "ctpDicomSeriesScanner.h"

#include <array>
#include <optional>

namespace ctp
{
/** \brief Peak memory of `ctprep run` on a series, estimated from its headers (GiB), before any pixel is read.
 *
 * Per original voxel the decoded stack and its resampled copy (6 bytes); per output voxel the HU, the
 * mask, the lung mask's working arrays, the writer's slabs and both surfaces meshed at once (14 bytes);
 * plus 0.2 GiB (libraries, threads). An upper bound fitted to peaks measured on 2026-11-26 (peak RSS /
 * estimate; the peak varies by 10% with the threads' timing): A0001 (16.8 M original, 59 M output
 * voxels) 0.77-0.86 / 1.07 GiB; the default phantom 0.40 / 0.57; the same tilted by 20 degrees
 * 0.45-0.49 / 0.76; a 512 x 512 x 120 phantom 0.58-0.61 / 0.88 (test python.MemoryEstimate: peak <=
 * estimate <= 2 x peak). A tilted series counts its tilt-corrected grid (every pixel of every slice)
 * as original.
 * 0 when the series has no geometry. */
double
EstimateRunMemoryGiB(const DicomSeriesInfo & series, const std::optional<std::array<double, 3>> & spacing);

/** The same for a volume file of `size` voxels of `voxelSpacing` mm (its header). */
double
EstimateRunMemoryGiB(const std::array<size_t, 3> & size, const std::array<double, 3> & voxelSpacing,
                     const std::optional<std::array<double, 3>> & spacing);

/** Throws ctp::Error(MemoryLimit) naming `input` when a run's `estimate` (GiB) exceeds `limitGiB` (0:
 *  this machine's physical memory). */
void
CheckRunMemory(double estimate, double limitGiB, const std::string & input);

} // namespace ctp

#endif
