#include "ctpRunPipeline.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpFileHash.h"
#include "ctpLogger.h"
#include "ctpLungCrop.h"
#include "ctpLungMaskImageFilter.h"
#include "ctpNormalizeImageFilter.h"
#include "ctpNpyWriter.h"
#include "ctpPhysicalMemory.h"
#include "ctpPreviewWriter.h"
#include "ctpRenderOutputs.h"
#include "ctpSliceStackResampler.h"
#include "ctpVersion.h"
#include "ctpVolumeWriter.h"
#include "ctpZeroCenterImageFilter.h"

#include "itkMaskImageFilter.h"
#include "itkMultiThreaderBase.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <filesystem>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
template <typename TImage>
nlohmann::json
GeometryJson(const TImage * image)
{
  const auto   size = image->GetLargestPossibleRegion().GetSize();
  const auto & d = image->GetDirection();
  return { { "size", { size[0], size[1], size[2] } },
           { "spacing", { image->GetSpacing()[0], image->GetSpacing()[1], image->GetSpacing()[2] } },
           { "origin", { image->GetOrigin()[0], image->GetOrigin()[1], image->GetOrigin()[2] } },
           { "direction", { d[0][0], d[0][1], d[0][2], d[1][0], d[1][1], d[1][2], d[2][0], d[2][1], d[2][2] } } };
}

/** \brief The writes that need only the HU volume (hu.*, then input.npy streamed slab by slab through
 * Normalize -> ZeroCenter; the float volume never exists whole), on another thread while the lung
 * mask and the surfaces are computed; with one thread (--threads 1, a batch case or a cluster job on
 * one core), at once on the calling thread. Errors surface at Finish(); leaving early
 * (an exception) waits for the writer, which must not run on freed images. */
class VolumeWrites
{
public:
  VolumeWrites(const RunOptions & options, const fs::path & out)
    : m_Options(options)
    , m_Out(out)
  {
    m_WriteOptions.KeepPatientData = options.KeepPatientData;
  }
  ~VolumeWrites()
  {
    if (m_Written.valid())
    {
      m_Written.wait();
    }
  }
  VolumeWrites(const VolumeWrites &) = delete;
  VolumeWrites &
  operator=(const VolumeWrites &) = delete;

  /** Starts writing `hu`; in input.npy the voxels where `keep` is 0 take the pad HU (no `keep`: none). */
  void
  Start(const HUImageType * hu, const MaskImageType * keep)
  {
    // The writer works on its own image objects sharing the pixels: ITK keeps pipeline state
    // (requested regions) in the image, and the lung mask may read hu at the same time.
    m_HU = HUImageType::New();
    m_HU->Graft(hu);
    m_HU->SetMetaDataDictionary(hu->GetMetaDataDictionary());
    // Every filter of the streamed pipeline is held here: ITK's images hold their source filter weakly.
    auto & normalize = m_Normalize;
    normalize = NormalizeImageFilter<HUImageType, FloatImageType>::New();
    if (keep != nullptr)
    {
      auto keepView = MaskImageType::New();
      keepView->Graft(keep);
      m_Masked = itk::MaskImageFilter<HUImageType, MaskImageType, HUImageType>::New();
      m_Masked->SetInput(m_HU);
      m_Masked->SetMaskImage(keepView);
      m_Masked->SetOutsideValue(static_cast<HUPixelType>(std::lround(m_Options.MaskPadHU)));
      normalize->SetInput(m_Masked->GetOutput());
    }
    else
    {
      normalize->SetInput(m_HU);
    }
    normalize->SetBounds(m_Options.NormalizeLower, m_Options.NormalizeUpper);
    m_Center = ZeroCenterImageFilter<FloatImageType>::New();
    m_Center->SetInput(normalize->GetOutput());
    m_Center->SetMean(m_Options.Mean);
    m_Center->InPlaceOn();
    const bool concurrent = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1;
    m_Written = std::async(concurrent ? std::launch::async : std::launch::deferred, [this]() {
      for (const auto & format : m_Options.VolumeFormats)
      {
        WriteVolume(m_HU.GetPointer(), (m_Out / ("hu." + format)).string(), m_WriteOptions);
      }
      WriteNpyStreamed(m_Center.GetPointer(), (m_Out / "input.npy").string());
    });
    if (!concurrent)
    {
      m_Written.wait(); // runs the deferred writes now; Finish() still reports their errors
    }
  }

