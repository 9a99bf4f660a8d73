#include "ctpRunMemory.h"
#include "ctpRunStages.h"
#include "ctpHounsfieldGuard.h"
#include "ctpVolumeFileReader.h"

#include <filesystem>

#include <sstream>

namespace ctp
{
namespace
{
SourceRecord
SourceOf(const LoadedSeries & loaded)
{
  const auto & series = loaded.Series;
  const auto & g = *series.Geometry;
  SourceRecord source{
    series.SeriesInstanceUID,
    series.SeriesNumber,
    series.SeriesDescription,
    series.Files.size(),
    series.TransferSyntaxes,
    { g.MedianStep, g.MinStep, g.MaxStep },
    g.MissingSlices,
    g.TiltDegrees,
    loaded.SeriesFound,
    loaded.Resampled,
    { g.Columns, g.Rows, g.InPlaneSpacing, g.Row, g.Column, g.Positions.front(), g.Positions.back() }
  };
  return source;
}
/** A volume file (MetaImage, NIfTI, NRRD) into HU, refused when its values are not HU. */
HUImageType::Pointer
ReadVolumeStage(const RunOptions & options, RunRecord & record)
{
  const auto header = ReadVolumeFileInfo(options.Input);
  CheckRunMemory(
    EstimateRunMemoryGiB(header.Size, header.Spacing, options.Spacing), options.MaxMemoryGiB, options.Input);
  const auto loaded = ReadVolumeFile(options.Input, options.HUOffset);
  const auto values = SummarizeIntensities(loaded.Image);
  if (!options.IntensitiesAreHU)
  {
    CheckHounsfieldUnits(values, options.Input);
  }
  record.Take(loaded.Decisions, loaded.Warnings);
  record.Volume = VolumeSourceRecord{
    VolumeFileStem(options.Input), loaded.Info.Format,
    loaded.Info.PixelType,         options.HUOffset,
    !options.IntensitiesAreHU,     { values.Minimum, values.Percentile1, values.Median, values.Maximum }
  };
  record.OriginalGeometry = GeometryOf(loaded.Image.GetPointer());
  record.EndStage("read");
  return loaded.Image;
}
} // namespace

ReadStageOutput
ReadStage(const RunOptions & options, RunRecord & record)
{
  if (IsVolumeFile(options.Input))
  {
    return { ReadVolumeStage(options, record), std::nullopt };
  }
  SeriesReadOptions readOptions = options.Read;
  readOptions.KeepDicomTags = options.KeepPatientData;
  // The memory guard, once the series is chosen and before its pixels are read.
  readOptions.BeforeReadingPixels = [&options](const DicomSeriesInfo & series) {
    CheckRunMemory(EstimateRunMemoryGiB(series, options.Spacing), options.MaxMemoryGiB, options.Input);
  };
  const auto loaded = ReadDicomSeries(options.Input, readOptions);
  record.Take(loaded.Decisions, loaded.Warnings);
  record.Source = SourceOf(loaded);
  record.OriginalGeometry = GeometryOf(loaded.Image.GetPointer());
  record.EndStage("read");
  return { loaded.Image, loaded.Series };
}

HUImageType::Pointer
ResampleStage(const HUImageType::Pointer & hu, const RunOptions & options, RunRecord & record)
{
  HUImageType::Pointer resampled = hu;
  if (options.Spacing)
  {
    const auto grid = PlanResampleGrid(hu, *options.Spacing);
    resampled = ResampleHU(hu, grid, options.Interpolator, options.Read.PaddingReplacement);
    resampled->SetMetaDataDictionary(hu->GetMetaDataDictionary());
    std::ostringstream text;
    text << "resampled (" << InterpolatorName(options.Interpolator) << ") to " << grid.Size[0] << " x " << grid.Size[1]
         << " x " << grid.Size[2] << " voxels of " << grid.Spacing[0] << " x " << grid.Spacing[1] << " x "
         << grid.Spacing[2] << " mm";
    record.Decide(text.str());
  }
  record.EndStage("resample");
  return resampled;
}

} // namespace ctp
