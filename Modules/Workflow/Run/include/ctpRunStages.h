#ifndef ctpRunStages_h
#define ctpRunStages_h

#include "ctpDicomSeriesScanner.h"
#include "ctpRunOptions.h"
#include "ctpRunRecord.h"
#include "ctpSurfaceExtractor.h"

#include <array>
#include <future>
#include <optional>
#include <string>

namespace ctp
{
/** \file
 * The stages of `ctprep run`, in the order RunPipeline calls them. Each takes what it needs, returns
 * what it made, and writes its decisions, warnings, statistics and timing into the run's RunRecord. */

/** What the read stage made: the volume in HU and, for DICOM input, the series it came from. */
struct ReadStageOutput
{
  HUImageType::Pointer           HU;
  std::optional<DicomSeriesInfo> Series; ///< the chosen series' files in slice order; none for a volume file
};

/** Read: the series chosen and read into HU (the memory guard runs before any pixel is read). Fills
 *  the record's source and original geometry. */
ReadStageOutput
ReadStage(const RunOptions & options, RunRecord & record);

/** Resample: onto the target spacing, physical extent and direction kept (none: `hu` itself). */
HUImageType::Pointer
ResampleStage(const HUImageType::Pointer & hu, const RunOptions & options, RunRecord & record);

/** What the lung mask stage made. */
struct LungMaskStageOutput
{
  MaskImageType::Pointer               Mask;     ///< labels 0-6 (see LungMaskImageFilter)
  MaskImageType::Pointer               BodyMask; ///< for the bone surface; null without surfaces
  std::optional<std::array<double, 3>> LargestLesionLPS;
};

/** Mask: the lungs, airways and the dense tissue taken into them. Fills the record's lungs. */
LungMaskStageOutput
LungMaskStage(const HUImageType * hu, const RunOptions & options, RunRecord & record);

/** The volumes written for the network: the whole grid, or its crop to the lungs; with the voxels of
 *  input.npy to keep when it is masked. */
struct NetworkVolumes
{
  HUImageType::Pointer   HU;
  MaskImageType::Pointer Mask;
  MaskImageType::Pointer Keep; ///< null: input.npy is not masked
};

/** Crop and mask (--crop-to-lungs, --mask-input): fills the record's crop and input.npy masking. */
NetworkVolumes
CropAndMaskStage(const HUImageType::Pointer & hu, const MaskImageType::Pointer & mask, const RunOptions & options,
                 RunRecord & record);

/** The surfaces made (empty meshes when not asked). */
struct RunSurfaces
{
  Surface Bone;
  Surface Lungs;
};

/** Surfaces: bone.stl from HU inside the body, lungs.stl from labels 1, 2, 4, 5, meshed at once and
 *  written into `directory`. Fills the record's surfaces. */
RunSurfaces
SurfaceStage(const HUImageType * hu, const LungMaskStageOutput & lungs, const RunOptions & options,
             const std::string & directory, RunRecord & record);

/** Derived images: preview.png (with the planes through the largest lesion) and hu_histogram.png of
 *  the volumes written; the HU statistics and input.npy's mean into the record. */
void
DerivedImagesStage(const NetworkVolumes & volumes, const LungMaskStageOutput & lungs, const RunOptions & options,
                   const std::string & directory, RunRecord & record);

/** Nodules (RunOptions::Annotations): this case's annotations placed on the output grid, written as
 *  nodules.csv and nodules.mrk.json; fills the record's nodules. Nothing without annotations. */
void
NodulesStage(const NetworkVolumes & volumes, const RunOptions & options, const std::string & directory,
             RunRecord & record);

/** The segmentations written; lungmask.seg.nrrd is written on another thread until Finish(). */
struct SegmentationFiles
{
  bool              SlicerSegmentation{ false }; ///< lungmask.seg.nrrd
  bool              DicomSegmentation{ false };  ///< lungmask.seg.dcm
  std::future<void> SlicerSegmentationWrite;

  /** Waits for lungmask.seg.nrrd; rethrows what its writing threw. */
  void
  Finish()
  {
    if (SlicerSegmentationWrite.valid())
    {
      SlicerSegmentationWrite.get();
    }
  }
};

/** Segmentations: lungmask.seg.nrrd (3D Slicer) of the lungmask written, on another thread, unless
 *  RunOptions::Slicer is off (SegmentationFiles::Finish waits for it); with RunOptions::DicomSeg and a
 *  DICOM `series`, lungmask.seg.dcm of the whole mask on the series' own slices. */
SegmentationFiles
SegmentationStage(const NetworkVolumes & volumes, const LungMaskStageOutput & lungs,
                  const std::optional<DicomSeriesInfo> & series, const RunOptions & options,
                  const std::string & directory, RunRecord & record);

/** scene.mrml (unless RunOptions::Slicer is off): a 3D Slicer scene of the files the record lists as
 *  written (hu, lungmask.seg.nrrd, bone.stl, lungs.stl, nodules.mrk.json), by relative path. */
void
SceneStage(const RunOptions & options, const std::string & directory, RunRecord & record);

/** A HU value as input.npy holds it before zero-centering: clip((HU - lower) / (upper - lower), 0, 1). */
double
Normalized(double hu, const RunOptions & options);

/** Mean of input.npy before zero-centering when voxels where `keep` is 0 take the pad HU. */
double
MaskedNormalizedMean(const HUImageType * hu, const MaskImageType * keep, const RunOptions & options);

} // namespace ctp

#endif
