#ifndef ctpGdcmHeaderParser_h
#define ctpGdcmHeaderParser_h

#include "ctpDicomFileInfo.h"
#include "ctpWindowedFile.h"

#include <cstddef>
#include <istream>
#include <optional>
#include <string>

namespace ctp
{
namespace detail
{
/** \brief The header fields of one file, parsed by GDCM up to the pixel data; std::nullopt when it is
 * not DICOM.
 *
 * `stream` is the file for GDCM, `in` the same file for CTPrep's own reads (where the native pixel
 * data starts). `preamble`: the file has the DICOM preamble; without it GDCM parses almost anything,
 * so a file naming neither SOP class nor series is not DICOM. `pixelDataPosition` is set to where
 * GDCM's parse stopped, in front of (or just past the header of) the pixel data element, for the
 * fragment checks; it is left alone when GDCM gives up before. GDCM (Debian builds it with
 * assertions on) may abort() inside: call it only under RunGuardedDecoder (ctpAbortGuard.h). */
std::optional<DicomFileInfo>
ParseHeaderWithGdcm(const std::string & path, std::istream & stream, WindowedFile & in, size_t fileSize, bool preamble,
                    size_t & pixelDataPosition);

} // namespace detail
} // namespace ctp

#endif
