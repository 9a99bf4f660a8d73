#ifndef ctpPreviewWriter_h
#define ctpPreviewWriter_h

#include "ctpImageTypes.h"
#include "ctpSlicePngWriter.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** HU statistics of a volume, and of its lungs when a mask is given. */
struct HUStatistics
{
  size_t              Voxels{ 0 };
  double              Minimum{ 0.0 };
  double              Maximum{ 0.0 };
  double              Mean{ 0.0 };
  double              StandardDeviation{ 0.0 };
  double              Percentile1{ 0.0 };
  double              Median{ 0.0 };
  double              Percentile99{ 0.0 };
  size_t              LungVoxels{ 0 };
  double              LungMean{ 0.0 }; ///< mean HU inside labels 1 and 2
  double              LungMedian{ 0.0 };
  std::vector<size_t> Histogram; ///< voxels per HU value, index HU + 32768
};

/** Exact statistics from a full int16 histogram (one threaded pass, no sorting). `labels` may be null. */
HUStatistics
ComputeHUStatistics(const HUImageType * hu, const MaskImageType * labels);

/** \brief preview.png: axial, coronal and sagittal planes through the volume's centre, side by side,
 * windowed, with the outline of each label drawn in colour (1 red and 2 green: the lungs; 3 blue:
 * airways; 4 magenta and 5 orange: dense tissue taken into the right and the left lung; 6 cyan:
 * effusion) and a legend line. With `focus` (LPS mm), a second row of the three planes through that
 * point (the largest lesion), titled `focusTitle`.
 *
 * The planes are sampled in patient space, whatever the volume's direction: axial with the
 * patient's right on the left of the picture and anterior at the top (the radiological view),
 * coronal and sagittal with the head at the top. `labels` may be null. */
void
WritePreviewPng(const HUImageType * hu, const MaskImageType * labels, const std::string & path,
                const DisplayWindow & window = {}, const std::optional<std::array<double, 3>> & focus = {},
                const std::string & focusTitle = {});

/** hu_histogram.png: the classic recipe's histogram of all voxels (80 bins), axes labelled, from the
 *  statistics' histogram (the volume is not read again). */
void
WriteHistogramPng(const HUStatistics & statistics, const std::string & path);

} // namespace ctp

#endif
