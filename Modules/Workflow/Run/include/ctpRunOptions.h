#ifndef ctpRunOptions_h
#define ctpRunOptions_h

#include "ctpDicomSeriesReader.h"
#include "ctpIsotropicResampler.h"
#include "ctpSurfaceExtractor.h"

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** Parameters of `ctprep run`. */
struct RunOptions
{
  std::string       Input;           ///< folder holding the series (searched recursively), or a volume file
  std::string       OutputDirectory; ///< created if missing
  SeriesReadOptions Read;            ///< series choice, tilt, spacing, padding
  /** A volume file's values plus this are HU (-1024: HU + 1024 stored without its rescale). */
  double HUOffset{ 0.0 };
  /** Take a volume file's values as HU without the check that air lies near -1000. */
  bool IntensitiesAreHU{ false };
  bool KeepPatientData{ false };
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
  /** LUNA16-style annotations (world coordinates): nodules.csv and nodules.mrk.json for this case's
   *  rows (its SeriesInstanceUID, or a volume file's name without extension); empty: none. */
  std::string Annotations;
  /** lungmask.seg.nrrd and scene.mrml: the run as 3D Slicer opens it in one step. */
  bool Slicer{ true };
  /** lungmask.seg.dcm: the mask as a DICOM Segmentation on the source series' grid (DICOM input only;
   *  it carries the source patient and study). */
  bool DicomSeg{ false };
  /** List a content hash (FileHash64) of every output in ctprep.json (what `ctprep batch` checks). */
  bool Checksums{ false };

  double NormalizeLower{ -1000.0 };
  double NormalizeUpper{ 400.0 };
  double Mean{ 0.25 };
};

} // namespace ctp

#endif
