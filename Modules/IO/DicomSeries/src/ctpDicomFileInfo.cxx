#include "ctpDicomFileInfo.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"
#include "ctpJpeg2000Codestream.h"

#include "gdcmReader.h"
#include "gdcmStringFilter.h"
#include "gdcmTransferSyntax.h"
#include "gdcmUIDs.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <sstream>
#include <utility>
#include <vector>

namespace ctp
{
namespace
{
std::string
Trim(std::string text)
{
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '\0'))
  {
    text.pop_back();
  }
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start])))
  {
    ++start;
  }
  return text.substr(start);
}

std::vector<double>
ParseNumbers(const std::string & text)
{
  std::vector<double> values;
  std::string         item;
  std::istringstream  in(text);
  while (std::getline(in, item, '\\'))
  {
    item = Trim(item);
    if (item.empty())
    {
      continue;
    }
    try
    {
      values.push_back(std::stod(item));
    }
    catch (const std::exception &)
    {
      return {};
    }
  }
  return values;
}

std::string
Upper(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

/** Is there a DICOM preamble ("DICM" at byte 128)? Cheap check before handing the file to GDCM. */
/** The subset of std::ifstream the header walks use, served from a 64 KiB window read with pread:
 * std::filebuf makes every seekg an lseek and every read after it a read(2), about 1,200 system
 * calls for one CT slice's header; this makes it one or two. */
class WindowedFile
{
public:
  explicit WindowedFile(const std::string & path)
    : m_Descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
  {
    struct stat info
    {};
    if (m_Descriptor >= 0 && ::fstat(m_Descriptor, &info) == 0)
    {
      m_Size = static_cast<size_t>(info.st_size);
    }
    else
    {
      m_Failed = true;
    }
  }
  ~WindowedFile() { close(); }
  WindowedFile(const WindowedFile &) = delete;
  WindowedFile &
  operator=(const WindowedFile &) = delete;

  explicit operator bool() const { return m_Descriptor >= 0 && !m_Failed; }
  bool
  operator!() const
  {
    return !static_cast<bool>(*this);
  }
  void
  clear()
  {
    m_Failed = m_Descriptor < 0;
  }
  WindowedFile &
  seekg(std::streamoff offset, std::ios::seekdir direction = std::ios::beg)
  {
    const auto base = direction == std::ios::end   ? std::streamoff(m_Size)
                      : direction == std::ios::cur ? std::streamoff(m_Position)
                                                   : std::streamoff(0);
    m_Position = static_cast<size_t>(std::max<std::streamoff>(0, base + offset));
    return *this;
  }
  std::streamoff
  tellg() const
  {
    return static_cast<std::streamoff>(m_Position);
  }
  WindowedFile &
  read(char * out, std::streamsize count)
  {
    m_Count = 0;
    if (m_Descriptor < 0 || m_Failed)
    {
      m_Failed = true;
      return *this;
    }
    const size_t wanted = static_cast<size_t>(std::max<std::streamsize>(0, count));
    while (m_Count < wanted && m_Position < m_Size)
    {
      if (m_Position < m_WindowStart || m_Position >= m_WindowStart + m_WindowLength)
      {
        m_Window.resize(65536);
        const ssize_t got = ::pread(m_Descriptor, m_Window.data(), m_Window.size(), static_cast<off_t>(m_Position));
        if (got <= 0)
        {
          break;
        }
        m_WindowStart = m_Position;
        m_WindowLength = static_cast<size_t>(got);
      }
      const size_t available = m_WindowStart + m_WindowLength - m_Position;
      const size_t take = std::min(available, wanted - m_Count);
      std::memcpy(out + m_Count, m_Window.data() + (m_Position - m_WindowStart), take);
      m_Count += take;
      m_Position += take;
    }
    if (m_Count < wanted)
    {
      m_Failed = true;
    }
    return *this;
  }
  std::streamsize
  gcount() const
  {
    return static_cast<std::streamsize>(m_Count);
  }
  void
  close()
  {
    if (m_Descriptor >= 0)
    {
      ::close(m_Descriptor);
      m_Descriptor = -1;
    }
  }

private:
  int               m_Descriptor{ -1 };
  size_t            m_Size{ 0 };
  size_t            m_Position{ 0 };
  bool              m_Failed{ false };
  size_t            m_Count{ 0 };
  std::vector<char> m_Window;
  size_t            m_WindowStart{ 0 };
  size_t            m_WindowLength{ 0 };
};

bool
HasDicomPreamble(WindowedFile & in)
{
  char magic[4] = {};
  in.seekg(128);
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "DICM", 4) == 0;
}