  /** Everything is written. */
  void
  Finish()
  {
    m_Written.get();
  }

private:
  const RunOptions &                                                     m_Options;
  fs::path                                                               m_Out;
  VolumeWriteOptions                                                     m_WriteOptions;
  HUImageType::Pointer                                                   m_HU;
  itk::MaskImageFilter<HUImageType, MaskImageType, HUImageType>::Pointer m_Masked;
  NormalizeImageFilter<HUImageType, FloatImageType>::Pointer             m_Normalize;
  ZeroCenterImageFilter<FloatImageType>::Pointer                         m_Center;
  std::future<void>                                                      m_Written;
};

/** The lung mask of `hu` with the run's parameters; decisions and warnings go to `result` and the log. */
LungMaskImageFilter::Pointer
SegmentLungs(const HUImageType * hu, const RunOptions & options, RunResult & result)
{
  auto lungMask = LungMaskImageFilter::New();
  lungMask->SetInput(hu);
  lungMask->SetLungThreshold(options.LungThreshold);
  lungMask->SetFill(options.Fill);
  lungMask->SetFillClosingRadius(options.FillClosingMm);
  lungMask->SetDilationRadius(options.DilateMm);
  lungMask->SetFallbackClosingRadius(options.FallbackClosingMm);
  lungMask->SetComputeBodyMask(options.Mesh);
  lungMask->SetCaptureLesions(options.Lesions);
  lungMask->SetLesionEnvelopeRadius(options.LesionEnvelopeMm);
  lungMask->SetLesionEnclosureLength(options.LesionEnclosureMm);
  lungMask->SetLesionBronchogramReach(options.LesionBronchogramMm);
  lungMask->SetLesionContralateralDepth(options.LesionContralateralMm);
  lungMask->SetLesionMinimumVolume(options.LesionMinimumMl);
  lungMask->SetLesionGrowth(options.LesionGrowthMm);
  lungMask->SetLesionCompletion(options.LesionCompletionMm);
  lungMask->SetLabelEffusion(options.LabelEffusion);
  lungMask->SetEffusionLower(options.EffusionLowerHU);
  lungMask->SetEffusionUpper(options.EffusionUpperHU);
  lungMask->Update();
  result.RightLungMl = lungMask->GetRightVolumeMl() + lungMask->GetRightLesionMl();
  result.LeftLungMl = lungMask->GetLeftVolumeMl() + lungMask->GetLeftLesionMl();
  result.LesionMl = lungMask->GetRightLesionMl() + lungMask->GetLeftLesionMl();
  result.Lesions = lungMask->GetLesions().size();
  for (const auto & decision : lungMask->GetDecisions())
  {
    result.Decisions.push_back(decision);
    Logger::Info(decision);
  }
  for (const auto & warning : lungMask->GetWarnings())
  {
    result.Warnings.push_back(warning);
    Logger::Warning(warning);
  }
  return lungMask;
}

/** A HU value as input.npy holds it before zero-centering: clip((HU - lower) / (upper - lower), 0, 1). */
double
Normalized(double hu, const RunOptions & options)
{
  return std::clamp((hu - options.NormalizeLower) / (options.NormalizeUpper - options.NormalizeLower), 0.0, 1.0);
}

