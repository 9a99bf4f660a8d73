#ifndef ctpHounsfieldGuard_h
#define ctpHounsfieldGuard_h

#include "ctpImageTypes.h"

#include <string>

namespace ctp
{
/** What the histogram of a CT volume says about its units. */
struct IntensitySummary
{
  double Minimum{ 0.0 };
  double Percentile1{ 0.0 };
  double Median{ 0.0 };
  double Maximum{ 0.0 };
  double AirFraction{ 0.0 }; ///< voxels at or below -500 (air and lung are there in HU)
};

/** The summary of `image`, from every 8th voxel (a threaded pass into full int16 histograms). */
IntensitySummary
SummarizeIntensities(const HUImageType * image);

/** \brief Refuses a chest CT volume whose values are not Hounsfield units.
 *
 * The most common failure users report with lung tools: a volume stored without its rescale (HU +
 * 1024 as unsigned, air at 0), or a windowed 8-bit picture (0-255), gives an empty lung mask and no
 * error. A chest CT in HU has air (outside the body and in the lungs) near -1000: refused when
 * nothing lies below -500 HU in 1% or more of the voxels, with what was seen and what to do
 * (`hu_offset`, or `intensities_are_hu` to accept the volume as it is). Throws ctp::Error
 * (InvalidInput) naming `path`. */
void
CheckHounsfieldUnits(const IntensitySummary & summary, const std::string & path);

} // namespace ctp

#endif
