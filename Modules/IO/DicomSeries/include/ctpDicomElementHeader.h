#ifndef ctpDicomElementHeader_h
#define ctpDicomElementHeader_h

#include "ctpWindowedFile.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace ctp
{
namespace detail
{
/** The value length DICOM uses for "up to the delimiter" (sequences, items, encapsulated pixel data). */
constexpr uint32_t UndefinedLength = 0xffffffffu;

/** The 16-bit value at byte `at` of the file (0 where the file ends before it). */
uint16_t
Read16(WindowedFile & in, size_t at, bool bigEndian = false);

/** The 32-bit value at byte `at` of the file (0 where the file ends before it). */
uint32_t
Read32(WindowedFile & in, size_t at, bool bigEndian = false);

/** Could these two bytes be a value representation (two upper-case letters)? */
bool
IsVR(char a, char b);

/** \brief Tag, VR (explicit data sets), declared value length and header size of an element. */
struct ElementHeader
{
  uint16_t    Group{ 0 };
  uint16_t    Element{ 0 };
  std::string VR;
  uint32_t    Length{ 0 };
  size_t      Size{ 8 };
};

/** The header at `position`. In an explicit VR data set an element without a VR is read as implicit,
 *  as GDCM does for the implicit elements some writers put into explicit files. */
ElementHeader
ReadElementHeader(WindowedFile & in, size_t position, bool explicitVR, bool bigEndian = false);

} // namespace detail
} // namespace ctp

#endif