/** Mean of input.npy before zero-centering when voxels where `keep` is 0 take the pad HU. */
double
MaskedNormalizedMean(const HUImageType * hu, const MaskImageType * keep, const RunOptions & options)
{
  const size_t          n = hu->GetBufferedRegion().GetNumberOfPixels();
  const HUPixelType *   h = hu->GetBufferPointer();
  const MaskPixelType * k = keep->GetBufferPointer();
  const double          pad = Normalized(std::lround(options.MaskPadHU), options);
  const unsigned int    parts = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  std::vector<double>   sums(parts, 0.0);
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    parts,
    [&](itk::SizeValueType part) {
      double sum = 0.0;
      for (size_t v = n * part / parts; v < n * (part + 1) / parts; ++v)
      {
        sum += k[v] ? Normalized(h[v], options) : pad;
      }
      sums[part] = sum;
    },
    nullptr);
  return n ? std::accumulate(sums.begin(), sums.end(), 0.0) / double(n) : 0.0;
}

/** The sidecar's "lungs": labels, volumes, the dense regions taken into the lungs, effusion. */
nlohmann::json
LungsJson(const LungMaskImageFilter & lungMask, bool labelEffusion)
{
  nlohmann::json lesions = nlohmann::json::array();
  for (const auto & lesion : lungMask.GetLesions())
  {
    lesions.push_back({ { "label", lesion.Side == 1 ? 4 : 5 },
                        { "side", lesion.Side == 1 ? "right" : "left" },
                        { "air_bronchograms", lesion.AirBronchograms },
                        { "volume_ml", lesion.VolumeMl },
                        { "centroid_lps_mm", lesion.CentroidLPS },
                        { "largest_diameter_mm", lesion.DiameterMm } });
  }
  const double right = lungMask.GetRightVolumeMl() + lungMask.GetRightLesionMl();
  const double left = lungMask.GetLeftVolumeMl() + lungMask.GetLeftLesionMl();
  return { { "labels",
             { { "0", "background" },
               { "1", "right lung, aerated" },
               { "2", "left lung, aerated" },
               { "3", "trachea and main bronchi" },
               { "4", "right lung, dense tissue taken in (mass, consolidation)" },
               { "5", "left lung, dense tissue taken in (mass, consolidation)" },
               { "6", labelEffusion ? "pleural effusion" : "pleural effusion (not labelled: --label-effusion)" } } },
           { "right_ml", right },
           { "left_ml", left },
           { "total_ml", right + left },
           { "right_aerated_ml", lungMask.GetRightVolumeMl() },
           { "left_aerated_ml", lungMask.GetLeftVolumeMl() },
           { "right_dense_ml", lungMask.GetRightLesionMl() },
           { "left_dense_ml", lungMask.GetLeftLesionMl() },
           { "airways_ml", lungMask.GetAirwayVolumeMl() },
           { "dense_regions", lesions },
           { "effusion",
             { { "right_ml", lungMask.GetRightEffusionMl() },
               { "left_ml", lungMask.GetLeftEffusionMl() },
               { "labelled", labelEffusion } } },
           { "plausible", lungMask.GetPlausible() },
           { "fallback_used", lungMask.GetUsedFallback() },
           { "note",
             "right_ml, left_ml and total_ml are the lungs with their dense tissue (labels 1+4, 2+5); the "
             "aerated lung alone is labels 1 and 2" } };
}

/** Seconds since the previous call. */
class StageClock
{
public:
  double
  Lap()
  {
    const auto   now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - m_Last).count();
    m_Last = now;
    return seconds;
  }

private:
  std::chrono::steady_clock::time_point m_Last{ std::chrono::steady_clock::now() };
};
} // namespace