uint16_t
Read16(WindowedFile & in, size_t at, bool bigEndian = false)
{
  uint8_t b[2] = {};
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char *>(b), 2);
  return bigEndian ? static_cast<uint16_t>((b[0] << 8) | b[1]) : static_cast<uint16_t>(b[0] | (b[1] << 8));
}

/** Where the value of a native pixel data element starts, given the position at which GDCM stopped in
 * front of (or just past the header of) (7FE0,0010). Checks the element header byte by byte; returns
 * {offset, length} or {0, 0} when the bytes do not say so unambiguously. */
std::pair<size_t, size_t>
LocateNativePixelData(WindowedFile & in, size_t position, size_t fileSize, bool explicitVR)
{
  in.clear();
  if (!in || position < 12 || position + 12 > fileSize)
  {
    return { 0, 0 };
  }
  uint8_t b[24] = {};
  in.seekg(static_cast<std::streamoff>(position - 12));
  in.read(reinterpret_cast<char *>(b), sizeof(b));
  if (!in)
  {
    return { 0, 0 };
  }
  auto isTag = [&](size_t at) { return b[at] == 0xe0 && b[at + 1] == 0x7f && b[at + 2] == 0x10 && b[at + 3] == 0x00; };
  auto u32 = [&](size_t at) {
    return size_t(b[at]) | (size_t(b[at + 1]) << 8) | (size_t(b[at + 2]) << 16) | (size_t(b[at + 3]) << 24);
  };
  auto explicitOW = [&](size_t at) {
    return (b[at + 4] == 'O' && (b[at + 5] == 'W' || b[at + 5] == 'B')) && b[at + 6] == 0 && b[at + 7] == 0;
  };
  // The element header at the position (GDCM stopped in front of it) or ending at it (past it).
  for (const size_t at : { size_t(12), size_t(0), size_t(4) })
  {
    if (!isTag(at))
    {
      continue;
    }
    const size_t base = position - 12 + at;
    if (explicitVR && at != 4 && explicitOW(at))
    {
      return { base + 12, u32(at + 8) };
    }
    if (!explicitVR && at != 0)
    {
      return { base + 8, u32(at + 4) }; // implicit VR: tag, 4-byte length
    }
  }
  return { 0, 0 };
}

uint32_t
Read32(WindowedFile & in, size_t at, bool bigEndian = false)
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

constexpr uint32_t UndefinedLength = 0xffffffffu;

/** Tag, VR (explicit data sets), declared value length and header size of an element. */
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
ReadElementHeader(WindowedFile & in, size_t position, bool explicitVR, bool bigEndian = false)
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

/** \brief Walks every element header of a file, sequences and items included, and finds the first
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

  /** Why the file is malformed, or "" (also when the walk stopped early). */
  std::string
  Check(bool preamble)
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

  /** Why the pixel data (7FE0,0010) of the data set is malformed when it declares more than the file
   *  holds, or "". */
  const std::string &
  PixelDataCutShort() const
  {
    return m_PixelDataCutShort;
  }

private:
  std::string
  TooLong(const ElementHeader & h, size_t position, const char * what = "element")
  {
    char tag[16];
    std::snprintf(tag, sizeof(tag), "(%04X,%04X)", h.Group, h.Element);
    const size_t left = m_FileSize - std::min(m_FileSize, position + h.Size);
    return std::string("malformed: ") + what + " " + tag + " declares " + std::to_string(h.Length) +
           " bytes, the file has " + std::to_string(left) + " left";
  }

  /** Elements from `position` up to `end`, or to an item delimiter when `inItem` (undefined length).
   *  False when the walk is over: a problem found, or nothing more to check. */
  bool
  Elements(size_t & position, size_t end, int depth, bool inItem)
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

  /** Items of a sequence (or fragments of encapsulated pixel data) from `position` up to `end`, or to
   *  the sequence delimiter. */
  bool
  Items(size_t & position, size_t end, int depth, bool fragments)
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

  WindowedFile & m_In;
  size_t         m_FileSize;
  bool           m_ExplicitVR{ true };
  bool           m_BigEndian{ false };
  size_t         m_Count{ 0 };
  std::string    m_PixelDataCutShort;
  std::string    m_Problem;
};

