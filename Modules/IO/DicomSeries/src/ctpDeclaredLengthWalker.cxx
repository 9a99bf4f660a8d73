#include "ctpDeclaredLengthWalker.h"

#include <algorithm>
#include <cstdio>

namespace ctp
{
namespace detail
{
std::string
DeclaredLengthWalker::Check(bool preamble)
{
  size_t position = preamble ? 132 : 0;
  // File meta information: explicit VR little endian, group 0002.
  std::string transferSyntax;
  while (position + 8 <= m_FileSize && Read16(m_In, position) == 0x0002)
  {
    const ElementHeader h = ReadElementHeader(m_In, position, true);
    if (h.Length == UndefinedLength || position + h.Size + h.Length > m_FileSize)
    {
      return TooLong(h, position);
    }
    if (h.Element == 0x0010 && h.Length < 128)
    {
      transferSyntax.assign(h.Length, '\0');
      m_In.clear();
      m_In.seekg(static_cast<std::streamoff>(position + h.Size));
      m_In.read(transferSyntax.data(), h.Length);
      while (!transferSyntax.empty() && (transferSyntax.back() == '\0' || transferSyntax.back() == ' '))
      {
        transferSyntax.pop_back();
      }
    }
    position += h.Size + h.Length;
  }
  if (transferSyntax == "1.2.840.10008.1.2.1.99")
  {
    return {}; // deflated data set: GDCM's job
  }
  m_BigEndian = transferSyntax == "1.2.840.10008.1.2.2";
  if (transferSyntax == "1.2.840.10008.1.2")
  {
    m_ExplicitVR = false;
  }
  else if (transferSyntax.empty() && position + 8 <= m_FileSize)
  {
    char vr[2] = {};
    m_In.clear();
    m_In.seekg(static_cast<std::streamoff>(position + 4));
    m_In.read(vr, 2);
    m_ExplicitVR = IsVR(vr[0], vr[1]);
  }
  Elements(position, m_FileSize, 0, false);
  return m_Problem;
}

std::string
DeclaredLengthWalker::TooLong(const ElementHeader & h, size_t position, const char * what)
{
  char tag[16];
  std::snprintf(tag, sizeof(tag), "(%04X,%04X)", h.Group, h.Element);
  const size_t left = m_FileSize - std::min(m_FileSize, position + h.Size);
  return std::string("malformed: ") + what + " " + tag + " declares " + std::to_string(h.Length) +
         " bytes, the file has " + std::to_string(left) + " left";
}

bool
DeclaredLengthWalker::Elements(size_t & position, size_t end, int depth, bool inItem)
{
  while (position + 8 <= end)
  {
    if (++m_Count > 1000000)
    {
      return false;
    }
    const ElementHeader h = ReadElementHeader(m_In, position, m_ExplicitVR, m_BigEndian);
    if (h.Group == 0xfffe)
    {
      if (inItem && h.Element == 0xe00d)
      {
        position += 8;
        return true;
      }
      return false; // an item or delimiter out of place: GDCM refuses the file
    }
    const bool pixelData = depth == 0 && h.Group == 0x7fe0 && h.Element == 0x0010;
    if (h.Length == UndefinedLength)
    {
      // A sequence, or encapsulated pixel data: items up to the sequence delimiter.
      position += h.Size;
      if (!Items(position, m_FileSize, depth + 1, pixelData))
      {
        return false;
      }
      continue;
    }
    if (position + h.Size + h.Length > m_FileSize)
    {
      if (pixelData)
      {
        m_PixelDataCutShort = TooLong(h, position);
        return false;
      }
      m_Problem = TooLong(h, position);
      return false;
    }
    size_t       value = position + h.Size;
    const size_t valueEnd = value + h.Length;
    // A sequence of defined length: SQ, or (implicit VR) a value that starts with an item.
    if (h.VR == "SQ" || (h.VR.empty() && h.Length >= 8 && Read16(m_In, value, m_BigEndian) == 0xfffe &&
                         Read16(m_In, value + 2, m_BigEndian) == 0xe000))
    {
      if (!Items(value, valueEnd, depth + 1, false) && !m_Problem.empty())
      {
        return false;
      }
    }
    position = valueEnd;
  }
  return true;
}

bool
DeclaredLengthWalker::Items(size_t & position, size_t end, int depth, bool fragments)
{
  if (depth > 32)
  {
    return false;
  }
  while (position + 8 <= end)
  {
    if (++m_Count > 1000000)
    {
      return false;
    }
    ElementHeader item;
    item.Group = Read16(m_In, position, m_BigEndian);
    item.Element = Read16(m_In, position + 2, m_BigEndian);
    item.Length = Read32(m_In, position + 4, m_BigEndian);
    if (item.Group != 0xfffe)
    {
      return false; // not an item: GDCM refuses the sequence
    }
    if (item.Element == 0xe0dd)
    {
      position += 8;
      return true;
    }
    if (item.Element != 0xe000)
    {
      return false;
    }
    if (item.Length == UndefinedLength)
    {
      position += 8;
      if (fragments || !Elements(position, m_FileSize, depth, true))
      {
        return false; // a fragment has a length; a broken item ends the walk
      }
      continue;
    }
    if (position + 8 + item.Length > m_FileSize)
    {
      m_Problem = TooLong(item, position, fragments ? "item of the pixel data" : "item");
      return false;
    }
    size_t       value = position + 8;
    const size_t valueEnd = value + item.Length;
    if (!fragments && !Elements(value, valueEnd, depth, false) && !m_Problem.empty())
    {
      return false;
    }
    position = valueEnd;
  }
  return true;
}

} // namespace detail
} // namespace ctp
