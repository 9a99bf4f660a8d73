#include "ctpPixelDataFragments.h"
#include "ctpDicomElementHeader.h"

#include <algorithm>
#include <cstdio>

namespace ctp
{
namespace detail
{
std::string
PixelDataFragments(WindowedFile & in, size_t fileSize, size_t position, bool allowDefinedLength,
                   std::vector<FragmentSpan> & fragments)
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

BufferReader
JoinedFragments(WindowedFile & in, const std::vector<FragmentSpan> & parts)
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

} // namespace detail
} // namespace ctp
