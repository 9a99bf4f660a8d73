#include "ctpRunPipeline.h"
#include "ctpAtomicOutputFile.h"
#include "ctpLogger.h"
#include "ctpVersion.h"
#include "ctpVolumeWriter.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
nlohmann::json
GeometryJson(const HUImageType * image)
{
  const auto   size = image->GetLargestPossibleRegion().GetSize();
  const auto & d = image->GetDirection();
  return { { "size", { size[0], size[1], size[2] } },
           { "spacing", { image->GetSpacing()[0], image->GetSpacing()[1], image->GetSpacing()[2] } },
           { "origin", { image->GetOrigin()[0], image->GetOrigin()[1], image->GetOrigin()[2] } },
           { "direction", { d[0][0], d[0][1], d[0][2], d[1][0], d[1][1], d[1][2], d[2][0], d[2][1], d[2][2] } } };
}
} // namespace

RunResult
RunPipeline(const RunOptions & options)
{
  const auto start = std::chrono::steady_clock::now();
  // Check the output folder before reading: a wrong -o should fail in milliseconds, not after the read.
  EnsureWritableDirectory(options.OutputDirectory);
  const std::string sidecarPath = (fs::path(options.OutputDirectory) / "ctprep.json").string();
  std::error_code   ec;
  fs::remove(sidecarPath, ec); // the sidecar is written last: its presence means the outputs are complete

  SeriesReadOptions readOptions = options.Read;
  readOptions.KeepDicomTags = options.KeepPatientData;
  const auto loaded = ReadDicomSeries(options.Input, readOptions);
  const auto readSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  RunResult  result;
  result.SeriesInstanceUID = loaded.Series.SeriesInstanceUID;
  result.Decisions = loaded.Decisions;
  result.Warnings = loaded.Warnings;
  const auto size = loaded.Image->GetLargestPossibleRegion().GetSize();
  for (unsigned int i = 0; i < 3; ++i)
  {
    result.Size[i] = size[i];
    result.Spacing[i] = loaded.Image->GetSpacing()[i];
  }
  for (const auto & decision : loaded.Decisions)
  {
    Logger::Info(decision);
  }
  for (const auto & warning : loaded.Warnings)
  {
    Logger::Warning(warning);
  }

  VolumeWriteOptions writeOptions;
  writeOptions.KeepPatientData = options.KeepPatientData;
  nlohmann::json outputs = nlohmann::json::array();
  for (const auto & format : options.VolumeFormats)
  {
    const std::string name = "hu." + format;
    const std::string path = (fs::path(options.OutputDirectory) / name).string();
    WriteVolume(loaded.Image.GetPointer(), path, writeOptions);
    result.Outputs.push_back(path);
    outputs.push_back(name);
  }
  result.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  const auto &   g = *loaded.Series.Geometry;
  nlohmann::json sidecar;
  sidecar["ctprep_version"] = CTP_VERSION;
  sidecar["parameters"] = { { "series", options.Read.Series },
                            { "keep_tilt", options.Read.KeepTilt },
                            { "uneven_spacing",
                              options.Read.UnevenSpacing == UnevenSpacingPolicy::Resample ? "resample" : "refuse" },
                            { "padding_replacement_hu", options.Read.PaddingReplacement },
                            { "keep_phi", options.KeepPatientData },
                            { "formats", options.VolumeFormats } };
  sidecar["source"] = { { "series_instance_uid", loaded.Series.SeriesInstanceUID },
                        { "series_number", loaded.Series.SeriesNumber },
                        { "series_description", loaded.Series.SeriesDescription },
                        { "slice_count", loaded.Series.Files.size() },
                        { "transfer_syntaxes", loaded.Series.TransferSyntaxes },
                        { "slice_step_mm", { { "median", g.MedianStep }, { "min", g.MinStep }, { "max", g.MaxStep } } },
                        { "missing_slices", g.MissingSlices },
                        { "gantry_tilt_degrees", g.TiltDegrees },
                        { "series_found", loaded.SeriesFound } };
  sidecar["output_geometry"] = GeometryJson(loaded.Image);
  sidecar["resampled"] = loaded.Resampled;
  sidecar["decisions"] = loaded.Decisions;
  sidecar["warnings"] = loaded.Warnings;
  sidecar["seconds"] = { { "read", readSeconds }, { "total", result.Seconds } };
  sidecar["outputs"] = outputs;
  WriteTextFileAtomically(sidecarPath, sidecar.dump(2) + "\n");
  result.Outputs.push_back(sidecarPath);
  return result;
}

} // namespace ctp
