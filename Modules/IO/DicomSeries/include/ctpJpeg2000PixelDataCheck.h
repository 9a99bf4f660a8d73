#ifndef ctpJpeg2000PixelDataCheck_h
#define ctpJpeg2000PixelDataCheck_h

#include "ctpDicomFileInfo.h"
#include "ctpWindowedFile.h"

#include <cstddef>
#include <string>

namespace ctp
{
namespace detail
{
/** \brief Why the JPEG 2000 pixel data of a file would take GDCM or OpenJPEG out of bounds, or "".
 * Its fragments (PixelDataFragments, from the `position` where GDCM's parse stopped) as GDCM hands
 * them to its JPEG 2000 codec (the first alone to read the image information, all of them joined to
 * decode one frame, each alone to decode several frames) are walked as GDCM walks them
 * (ctp::Jpeg2000MarkerWalkProblem), and the first codestream's size must be the header's (`info`:
 * Columns, Rows, SamplesPerPixel). */
std::string
CheckJpeg2000PixelData(WindowedFile & in, size_t fileSize, size_t position, const DicomFileInfo & info);

} // namespace detail
} // namespace ctp

#endif
