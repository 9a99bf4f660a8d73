#include "ctpJpeg2000Codestream.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

namespace ctp
{
namespace
{
constexpr uint16_t SOD = 0xff93;
constexpr uint16_t COD = 0xff52;
constexpr uint32_t JP2C = 0x6a703263; // "jp2c": the contiguous codestream box

/** The markers GDCM's walk takes as having no length field (ISO 15444-1 Table A.2 and reserved). */
bool
HasNoLength(uint16_t marker)
{
  return (marker >= 0xff30 && marker <= 0xff3f) || marker == 0xff4f /* SOC */ || marker == SOD ||
         marker == 0xffd9 /* EOC */ || marker == 0xff92 /* EPH */;
}

std::string
Hex(uint64_t value, int digits)
{
  char text[24];
  std::snprintf(text, sizeof(text), "%0*llX", digits, static_cast<unsigned long long>(value));
  return text;
}

/** GDCM's walk, with its remaining count `left` kept apart from where it really reads (`at`, modulo
 *  2^64 as its pointer arithmetic), so that a read outside [0, size) is seen before it happens. */
class Walk
{
public:
  Walk(const BufferReader & read, uint64_t size, const std::string & what)
    : m_Read(read)
    , m_Size(size)
    , m_What(what)
  {}

  /** Reads `count` bytes big endian at `at`; false (and the problem) when they are outside. */
  bool
  Read(uint64_t at, size_t count, uint64_t & value)
  {
    uint8_t bytes[8] = {};
    if (at > m_Size || m_Size - at < count || !m_Read(at, count, bytes))
    {
      m_Problem = "malformed: the " + m_What + " (" + std::to_string(m_Size) + " bytes) makes GDCM's JPEG 2000 " +
                  "marker walk read " + std::to_string(count) + " bytes at offset " +
                  (at > (uint64_t(1) << 62) ? std::string("before its start") : std::to_string(at));
      return false;
    }
    value = 0;
    for (size_t b = 0; b < count; ++b)
    {
      value = (value << 8) | bytes[b];
    }
    return true;
  }

  /** GDCM's read16/read32/read64: when its count says `count` bytes are left, reads them at `at` and
   *  moves both on. False when the count says no (the walk ends quietly, GDCM's way) or when the bytes
   *  are outside the buffer (the problem is set). */
  bool
  Take(uint64_t & at, uint64_t & left, size_t count, uint64_t & value)
  {
    if (left < count || !Read(at, count, value))
    {
      return false;
    }
    at += count;
    left -= count;
    return true;
  }

  /** parsej2k_imp over `left` bytes from `at`. */
  void
  Codestream(uint64_t at, uint64_t left)
  {
    uint64_t marker = 0;
    uint64_t length = 0;
    while (Take(at, left, 2, marker))
    {
      if (HasNoLength(static_cast<uint16_t>(marker)))
      {
        if (marker == SOD)
        {
          return;
        }
        continue;
      }
      if (!Take(at, left, 2, length) || length < 2)
      {
        return;
      }
      const uint64_t segment = length - 2;
      if (marker == COD)
      {
        // GDCM reads the 5th and the 10th byte of the segment whatever its length.
        uint64_t transform = 0;
        uint64_t wavelet = 0;
        if (!Read(at + 4, 1, transform) || transform > 1 || !Read(at + 9, 1, wavelet) || wavelet != 1)
        {
          return; // a read outside (the problem), or GDCM's walk stops here
        }
      }
      if (segment > left)
      {
        m_Problem = "malformed: in the " + m_What + " the JPEG 2000 marker segment " + Hex(marker, 4) + " at offset " +
                    std::to_string(at - 4) + " declares " + std::to_string(segment + 2) + " bytes, " +
                    std::to_string(left + 2) + " are left";
        return;
      }
      at += segment;
      left -= segment;
    }
  }

  /** parsejp2_imp: boxes, then the codestream of the jp2c box. */
  void
  Boxes()
  {
    uint64_t at = 0;
    uint64_t left = m_Size; // GDCM counts the headers it reads, not the boxes it skips
    uint64_t length32 = 0;
    uint64_t type = 0;
    for (int boxes = 0; left >= 4; ++boxes)
    {
      if (boxes > 100000)
      {
        m_Problem = "malformed: the " + m_What + " holds more than 100000 JP2 boxes before its codestream";
        return;
      }
      if (!Take(at, left, 4, length32) || !Take(at, left, 4, type))
      {
        return;
      }
      uint64_t length = length32;
      if (length32 == 1)
      {
        if (!Take(at, left, 8, length) && !m_Problem.empty())
        {
          return;
        }
        length -= 8; // as GDCM does, wrapping around when there was no extended length to read
      }
      if (type == JP2C)
      {
        if (length == 0)
        {
          length = m_Size - at + 8; // to the end of the buffer
        }
        const uint64_t codestream = length - 8;
        if (length < 8 || at > m_Size || codestream > m_Size - at)
        {
          m_Problem = "malformed: the " + m_What + "'s JP2 codestream box at offset " + std::to_string(at - 8) +
                      " declares " + std::to_string(length) + " bytes, the buffer has " +
                      std::to_string(m_Size - std::min(at, m_Size) + 8);
          return;
        }
        Codestream(at, codestream);
        return;
      }
      at += length - 8; // modulo 2^64, as GDCM's pointer; the count is not reduced
    }
  }

  const std::string &
  Problem() const
  {
    return m_Problem;
  }

private:
  const BufferReader & m_Read;
  const uint64_t       m_Size;
  const std::string &  m_What;
  std::string          m_Problem;
};
} // namespace

std::string
Jpeg2000MarkerWalkProblem(const BufferReader & read, uint64_t size, const std::string & what)
{
  // GDCM compares the first 13 bytes (its signature string with the terminating zero) before anything.
  static const uint8_t signature[13] = { 0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0x00 };
  uint8_t              head[13] = {};
  if (size < sizeof(head) || !read(0, sizeof(head), head))
  {
    return "malformed: the " + what + " is " + std::to_string(size) + " bytes, too short for JPEG 2000";
  }
  Walk walk(read, size, what);
  if (std::memcmp(head, signature, sizeof(head)) == 0)
  {
    walk.Boxes();
  }
  else
  {
    walk.Codestream(0, size);
  }
  return walk.Problem();
}

} // namespace ctp
