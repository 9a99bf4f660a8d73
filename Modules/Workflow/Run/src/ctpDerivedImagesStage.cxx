#include "ctpPreviewWriter.h"
#include "ctpRunStages.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** Mean of the normalized volume (before zero-centering), exact from the HU histogram: batches average
 *  it over a cohort to find the dataset mean (--compute-mean). */
double
NormalizedMeanOf(const HUStatistics & stats, const RunOptions & options)
{
  double normalizedSum = 0.0;
  for (size_t b = 0; b < stats.Histogram.size(); ++b)
  {
    if (stats.Histogram[b] > 0)
    {
      const double hu = double(b) - 32768.0;
      normalizedSum += Normalized(hu, options) * double(stats.Histogram[b]);
    }
  }
  return stats.Voxels ? normalizedSum / double(stats.Voxels) : 0.0;
}
} // namespace

void
DerivedImagesStage(const NetworkVolumes & volumes, const LungMaskStageOutput & lungs, const RunOptions & options,
                   const std::string & directory, RunRecord & record)
{
  const fs::path out(directory);
  record.Statistics = ComputeHUStatistics(volumes.HU, volumes.Mask);
  WritePreviewPng(
    volumes.HU, volumes.Mask, (out / "preview.png").string(), {}, lungs.LargestLesionLPS, "LARGEST LESION");
  WriteHistogramPng(record.Statistics, (out / "hu_histogram.png").string());
  record.InputNpy.NormalizedMean = volumes.Keep ? MaskedNormalizedMean(volumes.HU, volumes.Keep, options)
                                                : NormalizedMeanOf(record.Statistics, options);
  record.InputNpy.Voxels = record.Statistics.Voxels;
  const auto size = volumes.HU->GetLargestPossibleRegion().GetSize();
  record.InputNpy.ShapeZYX = { size[2], size[1], size[0] };
  record.OutputGeometry = GeometryOf(volumes.HU.GetPointer());
  record.EndStage("pictures");
}

} // namespace ctp
