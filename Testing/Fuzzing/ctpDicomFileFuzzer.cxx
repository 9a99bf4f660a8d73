// libFuzzer target: one DICOM file through header parsing, inspect's element dump, decoding and HU
// conversion. Build with clang (CTP_FUZZ=ON, see CMakeLists.txt); run as
//   ctpDicomFileFuzzer CORPUS_DIR -max_total_time=60
// Errors are expected (ctp::Error, itk::ExceptionObject); crashes, hangs and sanitizer reports are not.
#include "ctpDicomFileDump.h"
#include "ctpDicomFileInfo.h"
#include "ctpDicomSeriesReader.h"
#include "ctpError.h"
#include "ctpHUConvertImageFilter.h"
#include "ctpToolkitWarnings.h"

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const bool quiet = []() {
    ctp::QuietToolkitWarnings();
    return true;
  }();
  (void)quiet;
  static const std::string path = "/tmp/ctp-fuzz-" + std::to_string(::getpid()) + ".dcm";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(data), static_cast<std::streamsize>(size));
  }
  try
  {
    const auto info = ctp::ReadDicomFileInfo(path);
    if (!info)
    {
      return 0;
    }
    ctp::DumpDicomFile(path, false);
    // Decode only what a slice can be: no 4-billion-pixel allocations from a flipped Rows field.
    if (info->HasPixelData && size_t(info->Rows) * info->Columns * info->NumberOfFrames <= 4096u * 4096u)
    {
      const auto image = ctp::ReadDicomFile(path);
      auto       convert = ctp::HUConvertImageFilter<ctp::FloatImageType, ctp::HUImageType>::New();
      convert->SetInput(image);
      convert->Update();
    }
  }
  catch (const ctp::Error &)
  {}
  catch (const itk::ExceptionObject &)
  {}
  return 0;
}