/** \brief Why the first JPEG 2000 codestream contradicts the header, or "". DICOM requires its image
 * size and components to be the header's Columns, Rows and SamplesPerPixel. Fuzzing found a
 * codestream declaring a width of 4278190592 in a 512 x 512 slice, on which OpenJPEG (Debian's 2.5.0,
 * through GDCM) frees an invalid pointer: ctprep inspect --png ended with a segmentation fault. The SIZ
 * marker segment is read (big endian) and compared before any decoder sees the stream; a JP2 file
 * wrapper or a stream that does not start with SOC and SIZ is left to the decoder. */
std::string
CheckJpeg2000Size(const BufferReader & read, uint64_t length, const DicomFileInfo & info)
{
  uint8_t b[42] = {};
  if (length < sizeof(b) || !read(0, sizeof(b), b) || b[0] != 0xff || b[1] != 0x4f || b[2] != 0xff || b[3] != 0x51)
  {
    return {};
  }
  auto u16 = [&b](size_t at) { return static_cast<uint32_t>((b[at] << 8) | b[at + 1]); };
  auto u32 = [&b](size_t at) {
    return (uint32_t(b[at]) << 24) | (uint32_t(b[at + 1]) << 16) | (uint32_t(b[at + 2]) << 8) | b[at + 3];
  };
  const uint32_t width = u32(8);
  const uint32_t height = u32(12);
  const uint32_t x0 = u32(16);
  const uint32_t y0 = u32(20);
  const uint32_t tileWidth = u32(24);
  const uint32_t tileHeight = u32(28);
  const uint32_t tileX0 = u32(32);
  const uint32_t tileY0 = u32(36);
  const uint32_t components = u16(40);
  const bool     consistent = x0 < width && y0 < height && tileWidth > 0 && tileHeight > 0 && tileX0 <= x0 &&
                          tileY0 <= y0 && u16(4) == 38 + 3 * components;
  if (consistent && width - x0 == info.Columns && height - y0 == info.Rows && components == info.SamplesPerPixel)
  {
    return {};
  }
  return "malformed: the JPEG 2000 codestream is " + std::to_string(width - std::min(x0, width)) + " x " +
         std::to_string(height - std::min(y0, height)) + " with " + std::to_string(components) +
         " component(s) (tiles " + std::to_string(tileWidth) + " x " + std::to_string(tileHeight) +
         "), the header says " + std::to_string(info.Columns) + " x " + std::to_string(info.Rows) + " with " +
         std::to_string(info.SamplesPerPixel);
}

