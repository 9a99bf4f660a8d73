#include "ctpRunPipeline.h"
#include "ctpAtomicOutputFile.h"
#include "ctpDicomSeriesReader.h"
#include "ctpLogger.h"
#include "ctpVolumeWriter.h"

#include <chrono>
#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
RunResult
RunPipeline(const RunOptions & options)
{
  const auto start = std::chrono::steady_clock::now();
  // Check the output folder before reading: a wrong -o should fail in milliseconds, not after the read.
  EnsureWritableDirectory(options.OutputDirectory);

  const auto loaded = ReadDicomSeries(options.Input, options.Series);
  RunResult  result;
  result.SeriesInstanceUID = loaded.SeriesInstanceUID;
  const auto size = loaded.Image->GetLargestPossibleRegion().GetSize();
  for (unsigned int i = 0; i < 3; ++i)
  {
    result.Size[i] = size[i];
    result.Spacing[i] = loaded.Image->GetSpacing()[i];
  }
  Logger::Info(
    "Read " + std::to_string(loaded.Files.size()) + " slices of series " + loaded.SeriesInstanceUID +
    (loaded.SeriesFound.size() > 1 ? " (" + std::to_string(loaded.SeriesFound.size()) + " series found)" : ""));

  VolumeWriteOptions writeOptions;
  writeOptions.KeepPatientData = options.KeepPatientData;
  const std::string huPath = (fs::path(options.OutputDirectory) / "hu.nrrd").string();
  WriteVolume(loaded.Image.GetPointer(), huPath, writeOptions);
  result.Outputs.push_back(huPath);

  result.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

} // namespace ctp
