#ifndef ctpRunPipeline_h
#define ctpRunPipeline_h

#include "ctpDicomSeriesReader.h"
#include "ctpIsotropicResampler.h"
#include "ctpSurfaceExtractor.h"

#include <optional>

#include <array>
#include <string>
#include <vector>

namespace ctp
{
/** Parameters of `ctprep run`. */
struct RunOptions
{
  std::string       Input;           ///< folder holding the series (searched recursively)
  std::string       OutputDirectory; ///< created if missing
  SeriesReadOptions Read;            ///< series choice, tilt, spacing, padding
  bool              KeepPatientData{ false };
  /** Refuse, before allocating, a series whose estimated peak memory exceeds this (GiB); 0: no limit. */
  double MaxMemoryGiB{ 0.0 };
  /** Volume formats of hu and lungmask: "nrrd" (always written), "nii" (uncompressed), "nii.gz". */
  std::vector<std::string> VolumeFormats{ "nrrd" };

  /** Target spacing in mm (x, y, z); empty: keep the original grid. */
  std::optional<std::array<double, 3>> Spacing{ std::array<double, 3>{ 1.0, 1.0, 1.0 } };
  ctp::Interpolator                    Interpolator{ ctp::Interpolator::Linear };

  double LungThreshold{ -320.0 };
  bool   Fill{ true };
  double FillClosingMm{ 6.0 };
  double DilateMm{ 0.0 };
  double FallbackClosingMm{ 5.0 };
  /** Dense tissue taken into the lungs (LungLesionImageFilter): masses, consolidation; off: the classic
   *  aerated mask. */
  bool   Lesions{ true };
  double LesionEnvelopeMm{ 25.0 };
  double LesionEnclosureMm{ 80.0 };
  double LesionBronchogramMm{ 24.0 };
  double LesionContralateralMm{ 4.0 };
  double LesionMinimumMl{ 1.0 };
  double LesionGrowthMm{ 25.0 };
  double LesionCompletionMm{ 12.0 };
  /** Label pleural effusion 6 in lungmask (it is always measured). */
  bool LabelEffusion{ false };
  /** HU range of pleural fluid (3 mm block means). */
  double EffusionLowerHU{ -20.0 };
  double EffusionUpperHU{ 30.0 };
  /** Crop every volume output (hu, lungmask, input.npy) to the lungs' bounding box grown by this many
   *  mm; empty: the whole grid. Surfaces are made from the whole grid. */
  std::optional<double> CropToLungsMm;
  /** In input.npy, voxels further than this many mm from the lungs take MaskPadHU; empty: none. */
  std::optional<double> MaskInputMm;
  /** The HU given to input.npy's voxels outside the grown lungs: 0 (water) as grt123's 170 on its
   *  0-255 scale of -1200..600 HU. */
  double MaskPadHU{ 0.0 };

  bool           Mesh{ true };   ///< bone.stl and lungs.stl
  bool           Render{ true }; ///< render.png of the surfaces
  double         BoneHU{ 400.0 };
  SurfaceOptions Surfaces;
  /** List a content hash (FileHash64) of every output in ctprep.json (what `ctprep batch` checks). */
  bool Checksums{ false };

  double NormalizeLower{ -1000.0 };
  double NormalizeUpper{ 400.0 };
  double Mean{ 0.25 };
};

/** What a run did. */
struct RunResult
{
  std::string              SeriesInstanceUID;
  std::array<size_t, 3>    Size{};
  std::array<double, 3>    Spacing{};
  std::vector<std::string> Decisions;
  std::vector<std::string> Warnings;
  double                   RightLungMl{ 0.0 }; ///< lesions included
  double                   LeftLungMl{ 0.0 };
  double                   LesionMl{ 0.0 }; ///< dense tissue taken into both lungs
  size_t                   Lesions{ 0 };
  std::vector<std::string> Outputs; ///< paths of the files written
  double                   Seconds{ 0.0 };
};

/** \brief `ctprep run`: reads the series and writes its outputs into the output folder.
 *
 * Outputs: hu.nrrd and/or hu.nii / hu.nii.gz (int16 HU, LPS geometry, no patient data unless asked) and ctprep.json
 * (the sidecar: version, parameters, source series, geometry, decisions, warnings, outputs), written last. Every output
 * is written under a temporary name and renamed when complete. Throws ctp::Error naming the file and the problem. */
RunResult
RunPipeline(const RunOptions & options);

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

/** The --spacing option: "1" (isotropic), "0.7,0.7,1.25" (x,y,z) or "none" (the original grid: empty).
 *  Throws ctp::Error(Usage). */
std::optional<std::array<double, 3>>
ParseSpacing(const std::string & text);

} // namespace ctp

#endif
