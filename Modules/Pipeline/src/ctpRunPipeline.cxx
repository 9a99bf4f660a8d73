#include "ctpRunPipeline.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpFileHash.h"
#include "ctpLogger.h"
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

#include "itkMultiThreaderBase.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <future>
#include <filesystem>
#include <cmath>
#include <iomanip>
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

  // The HU volume is final: everything that needs only it (hu.nrrd, then input.npy streamed slab by
  // slab through Normalize -> ZeroCenter) is written on another thread while the lung mask and the
  // surfaces are computed. The float volume never exists whole in memory. Errors surface at get().
  VolumeWriteOptions writeOptions;
  writeOptions.KeepPatientData = options.KeepPatientData;
  // The writer thread works on its own image object sharing hu's pixels: ITK keeps pipeline state
  // (requested regions) in the image, and the lung mask reads hu at the same time.
  auto huView = HUImageType::New();
  huView->Graft(hu);
  huView->SetMetaDataDictionary(hu->GetMetaDataDictionary());
  auto normalize = NormalizeImageFilter<HUImageType, FloatImageType>::New();
  normalize->SetInput(huView);
  normalize->SetBounds(options.NormalizeLower, options.NormalizeUpper);
  auto center = ZeroCenterImageFilter<FloatImageType>::New();
  center->SetInput(normalize->GetOutput());
  center->SetMean(options.Mean);
  center->InPlaceOn();
  // With one thread (--threads 1, as a batch case on a core of its own or a cluster job on one
  // core gets) nothing runs beside the main thread: the writes come first, the surfaces one by one.
  const bool         concurrent = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1;
  const auto         policy = concurrent ? std::launch::async : std::launch::deferred;
  std::promise<void> huDone;
  auto               huWritten = huDone.get_future().share();
  auto               volumesWritten = std::async(policy, [&]() {
    try
    {
      for (const auto & format : options.VolumeFormats)
      {
        WriteVolume(huView.GetPointer(), (out / ("hu." + format)).string(), writeOptions);
      }
      huDone.set_value();
    }
    catch (...)
    {
      huDone.set_exception(std::current_exception());
      throw;
    }
    WriteNpyStreamed(center.GetPointer(), (out / "input.npy").string());
  });
  // Leaving early (an exception) must not leave the writer running on freed images.
  struct JoinOnExit
  {
    std::future<void> & Task;
    ~JoinOnExit()
    {
      if (Task.valid())
      {
        Task.wait();
      }
    }
  } joinWriter{ volumesWritten };
  if (!concurrent)
  {
    volumesWritten.wait(); // runs the deferred writes now; get() below still reports their errors
  }

  auto lungMask = LungMaskImageFilter::New();
  lungMask->SetInput(hu);
  lungMask->SetLungThreshold(options.LungThreshold);
  lungMask->SetFill(options.Fill);
  lungMask->SetFillClosingRadius(options.FillClosingMm);
  lungMask->SetDilationRadius(options.DilateMm);
  lungMask->SetFallbackClosingRadius(options.FallbackClosingMm);
  lungMask->SetComputeBodyMask(options.Mesh);
  lungMask->Update();
  MaskImageType::Pointer mask = lungMask->GetOutput();
  mask->DisconnectPipeline();
  result.RightLungMl = lungMask->GetRightVolumeMl();
  result.LeftLungMl = lungMask->GetLeftVolumeMl();
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
  seconds["lung_mask"] = clock.Lap();

  // Surfaces for 3D Slicer, in LPS mm: bone from HU, lungs (labels 1 and 2) from the mask.
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
  bool meshWritten = false;
  if (options.Mesh)
  {
    std::ostringstream bone;
    bone << "bone, HU >= " << options.BoneHU << " inside the body";
    // The two surfaces are independent: the lungs are meshed (smoothing runs on one core) while the
    // bone is (after it with one thread).
    auto    lungsMeshed = std::async(policy, [&]() {
      Surface surface = SurfaceExtractor::FromLabels(mask, { 1, 2 }, options.Surfaces);
      writeStl(surface, "lungs.stl", "lungs, labels 1 and 2");
      return surface;
    });
    Surface boneSurface;
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
    const Surface lungSurface = lungsMeshed.get();
    surfaces["bone"] = meshOutput("bone.stl", boneSurface, bone.str());
    surfaces["lungs"] = meshOutput("lungs.stl", lungSurface, "lungs, labels 1 and 2");
    if (lungSurface.Triangles > 0)
    {
      surfaces["lungs"]["enclosed_volume_ml"] = EnclosedVolumeMl(lungSurface.Mesh);
    }
    meshWritten = boneSurface.Triangles > 0 || lungSurface.Triangles > 0;
  }
  seconds["surfaces"] = clock.Lap();
  huWritten.get(); // hu.nrrd is complete: the renderer may read it
  for (const auto & format : options.VolumeFormats)
  {
    WriteVolume(mask.GetPointer(), (out / ("lungmask." + format)).string(), writeOptions);
  }
  nlohmann::json render = nullptr;
  if (options.Render && meshWritten)
  {
    std::string reason;
    if (RenderRunOutputsAnywhere(
          options.OutputDirectory, (out / "render.png").string(), options.RenderExecutable, reason))
    {
      render = "render.png";
    }
    else
    {
      result.Warnings.push_back("render.png not made: " + reason);
      Logger::Warning(result.Warnings.back());
    }
  }
  seconds["render"] = clock.Lap();

  nlohmann::json outputs = nlohmann::json::array();
  auto           record = [&](const std::string & name) {
    result.Outputs.push_back((out / name).string());
    outputs.push_back(name);
  };
  const HUStatistics stats = ComputeHUStatistics(hu, mask);
  WritePreviewPng(hu, mask, (out / "preview.png").string());
  WriteHistogramPng(stats, (out / "hu_histogram.png").string());
  seconds["pictures"] = clock.Lap();
  volumesWritten.get();
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

  result.Size = { hu->GetLargestPossibleRegion().GetSize(0),
                  hu->GetLargestPossibleRegion().GetSize(1),
                  hu->GetLargestPossibleRegion().GetSize(2) };
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
  sidecar["output_geometry"] = GeometryJson(hu.GetPointer());
  sidecar["lungs"] = {
    { "labels",
      { { "0", "background" }, { "1", "right lung" }, { "2", "left lung" }, { "3", "trachea and main bronchi" } } },
    { "right_ml", lungMask->GetRightVolumeMl() },
    { "left_ml", lungMask->GetLeftVolumeMl() },
    { "total_ml", lungMask->GetRightVolumeMl() + lungMask->GetLeftVolumeMl() },
    { "airways_ml", lungMask->GetAirwayVolumeMl() },
    { "plausible", lungMask->GetPlausible() },
    { "fallback_used", lungMask->GetUsedFallback() }
  };
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
      normalizedSum +=
        std::clamp((hu - options.NormalizeLower) / (options.NormalizeUpper - options.NormalizeLower), 0.0, 1.0) *
        double(stats.Histogram[b]);
    }
  }
  sidecar["input_npy"] = { { "dtype", "float32" },
                           { "normalized_mean", stats.Voxels ? normalizedSum / double(stats.Voxels) : 0.0 },
                           { "voxels", stats.Voxels },
                           { "shape_zyx", { result.Size[2], result.Size[1], result.Size[0] } },
                           { "meaning", "clip((HU - lower) / (upper - lower), 0, 1) - mean" } };
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
