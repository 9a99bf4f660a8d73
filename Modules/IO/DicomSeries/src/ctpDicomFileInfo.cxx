#include "ctpDicomFileInfo.h"
#include "ctpText.h"
#include "ctpAbortGuard.h"
#include "ctpDeclaredLengthWalker.h"
#include "ctpError.h"
#include "ctpGdcmHeaderParser.h"
#include "ctpJpeg2000PixelDataCheck.h"
#include "ctpPixelDataFragments.h"
#include "ctpWindowedFile.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>
#include <vector>

// ReadDicomFileInfo runs in stages, each in its own unit (namespace ctp::detail): the declared lengths
// walked (ctpDeclaredLengthWalker) before GDCM sees the file, the header parsed by GDCM under the
// abort guard (ctpGdcmHeaderParser), then compressed pixel data checked where GDCM stopped
// (ctpPixelDataFragments, ctpJpeg2000PixelDataCheck). All of them read the file through one
// WindowedFile (ctpWindowedFile).

namespace ctp
{
namespace
{
/** Is there a DICOM preamble ("DICM" at byte 128)? Cheap check before handing the file to GDCM. */
bool
HasDicomPreamble(detail::WindowedFile & in)
{
  char magic[4] = {};
  in.seekg(128);
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "DICM", 4) == 0;
}
} // namespace

bool
DicomFileInfo::IsLocalizer() const
{
  return UpperCase(ImageType).find("LOCALIZER") != std::string::npos;
}

bool
DicomFileInfo::IsSecondaryCapture() const
{
  return SOPClassUID.rfind("1.2.840.10008.5.1.4.1.1.7", 0) == 0 ||
         UpperCase(ImageType).find("SECONDARY") != std::string::npos;
}

std::optional<DicomFileInfo>
ReadDicomFileInfo(const std::string & path)
{
  detail::WindowedFile probe(path);
  if (!probe)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot open: ") + std::strerror(errno));
  }
  probe.seekg(0, std::ios::end);
  const auto fileSize = static_cast<size_t>(probe.tellg());
  if (fileSize < 132)
  {
    return std::nullopt;
  }
  const bool                   preamble = HasDicomPreamble(probe);
  detail::DeclaredLengthWalker walker(probe, fileSize);
  const std::string            malformed = walker.Check(preamble);
  if (!malformed.empty())
  {
    if (!preamble)
    {
      return std::nullopt; // garbage without a DICOM preamble: not DICOM
    }
    throw Error(ErrorKind::InvalidInput, path, malformed);
  }

  std::optional<DicomFileInfo> result;
  bool                         parsed = false;
  size_t                       pixelDataPosition = static_cast<size_t>(-1);
  // Under an allocation limit: lengths GDCM works out itself when it recovers from a broken data set
  // are not in the file for the walker to check.
  // The stream belongs to this frame, not to GDCM's reader: it is closed even when GDCM aborts.
  std::ifstream stream(path, std::ios::binary);
  const bool    finished = RunGuardedDecoder(path, [&]() {
    result = detail::ParseHeaderWithGdcm(path, stream, probe, fileSize, preamble, pixelDataPosition);
    parsed = true;
  });
  if (!finished || !parsed)
  {
    if (!preamble)
    {
      return std::nullopt; // garbage without a DICOM preamble: not DICOM
    }
    throw Error(ErrorKind::InvalidInput, path, "malformed DICOM header (the parser gave up)");
  }
  // Pixel data declaring more than the file holds: a truncated image says so itself; with the whole
  // image present the length is wrong, and decoding would reserve it.
  if (result && !walker.PixelDataCutShort().empty() && !result->Truncated)
  {
    throw Error(ErrorKind::InvalidInput, path, walker.PixelDataCutShort());
  }
  // Compressed pixel data: its fragments well formed where GDCM finds them (GDCM's recovery from
  // broken ones takes seconds to hours). JPEG 2000 (lossless, lossy, Part 2, as GDCM's codec takes
  // them): GDCM's marker walk must stay inside the fragments, and the codestream's size must be the
  // header's.
  static const std::set<std::string> jpeg2000 = {
    "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91", "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93"
  };
  const bool isJpeg2000 = result && jpeg2000.count(result->TransferSyntaxUID) > 0;
  if (result && pixelDataPosition < fileSize && (isJpeg2000 || result->IsCompressed))
  {
    std::vector<detail::FragmentSpan> fragments;
    const std::string                 problem = isJpeg2000
                                                  ? detail::CheckJpeg2000PixelData(probe, fileSize, pixelDataPosition, *result)
                                                  : detail::PixelDataFragments(probe, fileSize, pixelDataPosition, false, fragments);
    if (!problem.empty())
    {
      throw Error(ErrorKind::InvalidInput, path, problem);
    }
  }
  return result;
}

} // namespace ctp
