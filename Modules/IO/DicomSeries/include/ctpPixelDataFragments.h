#ifndef ctpPixelDataFragments_h
#define ctpPixelDataFragments_h

#include "ctpJpeg2000Codestream.h"
#include "ctpWindowedFile.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace ctp
{
namespace detail
{
/** Where a fragment's bytes are in the file: {offset, length}. */
using FragmentSpan = std::pair<size_t, size_t>;

/** \brief The fragments (after the basic offset table) of the encapsulated pixel data element at
 * `position`, where GDCM's own parse of the data set stopped at it; or why they are not well formed.
 *
 * Taken from GDCM's position, not from DeclaredLengthWalker's: fuzzing found a file whose damaged item
 * delimiter stopped that walk while GDCM recovered and read on, and a JPEG 2000 check that relied on
 * the walk was skipped. Items must be well formed, each inside the file, up to the sequence delimiter
 * (or the end of the file). Where they are not, GDCM recovers by searching the file byte by byte for
 * the next item (Fragment::ReadBacktrack, a seek and a read per step): fuzzing found 4 KB files taking
 * 11 and 12 s, longer files take as long as anyone waits; such pixel data is refused (GDCM's own test
 * files for this recovery are corrupt JPEG slices of old GE and Siemens scanners). With
 * `allowDefinedLength`, a value of defined length (JPEG 2000 not encapsulated correctly, which GDCM
 * reads as fragments anyway) must consist of such items too; otherwise it is none of this check's. */
std::string
PixelDataFragments(WindowedFile & in, size_t fileSize, size_t position, bool allowDefinedLength,
                   std::vector<FragmentSpan> & fragments);

/** Fragments of a file read as one buffer, the way GDCM joins them before decoding. The reader
 *  refers to `in`, which must outlive it. */
BufferReader
JoinedFragments(WindowedFile & in, const std::vector<FragmentSpan> & parts);

} // namespace detail
} // namespace ctp

#endif
