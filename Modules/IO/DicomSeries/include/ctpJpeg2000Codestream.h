#ifndef ctpJpeg2000Codestream_h
#define ctpJpeg2000Codestream_h

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace ctp
{
/** Reads `count` bytes at `offset` of a buffer into `out`; false when they are not all in it. */
using BufferReader = std::function<bool(uint64_t offset, size_t count, uint8_t * out)>;

/** \brief Why GDCM's own walk over the markers of a JPEG 2000 buffer would read outside it, or "".
 *
 * Before and after OpenJPEG reads a JPEG 2000 stream, GDCM (3.0, JPEG2000Codec: parsej2k_imp,
 * parsejp2_imp) walks its marker segments (or, for a JP2 file, its boxes) to find the COD segment
 * and tell lossless from lossy. That walk trusts every declared length: a segment longer than what is
 * left makes its remaining count wrap around and it reads on past the buffer (fuzzing found a
 * segmentation fault in GetHeaderInfo, called when ITK reads the image information); a COD segment at
 * the very end is read 10 bytes further; a JP2 box length advances the cursor without the count.
 *
 * This replays the same walk on `size` bytes (the first fragment, or the fragments joined, as GDCM
 * hands them over) and names the first read it would make outside them, or the first declared
 * length it cannot follow. A buffer shorter than 13 bytes is refused too: GDCM compares its first
 * 13 bytes with the JP2 signature. A walk that ends the way GDCM's ends (at SOD, at a COD segment, at
 * a length below 2, at the end) is fine. `what` names the buffer in the message. */
std::string
Jpeg2000MarkerWalkProblem(const BufferReader & read, uint64_t size, const std::string & what);

} // namespace ctp

#endif
