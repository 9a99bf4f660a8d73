#ifndef ctpExitCodes_h
#define ctpExitCodes_h

#include "ctpError.h"

#include <array>

namespace ctp
{
/** \brief Every exit code of `ctprep`, in one place (README.md's table is checked against this one).
 *
 * Modules throw ctp::Error with an ErrorKind; only the application maps kinds to these codes. */
enum class ExitCode : int
{
  Success = 0,
  Usage = 1,
  NoDicom = 2,
  NoSeries = 3,
  InvalidInput = 4,
  OutputNotWritable = 5,
  ProcessingFailed = 6,
  BatchPartlyFailed = 7,
  BatchAllFailed = 8,
  MemoryLimit = 9,
  Internal = 10
};

struct ExitCodeInfo
{
  ExitCode     Code;
  const char * Name;
  const char * Meaning;
};

inline constexpr std::array<ExitCodeInfo, 11> ExitCodeTable{ {
  { ExitCode::Success, "success", "all requested outputs were written" },
  { ExitCode::Usage, "usage", "unknown option, missing argument or value out of range" },
  { ExitCode::NoDicom, "no-dicom", "the input holds no readable DICOM file (empty folder, only other files)" },
  { ExitCode::NoSeries, "no-ct-series", "DICOM found, but no CT image series to process (or not the one asked for)" },
  { ExitCode::InvalidInput,
    "invalid-input",
    "a file or series is unreadable, corrupt, truncated or inconsistent (missing path included)" },
  { ExitCode::OutputNotWritable, "output-not-writable", "an output folder or file cannot be created or written" },
  { ExitCode::ProcessingFailed, "processing-failed", "a processing step failed on readable input" },
  { ExitCode::BatchPartlyFailed, "batch-partly-failed", "batch: some cases failed, the others are complete" },
  { ExitCode::BatchAllFailed, "batch-all-failed", "batch: no case succeeded" },
  { ExitCode::MemoryLimit, "memory-limit", "the estimated memory exceeds --max-memory, or memory ran out" },
  { ExitCode::Internal, "internal-error", "an unexpected error (a bug: please report it)" },
} };

inline ExitCode
ExitCodeFor(ErrorKind kind)
{
  switch (kind)
  {
    case ErrorKind::Usage:
      return ExitCode::Usage;
    case ErrorKind::NoDicom:
      return ExitCode::NoDicom;
    case ErrorKind::NoSeries:
      return ExitCode::NoSeries;
    case ErrorKind::InvalidInput:
      return ExitCode::InvalidInput;
    case ErrorKind::OutputNotWritable:
      return ExitCode::OutputNotWritable;
    case ErrorKind::ProcessingFailed:
      return ExitCode::ProcessingFailed;
    case ErrorKind::MemoryLimit:
      return ExitCode::MemoryLimit;
  }
  return ExitCode::Internal;
}

} // namespace ctp

#endif