/** Fragments of a file read as one buffer, the way GDCM joins them before decoding. */
BufferReader
JoinedFragments(WindowedFile & in, const std::vector<std::pair<size_t, size_t>> & parts)
{
  std::vector<uint64_t> starts{ 0 }; // where each part starts in the joined buffer
  for (const auto & part : parts)
  {
    starts.push_back(starts.back() + part.second);
  }
  return [&in, parts, starts](uint64_t offset, size_t count, uint8_t * out) {
    // The part holding `offset` (the last of equal starts: empty parts hold nothing).
    size_t p = static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), offset) - starts.begin()) - 1;
    for (; count > 0 && p < parts.size(); ++p, offset = starts[p])
    {
      const uint64_t within = offset - starts[p];
      const size_t   take = static_cast<size_t>(std::min<uint64_t>(count, parts[p].second - within));
      in.clear();
      in.seekg(static_cast<std::streamoff>(parts[p].first + within));
      in.read(reinterpret_cast<char *>(out), static_cast<std::streamsize>(take));
      if (static_cast<size_t>(in.gcount()) != take)
      {
        return false;
      }
      out += take;
      count -= take;
    }
    return count == 0;
  };
}

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
                   std::vector<std::pair<size_t, size_t>> & fragments)
{
  // GDCM stops in front of the element or just past its header (explicit VR: tag, VR, 2 reserved
  // bytes, 4-byte length), as LocateNativePixelData knows.
  auto isPixelDataTag = [&](size_t at) {
    return at + 12 <= fileSize && Read16(in, at) == 0x7fe0 && Read16(in, at + 2) == 0x0010;
  };
  size_t value = 0;
  if (isPixelDataTag(position))
  {
    value = position + 12;
  }
  else if (position >= 12 && isPixelDataTag(position - 12))
  {
    value = position;
  }
  else
  {
    return {}; // not where GDCM will look either: nothing to check
  }
  const uint32_t declared = Read32(in, value - 4);
  const bool     encapsulated = declared == UndefinedLength;
  if (!encapsulated && (!allowDefinedLength || declared > fileSize - value))
  {
    return {}; // not fragments; a length past the file is the declared-length check's
  }
  const size_t end = encapsulated ? fileSize : value + declared;
  size_t       item = value;
  bool         offsetTable = true;
  while (item + 8 <= end)
  {
    const uint32_t group = Read16(in, item);
    const uint32_t element = Read16(in, item + 2);
    const uint32_t length = Read32(in, item + 4);
    if (group == 0xfffe && element == 0xe0dd)
    {
      return encapsulated ? std::string() : "malformed: a sequence delimiter inside pixel data of defined length";
    }
    if (group != 0xfffe || element != 0xe000)
    {
      char tag[16];
      std::snprintf(tag, sizeof(tag), "(%04X,%04X)", group, element);
      return "malformed: " + std::string(tag) + " at offset " + std::to_string(item) +
             " where a fragment of the pixel data should be";
    }
    if (length > end - item - 8)
    {
      return "malformed: a fragment of the pixel data at offset " + std::to_string(item) + " declares " +
             std::to_string(length) + " bytes, " + std::to_string(end - item - 8) + " are left";
    }
    if (!offsetTable)
    {
      if (fragments.size() >= 1000000)
      {
        return "malformed: more than a million fragments of pixel data";
      }
      fragments.emplace_back(item + 8, length);
    }
    offsetTable = false;
    item += 8 + size_t(length);
  }
  if (item != end)
  {
    return "malformed: the pixel data ends inside an item header";
  }
  return {}; // items up to the end of the value (or of the file: no delimiter)
}

/** \brief Why the JPEG 2000 pixel data of a file would take GDCM or OpenJPEG out of bounds, or "".
 * Its fragments as GDCM hands them to its JPEG 2000 codec (the first alone to read the image
 * information, all of them joined to decode one frame, each alone to decode several frames) are
 * walked as GDCM walks them (ctp::Jpeg2000MarkerWalkProblem), and the first codestream's size must be
 * the header's. */
std::string
CheckJpeg2000PixelData(WindowedFile & in, size_t fileSize, size_t position, const DicomFileInfo & info)
{
  std::vector<std::pair<size_t, size_t>> fragments;
  if (std::string problem = PixelDataFragments(in, fileSize, position, true, fragments); !problem.empty())
  {
    return problem;
  }
  if (fragments.empty())
  {
    return "malformed: the JPEG 2000 pixel data holds no fragment";
  }
  const BufferReader first = JoinedFragments(in, { fragments.front() });
  std::string problem = Jpeg2000MarkerWalkProblem(first, fragments.front().second, "first fragment of the pixel data");
  if (problem.empty() && fragments.size() > 1)
  {
    uint64_t total = 0;
    for (const auto & fragment : fragments)
    {
      total += fragment.second;
    }
    problem = Jpeg2000MarkerWalkProblem(JoinedFragments(in, fragments), total, "pixel data fragments joined");
    for (size_t f = 1; problem.empty() && info.NumberOfFrames > 1 && f < fragments.size(); ++f)
    {
      if (fragments[f].second > 0) // GDCM refuses an empty one
      {
        problem = Jpeg2000MarkerWalkProblem(JoinedFragments(in, { fragments[f] }),
                                            fragments[f].second,
                                            "fragment " + std::to_string(f + 1) + " of the pixel data");
      }
    }
  }
  return problem.empty() ? CheckJpeg2000Size(first, fragments.front().second, info) : problem;
}