RunResult
RunPipeline(const RunOptions & options)
{
  const auto     start = std::chrono::steady_clock::now();
  StageClock     clock;
  nlohmann::json seconds;
  // Check the output folder before reading: a wrong -o should fail in milliseconds, not after the read.
  EnsureWritableDirectory(options.OutputDirectory);
  const fs::path    out(options.OutputDirectory);
  const std::string sidecarPath = (out / "ctprep.json").string();
  std::error_code   ec;
  fs::remove(sidecarPath, ec); // the sidecar is written last: its presence means the outputs are complete
  // Without an X display render.png is drawn on a private Xvfb: started now, it is ready by then.
  auto renderDisplay = options.Render && options.Mesh ? StartRenderDisplay() : nullptr;

  SeriesReadOptions readOptions = options.Read;
  readOptions.KeepDicomTags = options.KeepPatientData;
  // The memory guard, once the series is chosen and before its pixels are read: --max-memory, or the
  // machine's memory (a few kilobytes of compressed slices may declare a 65535 x 65535 matrix; better
  // a clear refusal than the kernel's out-of-memory killer).
  readOptions.BeforeReadingPixels = [&options](const DicomSeriesInfo & series) {
    const double limit = options.MaxMemoryGiB > 0.0 ? options.MaxMemoryGiB : PhysicalMemoryGiB();
    const double estimate = EstimateRunMemoryGiB(series, options.Spacing);
    if (estimate > limit)
    {
      std::ostringstream text;
      text << std::fixed << std::setprecision(2) << "estimated peak memory " << estimate << " GiB exceeds "
           << (options.MaxMemoryGiB > 0.0 ? "--max-memory " : "this machine's memory ") << limit
           << " GiB; nothing was read";
      throw Error(ErrorKind::MemoryLimit, options.Input, text.str());
    }
  };
  const auto loaded = ReadDicomSeries(options.Input, readOptions);
  seconds["read"] = clock.Lap();
  RunResult result;
  result.SeriesInstanceUID = loaded.Series.SeriesInstanceUID;
  result.Decisions = loaded.Decisions;
  result.Warnings = loaded.Warnings;
  for (const auto & decision : loaded.Decisions)
  {
    Logger::Info(decision);
  }
  for (const auto & warning : loaded.Warnings)
  {
    Logger::Warning(warning);
  }

  // Resample to the target spacing, physical extent and direction kept.
  HUImageType::Pointer hu = loaded.Image;
  if (options.Spacing)
  {
    const auto grid = PlanResampleGrid(hu, *options.Spacing);
    hu = ResampleHU(hu, grid, options.Interpolator, readOptions.PaddingReplacement);
    hu->SetMetaDataDictionary(loaded.Image->GetMetaDataDictionary());
    std::ostringstream text;
    text << "resampled (" << InterpolatorName(options.Interpolator) << ") to " << grid.Size[0] << " x " << grid.Size[1]
         << " x " << grid.Size[2] << " voxels of " << grid.Spacing[0] << " x " << grid.Spacing[1] << " x "
         << grid.Spacing[2] << " mm";
    result.Decisions.push_back(text.str());
    Logger::Info(text.str());
  }
  seconds["resample"] = clock.Lap();

  // The HU volume is final: hu.* and input.npy are written on another thread while the lung mask and
  // the surfaces are computed. Cropped to the lungs or masked by them, they wait for the mask.
  VolumeWrites                 writes(options, out);
  LungMaskImageFilter::Pointer lungMask;
  HUImageType::Pointer         outputHU = hu; // the volumes written: the grid, or the crop of it
  MaskImageType::Pointer       mask;
  MaskImageType::Pointer       outputMask;
  nlohmann::json               crop = nullptr;
  std::optional<double>        maskedMean; // of input.npy, when masked
  const bool                   fromMask = options.CropToLungsMm || options.MaskInputMm;
  if (!fromMask)
  {
    writes.Start(hu, nullptr);
  }
  lungMask = SegmentLungs(hu, options, result);
  mask = lungMask->GetOutput();
  mask->DisconnectPipeline();
  outputMask = mask;
  seconds["lung_mask"] = clock.Lap();
  if (fromMask)
  {
    if (options.CropToLungsMm)
    {
      const auto region = LungBoundingRegion(mask, *options.CropToLungsMm, options.Input);
      outputHU = CropToRegion(hu.GetPointer(), region);
      outputMask = CropToRegion(mask.GetPointer(), region);
      const auto size = hu->GetLargestPossibleRegion().GetSize();
      crop = { { "margin_mm", *options.CropToLungsMm },
               { "index_offset_xyz", { region.GetIndex(0), region.GetIndex(1), region.GetIndex(2) } },
               { "size_xyz", { region.GetSize(0), region.GetSize(1), region.GetSize(2) } },
               { "uncropped_size_xyz", { size[0], size[1], size[2] } },
               { "note",
                 "output_geometry is the crop's: its voxel (i, j, k) is the uncropped grid's voxel "
                 "(i, j, k) + index_offset_xyz, at the same LPS point" } };
      std::ostringstream text;
      text << "cropped to the lungs' box grown by " << *options.CropToLungsMm << " mm: " << region.GetSize(0) << " x "
           << region.GetSize(1) << " x " << region.GetSize(2) << " voxels from index (" << region.GetIndex(0) << ", "
           << region.GetIndex(1) << ", " << region.GetIndex(2) << ")";
      result.Decisions.push_back(text.str());
      Logger::Info(text.str());
    }
    MaskImageType::Pointer keep;
    if (options.MaskInputMm)
    {
      keep = DilatedLungs(outputMask, *options.MaskInputMm);
    }
    writes.Start(outputHU, keep);
    if (keep)
    {
      maskedMean = MaskedNormalizedMean(outputHU, keep, options);
    }
    seconds["crop_and_mask"] = clock.Lap();
  }

  const bool concurrent = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1;
  const auto policy = concurrent ? std::launch::async : std::launch::deferred;
  // Surfaces for 3D Slicer, in LPS mm, from the whole grid: bone from HU, lungs (labels 1, 2, 4, 5) from
  // the mask.
  nlohmann::json surfaces = nlohmann::json::object();
  auto           writeStl = [&](const Surface & surface, const std::string & name, const std::string & what) {
    if (surface.Triangles > 0)
    {
      WriteStl(surface.Mesh, (out / name).string(), what);
    }
  };
  auto meshOutput = [&](const std::string & name, const Surface & surface, const std::string & what) {
    nlohmann::json info = { { "triangles", surface.Triangles } };
    if (surface.Triangles == 0)
    {
      const std::string warning = name + " not written: empty surface (" + what + ")";
      result.Warnings.push_back(warning);
      Logger::Warning(warning);
      info["written"] = false;
    }
    else
    {
      double b[6];
      surface.Mesh->GetBounds(b);
      info["written"] = true;
      info["bounds_lps_mm"] = { b[0], b[1], b[2], b[3], b[4], b[5] };
    }
    return info;
  };
  bool    meshWritten = false;
  Surface boneSurface; // kept for render.png
  Surface lungSurface;
  if (options.Mesh)
  {
    std::ostringstream bone;
    bone << "bone, HU >= " << options.BoneHU << " inside the body";
    // The two surfaces are independent: the lungs are meshed (smoothing runs on one core) while the
    // bone is (after it with one thread).
    auto lungsMeshed = std::async(policy, [&]() {
      Surface surface = SurfaceExtractor::FromLabels(mask, LungMaskImageFilter::LungLabels(), options.Surfaces);
      writeStl(surface, "lungs.stl", "lungs, labels 1, 2, 4 and 5");
      return surface;
    });
    try
    {
      boneSurface = SurfaceExtractor::FromHU(hu, options.BoneHU, options.Surfaces, lungMask->GetBodyMask());
      writeStl(boneSurface, "bone.stl", bone.str());
    }
    catch (...)
    {
      if (concurrent)
      {
        lungsMeshed.wait(); // a deferred task is simply not run
      }
      throw;
    }
    lungSurface = lungsMeshed.get();
    surfaces["bone"] = meshOutput("bone.stl", boneSurface, bone.str());
    surfaces["lungs"] = meshOutput("lungs.stl", lungSurface, "lungs, labels 1, 2, 4 and 5");
    if (lungSurface.Triangles > 0)
    {
      surfaces["lungs"]["enclosed_volume_ml"] = EnclosedVolumeMl(lungSurface.Mesh);
    }
    meshWritten = boneSurface.Triangles > 0 || lungSurface.Triangles > 0;
  }
  seconds["surfaces"] = clock.Lap();
  VolumeWriteOptions writeOptions;
  writeOptions.KeepPatientData = options.KeepPatientData;
  for (const auto & format : options.VolumeFormats)
  {
    WriteVolume(outputMask.GetPointer(), (out / ("lungmask." + format)).string(), writeOptions);
  }
  nlohmann::json render = nullptr;
  if (options.Render && meshWritten)
  {
    std::string reason;
    if (RenderRunSurfaces(
          boneSurface.Mesh, lungSurface.Mesh, (out / "render.png").string(), renderDisplay.get(), reason))
    {
      render = "render.png";
    }
    else
    {
      result.Warnings.push_back("render.png not made: " + reason);
      Logger::Warning(result.Warnings.back());
    }
  }
  renderDisplay.reset();
  seconds["render"] = clock.Lap();

  nlohmann::json outputs = nlohmann::json::array();
  auto           record = [&](const std::string & name) {
    result.Outputs.push_back((out / name).string());
    outputs.push_back(name);
  };
  const HUStatistics                   stats = ComputeHUStatistics(outputHU, outputMask);
  std::optional<std::array<double, 3>> focus;
  if (!lungMask->GetLesions().empty())
  {
    focus = lungMask->GetLesions().front().CentroidLPS; // the largest
  }
  WritePreviewPng(outputHU, outputMask, (out / "preview.png").string(), {}, focus, "LARGEST LESION");
  WriteHistogramPng(stats, (out / "hu_histogram.png").string());
  seconds["pictures"] = clock.Lap();
  writes.Finish();
  seconds["waiting_for_writes"] = clock.Lap();
  for (const auto & format : options.VolumeFormats)
  {
    record("hu." + format);
    record("lungmask." + format);
  }
  record("input.npy");
  for (const char * name : { "bone", "lungs" })
  {
    if (surfaces.contains(name) && surfaces[name]["written"].get<bool>())
    {
      record(std::string(name) + ".stl");
    }
  }
  if (!render.is_null())
  {
    record("render.png");
  }
  record("preview.png");
  record("hu_histogram.png");

  result.Size = { outputHU->GetLargestPossibleRegion().GetSize(0),
                  outputHU->GetLargestPossibleRegion().GetSize(1),
                  outputHU->GetLargestPossibleRegion().GetSize(2) };
  result.Spacing = { hu->GetSpacing()[0], hu->GetSpacing()[1], hu->GetSpacing()[2] };
  result.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  seconds["total"] = result.Seconds;

  const auto &   g = *loaded.Series.Geometry;
  nlohmann::json spacing = nullptr;
  if (options.Spacing)
  {
    spacing = *options.Spacing;
  }
  nlohmann::json sidecar;
  sidecar["ctprep_version"] = CTP_VERSION;
  sidecar["parameters"] = {
    { "series", options.Read.Series },
    { "keep_tilt", options.Read.KeepTilt },
    { "uneven_spacing", options.Read.UnevenSpacing == UnevenSpacingPolicy::Resample ? "resample" : "refuse" },
    { "air_hu", options.Read.PaddingReplacement },
    { "spacing_mm", spacing },
    { "interpolator", InterpolatorName(options.Interpolator) },
    { "lung_threshold_hu", options.LungThreshold },
    { "fill", options.Fill },
    { "fill_closing_mm", options.FillClosingMm },
    { "dilate_mm", options.DilateMm },
    { "fallback_closing_mm", options.FallbackClosingMm },
    { "lesions", options.Lesions },
    { "lesion_envelope_mm", options.LesionEnvelopeMm },
    { "lesion_enclosure_mm", options.LesionEnclosureMm },
    { "lesion_bronchogram_mm", options.LesionBronchogramMm },
    { "lesion_contralateral_mm", options.LesionContralateralMm },
    { "lesion_min_ml", options.LesionMinimumMl },
    { "lesion_growth_mm", options.LesionGrowthMm },
    { "lesion_completion_mm", options.LesionCompletionMm },
    { "label_effusion", options.LabelEffusion },
    { "effusion_hu", { options.EffusionLowerHU, options.EffusionUpperHU } },
    { "crop_to_lungs_mm", options.CropToLungsMm ? nlohmann::json(*options.CropToLungsMm) : nlohmann::json() },
    { "mask_input_mm", options.MaskInputMm ? nlohmann::json(*options.MaskInputMm) : nlohmann::json() },
    { "mask_pad_hu", options.MaskPadHU },
    { "normalize_hu", { options.NormalizeLower, options.NormalizeUpper } },
    { "mean", options.Mean },
    { "mesh", options.Mesh },
    { "render", options.Render },
    { "bone_hu", options.BoneHU },
    { "smoothing_iterations", options.Surfaces.SmoothingIterations },
    { "smoothing_pass_band", options.Surfaces.PassBand },
    { "decimation", options.Surfaces.Decimation },
    { "formats", options.VolumeFormats },
    { "keep_phi", options.KeepPatientData },
    { "checksums", options.Checksums },
  };
  sidecar["source"] = { { "series_instance_uid", loaded.Series.SeriesInstanceUID },
                        { "series_number", loaded.Series.SeriesNumber },
                        { "series_description", loaded.Series.SeriesDescription },
                        { "slice_count", loaded.Series.Files.size() },
                        { "transfer_syntaxes", loaded.Series.TransferSyntaxes },
                        { "slice_step_mm", { { "median", g.MedianStep }, { "min", g.MinStep }, { "max", g.MaxStep } } },
                        { "missing_slices", g.MissingSlices },
                        { "gantry_tilt_degrees", g.TiltDegrees },
                        { "series_found", loaded.SeriesFound },
                        { "resampled_for_tilt_or_spacing", loaded.Resampled },
                        // The slices as scanned (LPS mm), before any resampling: with a tilt or uneven
                        // steps, original_geometry is the uniform grid they were resampled onto.
                        { "stack",
                          { { "columns", g.Columns },
                            { "rows", g.Rows },
                            { "pixel_spacing_mm", { g.InPlaneSpacing[0], g.InPlaneSpacing[1] } },
                            { "row_direction", g.Row },
                            { "column_direction", g.Column },
                            { "first_position_mm", g.Positions.front() },
                            { "last_position_mm", g.Positions.back() } } } };
  sidecar["original_geometry"] = GeometryJson(loaded.Image.GetPointer());
  sidecar["output_geometry"] = GeometryJson(outputHU.GetPointer());
  sidecar["crop"] = crop;
  sidecar["lungs"] = LungsJson(*lungMask, options.LabelEffusion);
  sidecar["hu_statistics"] = {
    { "min", stats.Minimum },           { "max", stats.Maximum },        { "mean", stats.Mean },
    { "std", stats.StandardDeviation }, { "p01", stats.Percentile1 },    { "median", stats.Median },
    { "p99", stats.Percentile99 },      { "lung_mean", stats.LungMean }, { "lung_median", stats.LungMedian }
  };
  // Mean of the normalized volume (before zero-centering), exact from the HU histogram: batches
  // average it over a cohort to find the dataset mean (--compute-mean).
  double normalizedSum = 0.0;
  for (size_t b = 0; b < stats.Histogram.size(); ++b)
  {
    if (stats.Histogram[b] > 0)
    {
      const double hu = double(b) - 32768.0;
      normalizedSum += Normalized(hu, options) * double(stats.Histogram[b]);
    }
  }
  sidecar["input_npy"] = { { "dtype", "float32" },
                           { "normalized_mean",
                             maskedMean     ? *maskedMean
                             : stats.Voxels ? normalizedSum / double(stats.Voxels)
                                            : 0.0 },
                           { "voxels", stats.Voxels },
                           { "shape_zyx", { result.Size[2], result.Size[1], result.Size[0] } },
                           { "meaning", "clip((HU - lower) / (upper - lower), 0, 1) - mean" } };
  if (options.MaskInputMm)
  {
    const double padValue = Normalized(std::lround(options.MaskPadHU), options) - options.Mean;
    sidecar["input_npy"]["masked"] = { { "margin_mm", *options.MaskInputMm },
                                       { "pad_hu", std::lround(options.MaskPadHU) },
                                       { "pad_value", padValue },
                                       { "meaning",
                                         "voxels further than margin_mm from the lungs (labels 1, 2, 4, 5) "
                                         "hold pad_value, the normalized pad_hu" } };
  }
  sidecar["surfaces"] = surfaces;
  sidecar["surfaces_note"] = "binary STL, LPS millimetres (header SPACE=LPS): open in 3D Slicer over hu.nrrd";
  sidecar["decisions"] = result.Decisions;
  sidecar["warnings"] = result.Warnings;
  sidecar["seconds"] = seconds;
  // Every output with its size (and content hash on request): a resumed batch knows a complete case.
  std::vector<nlohmann::json> listed(outputs.size());
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    outputs.size(),
    [&](itk::SizeValueType i) {
      const std::string name = outputs[i].get<std::string>();
      const fs::path    path = out / name;
      listed[i] = { { "file", name }, { "bytes", fs::file_size(path) } };
      if (options.Checksums)
      {
        listed[i]["hash64"] = FileHash64(path.string());
      }
    },
    nullptr);
  sidecar["outputs"] = listed;
  WriteTextFileAtomically(sidecarPath, sidecar.dump(2) + "\n");
  result.Outputs.push_back(sidecarPath);
  return result;
}

