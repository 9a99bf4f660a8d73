#include "ctpDicomElementHeader.h"

namespace ctp
{
namespace detail
{
uint16_t
Read16(WindowedFile & in, size_t at, bool bigEndian)
{
  uint8_t b[2] = {};
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char *>(b), 2);
  return bigEndian ? static_cast<uint16_t>((b[0] << 8) | b[1]) : static_cast<uint16_t>(b[0] | (b[1] << 8));
}

uint32_t
Read32(WindowedFile & in, size_t at, bool bigEndian)
{
  uint8_t b[4] = {};
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char *>(b), 4);
  return bigEndian ? (uint32_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3]
                   : static_cast<uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24));
}

bool
IsVR(char a, char b)
{
  return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z';
}

ElementHeader
ReadElementHeader(WindowedFile & in, size_t position, bool explicitVR, bool bigEndian)
{
  ElementHeader h;
  h.Group = Read16(in, position, bigEndian);
  h.Element = Read16(in, position + 2, bigEndian);
  char vr[2] = {};
  if (explicitVR && h.Group != 0xfffe) // items and delimiters have no VR in any transfer syntax
  {
    in.clear();
    in.seekg(static_cast<std::streamoff>(position + 4));
    in.read(vr, 2);
  }
  if (!IsVR(vr[0], vr[1]))
  {
    h.Length = Read32(in, position + 4, bigEndian);
    return h;
  }
  h.VR.assign(vr, 2);
  const std::string & v = h.VR;
  if (v == "OB" || v == "OW" || v == "OF" || v == "SQ" || v == "UT" || v == "UN" || v == "OD" || v == "OL" ||
      v == "OV" || v == "UC" || v == "UR" || v == "SV" || v == "UV")
  {
    h.Length = Read32(in, position + 8, bigEndian);
    h.Size = 12;
  }
  else
  {
    h.Length = Read16(in, position + 6, bigEndian);
  }
  return h;
}

} // namespace detail
} // namespace ctp
