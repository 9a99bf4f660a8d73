// libFuzzer target: one DICOM file through header parsing, inspect's element dump, decoding and HU
// conversion. Build with clang (CTP_FUZZ=ON, see CMakeLists.txt); run a bounded campaign with
// ctpRunFuzzCampaign.sh (CTest: ctest -L fuzz in the fuzz build folder), or by hand as
//   ctpDicomFileFuzzer CORPUS_DIR SEED_DIR -fork=1 -max_total_time=600 -max_len=65536 -timeout=20
//                      -malloc_limit_mb=512 -close_fd_mask=2
// -close_fd_mask=2 matters: CTPrep sends stderr to /dev/null while GDCM parses (its assertion text),
// and libFuzzer's and the sanitizers' reports from inside that stretch would be lost with it; with
// the mask they go to a copy of stderr taken at start-up.
// Errors are expected (ctp::Error, itk::ExceptionObject); crashes, hangs, sanitizer reports and
// single allocations above -malloc_limit_mb are not.
#include "ctpAbortGuard.h"
#include "ctpDicomFileDump.h"
#include "ctpDicomFileInfo.h"
#include "ctpDicomSeriesReader.h"
#include "ctpError.h"
#include "ctpHUConvertImageFilter.h"
#include "ctpToolkitWarnings.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace
{
size_t g_Inputs = 0;
char   g_Path[4096] = {}; // plain storage: still there when the exit handler runs

void
AtExit()
{
  std::remove(g_Path);
  // stdout: stderr may be closed (-close_fd_mask=2). Aborts inside GDCM leak what it had allocated.
  std::printf("ctpDicomFileFuzzer: %zu inputs, %zu aborts inside GDCM contained\n", g_Inputs, ctp::ContainedAborts());
}

/** The input as a file (the code under test reads files), in $TMPDIR; removed at exit. */
const char *
InputPath()
{
  if (g_Path[0] == '\0')
  {
    const auto file = std::filesystem::temp_directory_path() / ("ctp-fuzz-" + std::to_string(::getpid()) + ".dcm");
    std::snprintf(g_Path, sizeof(g_Path), "%s", file.c_str());
    std::atexit(AtExit);
  }
  return g_Path;
}
} // namespace

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t * data, size_t size)
{
  static const bool quiet = []() {
    ctp::QuietToolkitWarnings();
    return true;
  }();
  (void)quiet;
  ++g_Inputs;
  const std::string path = InputPath();
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
    // Decode only what a slice can be (at most 4096 x 4096 floats, 64 MB): a flipped Rows field must
    // not make a legitimate 16 GB image. The decoder's limit is then at most 192 MB, below
    // -malloc_limit_mb=512, so a larger request is a finding, not a large image.
    if (info->HasPixelData && info->DecodedFloatBytes() <= size_t(4096) * 4096 * sizeof(float))
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
