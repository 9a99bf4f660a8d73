#include "ctpRunPipeline.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpRenderOutputs.h"
#include "ctpRunParameters.h"
#include "ctpRunStages.h"
#include "ctpSidecarWriter.h"
#include "ctpVolumeFileReader.h"
#include "ctpVolumeWrites.h"
#include "ctpParameterSpelling.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** render.png of the surfaces, when asked and there is one, on `display` when the run started one;
 *  whether it was made. */
bool
RenderStage(const RunSurfaces & surfaces, const RunOptions & options, const fs::path & out, VirtualDisplay * display,
            RunRecord & record)
{
  bool rendered = false;
  if (options.Render && (surfaces.Bone.Triangles > 0 || surfaces.Lungs.Triangles > 0))
  {
    std::string reason;
    rendered =
      RenderRunSurfaces(surfaces.Bone.Mesh, surfaces.Lungs.Mesh, (out / "render.png").string(), display, reason);
    if (!rendered)
    {
      record.Warn("render.png not made: " + reason);
    }
  }
  record.EndStage("render");
  return rendered;
}

/** What can be refused before anything is read or written: --dicom-seg without DICOM, annotations
 *  that cannot be read. */
void
RefuseBeforeReading(const RunOptions & options)
{
  if (options.DicomSeg && IsVolumeFile(options.Input))
  {
    throw Error(ErrorKind::Usage,
                options.Input,
                SpellParameter("dicom_seg") +
                  " needs DICOM input: a DICOM Segmentation references the source slices, which a volume file lacks");
  }
  if (!options.Annotations.empty() && !std::ifstream(options.Annotations))
  {
    throw Error(ErrorKind::InvalidInput, options.Annotations, "cannot read the annotations");
  }
}

/** The files written, in the sidecar's order. */
void
ListOutputs(const RunOptions & options, bool rendered, const SegmentationFiles & segmentations, RunRecord & record)
{
  for (const auto & format : options.VolumeFormats)
  {
    record.Wrote("hu." + format);
    record.Wrote("lungmask." + format);
  }
  if (segmentations.SlicerSegmentation)
  {
    record.Wrote("lungmask.seg.nrrd");
  }
  if (segmentations.DicomSegmentation)
  {
    record.Wrote("lungmask.seg.dcm");
  }
  record.Wrote("input.npy");
  for (const auto & surface : record.Surfaces)
  {
    if (surface.Triangles > 0)
    {
      record.Wrote(surface.File);
    }
  }
  if (rendered)
  {
    record.Wrote("render.png");
  }
  record.Wrote("preview.png");
  record.Wrote("hu_histogram.png");
  if (!options.Annotations.empty())
  {
    record.Wrote("nodules.csv");
    record.Wrote("nodules.mrk.json");
  }
}
} // namespace

RunRecord
RunPipeline(const RunOptions & options)
{
  RunRecord record;
  record.Parameters = RecordedParameters(options);
  record.Checksums = options.Checksums;
  RefuseBeforeReading(options);
  // Check the output folder before reading: a wrong -o should fail in milliseconds, not after the read.
  EnsureWritableDirectory(options.OutputDirectory);
  const fs::path  out(options.OutputDirectory);
  std::error_code ec;
  fs::remove(out / "ctprep.json", ec); // written last: its presence means the outputs are complete
  // Without an X display render.png is drawn on a private Xvfb: started now, it is ready by then.
  auto display = options.Render && options.Mesh ? StartRenderDisplay() : nullptr;

  const auto original = ReadStage(options, record);
  const auto hu = ResampleStage(original.HU, options, record);
  // The HU volume is final: hu.* and input.npy are written on another thread while the lung mask and
  // the surfaces are computed. Cropped to the lungs or masked by them, they wait for the mask.
  VolumeWrites writes(options, out);
  const bool   fromMask = options.CropToLungsMm || options.MaskInputMm;
  if (!fromMask)
  {
    writes.Start(hu, nullptr);
  }
  const auto     lungs = LungMaskStage(hu, options, record);
  NetworkVolumes volumes{ hu, lungs.Mask, nullptr };
  if (fromMask)
  {
    volumes = CropAndMaskStage(hu, lungs.Mask, options, record);
    writes.Start(volumes.HU, volumes.Keep);
    record.EndStage("crop_and_mask");
  }
  auto               surfaces = SurfaceStage(hu, lungs, options, options.OutputDirectory, record);
  VolumeWriteOptions writeOptions;
  writeOptions.KeepPatientData = options.KeepPatientData;
  for (const auto & format : options.VolumeFormats)
  {
    WriteVolume(volumes.Mask.GetPointer(), (out / ("lungmask." + format)).string(), writeOptions);
  }
  record.EndStage("lungmask");
  auto       segmentations = SegmentationStage(volumes, lungs, original.Series, options, out.string(), record);
  const bool rendered = RenderStage(surfaces, options, out, display.get(), record);
  display.reset();
  surfaces = {}; // written and drawn: the meshes (about 100 MB on a chest CT) go
  DerivedImagesStage(volumes, lungs, options, options.OutputDirectory, record);
  NodulesStage(volumes, options, options.OutputDirectory, record);
  writes.Finish();
  segmentations.Finish();
  record.EndStage("waiting_for_writes");
  ListOutputs(options, rendered, segmentations, record);
  SceneStage(options, out.string(), record);
  record.Seconds.emplace_back("total", record.Elapsed());
  WriteSidecar(record, options.OutputDirectory);
  return record;
}

} // namespace ctp
