#include "ctpDicomSegmentationWriter.h"
#include "ctpLungMaskSegments.h"
#include "ctpMrmlSceneWriter.h"
#include "ctpRunStages.h"
#include "ctpSegmentationNrrdWriter.h"
#include "ctpVersion.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** lungmask.seg.dcm on the source series' grid; whether it was written. */
bool
WriteDicomSegStage(const MaskImageType * mask, const DicomSeriesInfo & series, const std::string & directory,
                   RunRecord & record)
{
  DicomSegmentationOptions options;
  options.SoftwareVersion = CTP_VERSION;
  const auto written = WriteDicomSegmentation(
    mask, series, LungMaskSegments(), (fs::path(directory) / "lungmask.seg.dcm").string(), options);
  if (written.Segments.empty())
  {
    record.Warn("lungmask.seg.dcm not made: no label of the mask falls on a pixel of the source slices");
    return false;
  }
  std::ostringstream text;
  text << "lungmask.seg.dcm: " << written.Segments.size() << " segment(s) in " << written.Frames << " frame(s) on "
       << series.Files.size() << " source slices of " << series.Files.front().Columns << " x "
       << series.Files.front().Rows << " pixels (";
  for (size_t n = 0; n < written.Segments.size(); ++n)
  {
    text << (n ? ", " : "") << written.Segments[n].SegmentNumber << " " << written.Segments[n].Description.Name;
  }
  text << ")";
  record.Decide(text.str());
  return true;
}

bool
Wrote(const RunRecord & record, const std::string & file)
{
  return std::find(record.Outputs.begin(), record.Outputs.end(), file) != record.Outputs.end();
}

/** The first volume format 3D Slicer reads best: nrrd, else NIfTI. */
std::string
SceneVolumeFile(const RunRecord & record)
{
  for (const char * file : { "hu.nrrd", "hu.nii.gz", "hu.nii" })
  {
    if (Wrote(record, file))
    {
      return file;
    }
  }
  return "";
}
} // namespace

SegmentationFiles
SegmentationStage(const NetworkVolumes & volumes, const LungMaskStageOutput & lungs,
                  const std::optional<DicomSeriesInfo> & series, const RunOptions & options,
                  const std::string & directory, RunRecord & record)
{
  SegmentationFiles files;
  if (options.Slicer)
  {
    // gzip of a chest's label map takes 0.15-0.2 s: done while the render and the pictures are made.
    files.SlicerSegmentationWrite = std::async(std::launch::async, [mask = volumes.Mask, directory] {
      WriteSegmentationNrrd(mask, LungMaskSegments(), (fs::path(directory) / "lungmask.seg.nrrd").string());
    });
    files.SlicerSegmentation = true;
  }
  if (options.DicomSeg && series)
  {
    // The whole mask, not its crop: the source slices reach beyond the lungs' box.
    files.DicomSegmentation = WriteDicomSegStage(lungs.Mask, *series, directory, record);
    record.EndStage("dicom_seg");
  }
  return files;
}

void
SceneStage(const RunOptions & options, const std::string & directory, RunRecord & record)
{
  if (!options.Slicer)
  {
    return;
  }
  SlicerScene scene;
  scene.Volume.File = SceneVolumeFile(record);
  scene.Volume.Name = "hu";
  if (Wrote(record, "lungmask.seg.nrrd"))
  {
    scene.Segmentation = { "lungmask.seg.nrrd", "lungmask" };
  }
  // Bone as Slicer's bone preset colour, the lungs as its lung terminology colour, see-through.
  const std::pair<const char *, SceneModel> models[] = {
    { "bone.stl", { { "bone.stl", "bone" }, { { 0.945, 0.839, 0.569 } }, 1.0 } },
    { "lungs.stl", { { "lungs.stl", "lungs" }, { { 197 / 255.0, 165 / 255.0, 145 / 255.0 } }, 0.35 } },
  };
  for (const auto & [file, model] : models)
  {
    if (Wrote(record, file))
    {
      scene.Models.push_back(model);
    }
  }
  if (Wrote(record, "nodules.mrk.json"))
  {
    scene.Markups = { "nodules.mrk.json", "nodules" };
  }
  WriteMrmlScene(scene, (fs::path(directory) / "scene.mrml").string());
  record.Wrote("scene.mrml");
  record.EndStage("scene");
}

} // namespace ctp
