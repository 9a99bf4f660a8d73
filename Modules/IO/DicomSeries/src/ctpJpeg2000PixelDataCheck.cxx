#include "ctpJpeg2000PixelDataCheck.h"
#include "ctpJpeg2000Codestream.h"
#include "ctpPixelDataFragments.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ctp
{
namespace detail
{
namespace
{
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
} // namespace

std::string
CheckJpeg2000PixelData(WindowedFile & in, size_t fileSize, size_t position, const DicomFileInfo & info)
{
  std::vector<FragmentSpan> fragments;
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

} // namespace detail
} // namespace ctp
