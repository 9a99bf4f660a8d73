#ifndef ctpDeclaredLengthWalker_h
#define ctpDeclaredLengthWalker_h

#include "ctpDicomElementHeader.h"
#include "ctpWindowedFile.h"

#include <cstddef>
#include <string>

namespace ctp
{
namespace detail
{
/** \class DeclaredLengthWalker
 * \brief Walks every element header of a file, sequences and items included, and finds the first
 * declared length that runs past the end of the file.
 *
 * GDCM reserves (and zero-fills) an element's declared length before it reads the value, so such a
 * length in a few bytes of file takes gigabytes. Fuzzing found, in files of 3 to 60 KB: an element of
 * the header declaring 2 GB, an element after the pixel data declaring 4 GB (reserved when a slice
 * is decoded), an element inside a sequence declaring 1.8 GB; made by hand from valid files, a pixel
 * data length of 4 GB with the image present (reserved, then decoded) and a JPEG 2000 fragment of 4 GB
 * (12 GB of memory); a big endian file whose text GDCM read as an element of 1.8 GB. Explicit or
 * implicit VR (sniffed from the first element when there is no file meta information), little or big
 * endian; deflated data sets are left to GDCM (they cannot be walked without inflating them). A
 * pixel data element cut short is not refused here: the caller tells a truncated image from a
 * malformed length. Limits (depth 32, a million elements) only stop the walk, never refuse. */
class DeclaredLengthWalker
{
public:
  DeclaredLengthWalker(WindowedFile & in, size_t fileSize)
    : m_In(in)
    , m_FileSize(fileSize)
  {}

  /** Why the file is malformed, or "" (also when the walk stopped early). `preamble`: the file has
   *  the 128-byte preamble and "DICM", so its elements start at byte 132. */
  std::string
  Check(bool preamble);

  /** Why the pixel data (7FE0,0010) of the data set is malformed when it declares more than the file
   *  holds, or "". */
  const std::string &
  PixelDataCutShort() const
  {
    return m_PixelDataCutShort;
  }

private:
  std::string
  TooLong(const ElementHeader & h, size_t position, const char * what = "element");

  /** Elements from `position` up to `end`, or to an item delimiter when `inItem` (undefined length).
   *  False when the walk is over: a problem found, or nothing more to check. */
  bool
  Elements(size_t & position, size_t end, int depth, bool inItem);

  /** Items of a sequence (or fragments of encapsulated pixel data) from `position` up to `end`, or to
   *  the sequence delimiter. */
  bool
  Items(size_t & position, size_t end, int depth, bool fragments);

  WindowedFile & m_In;
  size_t         m_FileSize;
  bool           m_ExplicitVR{ true };
  bool           m_BigEndian{ false };
  size_t         m_Count{ 0 };
  std::string    m_PixelDataCutShort;
  std::string    m_Problem;
};

} // namespace detail
} // namespace ctp

#endif