std::optional<std::array<double, 3>>
ParseSpacing(const std::string & text)
{
  if (text == "none")
  {
    return std::nullopt;
  }
  std::vector<double> values;
  std::istringstream  in(text);
  std::string         item;
  while (std::getline(in, item, ','))
  {
    try
    {
      size_t used = 0;
      values.push_back(std::stod(item, &used));
      if (used != item.size() || !(values.back() > 0.0))
      {
        throw std::invalid_argument(item);
      }
    }
    catch (const std::exception &)
    {
      throw Error(ErrorKind::Usage, "--spacing: '" + text + "' is not a positive number, three (x,y,z) or none");
    }
  }
  if (values.size() == 1)
  {
    return std::array<double, 3>{ values[0], values[0], values[0] };
  }
  if (values.size() == 3)
  {
    return std::array<double, 3>{ values[0], values[1], values[2] };
  }
  throw Error(ErrorKind::Usage, "--spacing: '" + text + "' is not a positive number, three (x,y,z) or none");
}

double
EstimateRunMemoryGiB(const DicomSeriesInfo & series, const std::optional<std::array<double, 3>> & spacing)
{
  if (!series.Geometry)
  {
    return 0.0;
  }
  const auto & g = *series.Geometry;
  double       original = double(g.Columns) * g.Rows * double(series.Files.size());
  double       extent[3] = { g.Columns * g.InPlaneSpacing[0],
                             g.Rows * g.InPlaneSpacing[1],
                             series.Files.size() * std::max(g.MedianStep, 1e-3) };
  if (g.Tilted && g.Positions.size() >= 2)
  {
    // The tilt-corrected grid holds every pixel of every slice: larger than the stack (1.8 times for
    // 512 rows of 0.7 mm over 200 mm at 20 degrees). --keep-tilt needs less; this is the bound.
    const OutputGrid grid = PlanUniformGrid(g, StackMapping::Physical);
    original = std::max(original, double(grid.Size[0]) * double(grid.Size[1]) * double(grid.Size[2]));
    for (unsigned int a = 0; a < 3; ++a)
    {
      extent[a] = double(grid.Size[a]) * grid.Spacing[a];
    }
  }
  double output = original;
  if (spacing)
  {
    output = 1.0;
    for (int a = 0; a < 3; ++a)
    {
      output *= std::max(1.0, std::round(extent[a] / (*spacing)[static_cast<size_t>(a)]));
    }
  }
  return (6.0 * original + 14.0 * output) / (1024.0 * 1024.0 * 1024.0) + 0.2;
}

} // namespace ctp