/** The header fields of one file (`stream` for GDCM, `in` for CTPrep's own reads of the same file);
 *  std::nullopt when it is not DICOM. GDCM may abort() inside. */
std::optional<DicomFileInfo>
ParseHeader(const std::string & path, std::istream & stream, WindowedFile & in, size_t fileSize, bool preamble,
            size_t & pixelDataPosition)
{
  gdcm::Reader reader;
  reader.SetStream(stream);
  const gdcm::Tag pixelDataTag(0x7fe0, 0x0010);
  // Stop in front of the pixel data without loading it: the header is all a scan needs.
  if (!reader.ReadUpToTag(pixelDataTag, { pixelDataTag }))
  {
    return std::nullopt;
  }
  const gdcm::File &    file = reader.GetFile();
  const gdcm::DataSet & ds = file.GetDataSet();
  gdcm::StringFilter    sf;
  sf.SetFile(file);
  auto get = [&](uint16_t group, uint16_t element) -> std::string {
    const gdcm::Tag tag(group, element);
    return ds.FindDataElement(tag) ? Trim(sf.ToString(tag)) : std::string();
  };
  auto getHeader = [&](uint16_t group, uint16_t element) -> std::string {
    const gdcm::Tag tag(group, element);
    const auto &    header = file.GetHeader();
    if (!header.FindDataElement(tag))
    {
      return {};
    }
    const auto & de = header.GetDataElement(tag);
    const auto * bv = de.GetByteValue();
    return bv ? Trim(std::string(bv->GetPointer(), bv->GetLength())) : std::string();
  };

  DicomFileInfo info;
  info.Path = path;
  info.SOPClassUID = get(0x0008, 0x0016);
  if (info.SOPClassUID.empty())
  {
    info.SOPClassUID = getHeader(0x0002, 0x0002);
  }
  info.SOPInstanceUID = get(0x0008, 0x0018);
  info.SeriesInstanceUID = get(0x0020, 0x000e);
  if (!preamble && info.SOPClassUID.empty() && info.SeriesInstanceUID.empty())
  {
    return std::nullopt; // GDCM parses almost anything without a preamble; this is not DICOM
  }
  info.Modality = get(0x0008, 0x0060);
  info.StudyInstanceUID = get(0x0020, 0x000d);
  info.SeriesNumber = get(0x0020, 0x0011);
  info.SeriesDescription = get(0x0008, 0x103e);
  info.ImageType = get(0x0008, 0x0008);
  const gdcm::TransferSyntax ts = file.GetHeader().GetDataSetTransferSyntax();
  info.TransferSyntaxUID = gdcm::TransferSyntax::GetTSString(ts) ? Trim(gdcm::TransferSyntax::GetTSString(ts)) : "";
  gdcm::UIDs uid;
  info.TransferSyntaxName = uid.SetFromUID(info.TransferSyntaxUID.c_str()) && uid.GetName() ? uid.GetName() : "";
  if (info.TransferSyntaxName.empty())
  {
    info.TransferSyntaxName = info.TransferSyntaxUID;
  }
  info.IsCompressed = ts.IsEncapsulated();

  auto number = [&](uint16_t group, uint16_t element) -> std::optional<double> {
    const auto values = ParseNumbers(get(group, element));
    return values.empty() ? std::nullopt : std::optional<double>(values.front());
  };
  info.Rows = static_cast<unsigned int>(number(0x0028, 0x0010).value_or(0));
  info.Columns = static_cast<unsigned int>(number(0x0028, 0x0011).value_or(0));
  info.NumberOfFrames = std::max(1u, static_cast<unsigned int>(number(0x0028, 0x0008).value_or(1)));
  info.BitsAllocated = static_cast<unsigned int>(number(0x0028, 0x0100).value_or(0));
  info.BitsStored = static_cast<unsigned int>(number(0x0028, 0x0101).value_or(info.BitsAllocated));
  info.HighBit = static_cast<unsigned int>(number(0x0028, 0x0102).value_or(info.BitsStored ? info.BitsStored - 1 : 0));
  info.PhotometricInterpretation = get(0x0028, 0x0004);
  info.SamplesPerPixel = static_cast<unsigned int>(number(0x0028, 0x0002).value_or(1));
  info.PixelRepresentation = static_cast<int>(number(0x0028, 0x0103).value_or(0));
  info.InstanceNumber = static_cast<int>(number(0x0020, 0x0013).value_or(0));
  info.SliceThickness = number(0x0018, 0x0050);
  info.GantryTilt = number(0x0018, 0x1120);
  info.RescaleSlope = number(0x0028, 0x1053).value_or(1.0);
  info.RescaleIntercept = number(0x0028, 0x1052).value_or(0.0);
  if (info.RescaleSlope == 0.0)
  {
    info.RescaleSlope = 1.0;
  }
  info.PixelPaddingValue = number(0x0028, 0x0120);
  if (info.PixelPaddingValue && info.PixelRepresentation == 1 && info.BitsAllocated == 16 &&
      *info.PixelPaddingValue > 32767)
  {
    // US-encoded padding of signed data, as some writers do: reinterpret as int16.
    info.PixelPaddingValue = static_cast<double>(static_cast<int16_t>(static_cast<uint16_t>(*info.PixelPaddingValue)));
  }

  if (const auto spacing = ParseNumbers(get(0x0028, 0x0030)); spacing.size() == 2 && spacing[0] > 0 && spacing[1] > 0)
  {
    info.HasPixelSpacing = true;
    info.PixelSpacing = { { spacing[0], spacing[1] } };
  }
  if (const auto position = ParseNumbers(get(0x0020, 0x0032)); position.size() == 3)
  {
    info.HasPosition = true;
    info.ImagePositionPatient = { { position[0], position[1], position[2] } };
  }
  if (const auto orientation = ParseNumbers(get(0x0020, 0x0037)); orientation.size() == 6)
  {
    info.HasOrientation = true;
    std::copy(orientation.begin(), orientation.end(), info.ImageOrientationPatient.begin());
  }

  // The stream stops in front of the pixel data element: what is left of the file must hold it.
  const size_t position = reader.GetStreamCurrentPosition();
  pixelDataPosition = position;
  info.HasPixelData = position != static_cast<size_t>(-1) && position < fileSize && info.Rows > 0 && info.Columns > 0;
  if (info.HasPixelData && !info.IsCompressed && info.BitsAllocated > 0)
  {
    const size_t expected = info.PixelDataBytes();
    // The position is past the element's tag and length: the value starts here.
    if (fileSize < position + expected)
    {
      info.Truncated = true;
      const size_t present = fileSize - position;
      info.Problem = "truncated pixel data (" + std::to_string(present) + " of " + std::to_string(expected) + " bytes)";
    }
    else if (info.TransferSyntaxUID == "1.2.840.10008.1.2" || info.TransferSyntaxUID == "1.2.840.10008.1.2.1")
    {
      const auto [offset, length] =
        LocateNativePixelData(in, position, fileSize, info.TransferSyntaxUID == "1.2.840.10008.1.2.1");
      if (offset > 0 && length >= expected && offset + expected <= fileSize)
      {
        info.PixelDataOffset = offset;
        info.PixelDataLength = length;
      }
    }
  }
  return info;
}
} // namespace

bool
DicomFileInfo::IsLocalizer() const
{
  return Upper(ImageType).find("LOCALIZER") != std::string::npos;
}

bool
DicomFileInfo::IsSecondaryCapture() const
{
  return SOPClassUID.rfind("1.2.840.10008.5.1.4.1.1.7", 0) == 0 ||
         Upper(ImageType).find("SECONDARY") != std::string::npos;
}

std::optional<DicomFileInfo>
ReadDicomFileInfo(const std::string & path)
{
  WindowedFile probe(path);
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
  const bool           preamble = HasDicomPreamble(probe);
  DeclaredLengthWalker walker(probe, fileSize);
  const std::string    malformed = walker.Check(preamble);
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
    result = ParseHeader(path, stream, probe, fileSize, preamble, pixelDataPosition);
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
    std::vector<std::pair<size_t, size_t>> fragments;
    const std::string problem = isJpeg2000 ? CheckJpeg2000PixelData(probe, fileSize, pixelDataPosition, *result)
                                           : PixelDataFragments(probe, fileSize, pixelDataPosition, false, fragments);
    if (!problem.empty())
    {
      throw Error(ErrorKind::InvalidInput, path, problem);
    }
  }
  return result;
}

} // namespace ctp
