#ifndef ctpRunRecord_h
#define ctpRunRecord_h

#include "ctpPreviewWriter.h"

#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ctp
{
/** Where a volume lies: size, spacing, origin (LPS mm) and direction (row-major) of its grid. */
struct GeometryRecord
{
  std::array<size_t, 3> Size{};
  std::array<double, 3> Spacing{};
  std::array<double, 3> Origin{};
  std::array<double, 9> Direction{};
};

/** The geometry of an ITK image. */
template <typename TImage>
GeometryRecord
GeometryOf(const TImage * image)
{
  GeometryRecord record;
  const auto     size = image->GetLargestPossibleRegion().GetSize();
  const auto &   d = image->GetDirection();
  for (unsigned int a = 0; a < 3; ++a)
  {
    record.Size[a] = size[a];
    record.Spacing[a] = image->GetSpacing()[a];
    record.Origin[a] = image->GetOrigin()[a];
    for (unsigned int b = 0; b < 3; ++b)
    {
      record.Direction[3 * a + b] = d[a][b];
    }
  }
  return record;
}

/** The slices of a series as scanned (LPS mm), before any resampling. */
struct StackRecord
{
  unsigned int          Columns{ 0 };
  unsigned int          Rows{ 0 };
  std::array<double, 2> PixelSpacing{};
  std::array<double, 3> Row{};
  std::array<double, 3> Column{};
  std::array<double, 3> FirstPosition{};
  std::array<double, 3> LastPosition{};
};

/** The series a run read, as scanned: no patient data. */
struct SourceRecord
{
  std::string              SeriesInstanceUID;
  std::string              SeriesNumber;
  std::string              SeriesDescription;
  size_t                   Slices{ 0 };
  std::vector<std::string> TransferSyntaxes;
  std::array<double, 3>    StepMm{}; ///< median, smallest and largest step between slices along the normal
  size_t                   MissingSlices{ 0 };
  double                   TiltDegrees{ 0.0 };
  size_t                   SeriesFound{ 0 };
  bool                     Resampled{ false }; ///< for tilt or uneven spacing, at read
  StackRecord              Stack;
};

/** The volume file a run read (MetaImage, NIfTI, NRRD). */
struct VolumeSourceRecord
{
  std::string           Name; ///< the file's name without its extension (LUNA16: the seriesuid)
  std::string           Format;
  std::string           PixelType;
  double                HUOffset{ 0.0 };
  bool                  Checked{ true }; ///< its values were checked to be HU (air near -1000)
  std::array<double, 4> Values{};        ///< min, 1st percentile, median, max, after the offset
};

/** The annotations of this case placed on the output grid (nodules.csv). */
struct NodulesRecord
{
  std::string File; ///< the annotation file given
  std::string SeriesId;
  size_t      Annotations{ 0 }; ///< rows of this case
  size_t      InsideVolume{ 0 };
  size_t      InsideLungs{ 0 };
};

/** The output volumes cut to the lungs' box. */
struct CropRecord
{
  double                MarginMm{ 0.0 };
  std::array<long, 3>   IndexOffset{};
  std::array<size_t, 3> Size{};
  std::array<size_t, 3> UncroppedSize{};
};

/** A dense region taken into a lung (mass, consolidation). */
struct DenseRegionRecord
{
  int                   Label{ 0 }; ///< 4 right, 5 left
  bool                  AirBronchograms{ false };
  double                VolumeMl{ 0.0 };
  std::array<double, 3> CentroidLPS{};
  double                DiameterMm{ 0.0 };
};

/** What the lung mask found. */
struct LungsRecord
{
  double                         RightAeratedMl{ 0.0 };
  double                         LeftAeratedMl{ 0.0 };
  double                         RightDenseMl{ 0.0 };
  double                         LeftDenseMl{ 0.0 };
  double                         AirwaysMl{ 0.0 };
  std::vector<DenseRegionRecord> DenseRegions; ///< largest first
  double                         RightEffusionMl{ 0.0 };
  double                         LeftEffusionMl{ 0.0 };
  bool                           EffusionLabelled{ false };
  bool                           Plausible{ false };
  bool                           FallbackUsed{ false };

  double
  RightMl() const
  {
    return RightAeratedMl + RightDenseMl;
  }
  double
  LeftMl() const
  {
    return LeftAeratedMl + LeftDenseMl;
  }
};

/** One surface for 3D Slicer. */
struct SurfaceRecord
{
  std::string           File;     ///< bone.stl, lungs.stl
  std::string           Contents; ///< what it shows, for warnings
  size_t                Triangles{ 0 };
  std::array<double, 6> BoundsLPS{};
  std::optional<double> EnclosedVolumeMl;
};

/** input.npy: the normalized, zero-centred volume. */
struct InputNpyRecord
{
  double                NormalizedMean{ 0.0 }; ///< before zero-centering
  size_t                Voxels{ 0 };
  std::array<size_t, 3> ShapeZYX{};
  std::optional<double> MaskMarginMm; ///< masked: voxels further than this from the lungs take the pad
  long                  MaskPadHU{ 0 };
  double                MaskPadValue{ 0.0 };
};

/** \brief What a `ctprep run` did, collected by its stages as they happen: decisions, warnings,
 * timings, statistics, the files written. ctprep.json is this record, written last by WriteSidecar. */
class RunRecord
{
public:
  RunRecord()
    : m_Lap(std::chrono::steady_clock::now())
    , m_Start(m_Lap)
  {}

  /** Something the run chose: recorded and logged. */
  void
  Decide(const std::string & decision);
  /** Something the user should know: recorded and logged. */
  void
  Warn(const std::string & warning);
  /** What a step decided and warned of, in order: Decide and Warn for each. */
  void
  Take(const std::vector<std::string> & decisions, const std::vector<std::string> & warnings);
  /** Records the time since the previous call (or the start) as `stage`'s. */
  void
  EndStage(const std::string & stage);
  /** Seconds since the record was made. */
  double
  Elapsed() const;
  /** A file the run wrote in its output folder (listed in ctprep.json in this order). */
  void
  Wrote(const std::string & file)
  {
    Outputs.push_back(file);
  }

  nlohmann::json                              Parameters; ///< the run's parameters by name (RunParameters)
  SourceRecord                                Source;     ///< a DICOM series
  std::optional<VolumeSourceRecord>           Volume;     ///< or a volume file (then Source is empty)
  GeometryRecord                              OriginalGeometry;
  GeometryRecord                              OutputGeometry;
  std::optional<CropRecord>                   Crop;
  std::optional<NodulesRecord>                Nodules;
  LungsRecord                                 Lungs;
  HUStatistics                                Statistics;
  InputNpyRecord                              InputNpy;
  bool                                        Meshed{ false }; ///< surfaces were asked for
  std::vector<SurfaceRecord>                  Surfaces;
  std::vector<std::string>                    Decisions;
  std::vector<std::string>                    Warnings;
  std::vector<std::pair<std::string, double>> Seconds; ///< per stage, then "total"
  std::vector<std::string>                    Outputs; ///< file names in the output folder
  bool                                        Checksums{ false };

private:
  std::chrono::steady_clock::time_point m_Lap;
  std::chrono::steady_clock::time_point m_Start;
};

} // namespace ctp

#endif
