#include "ctpSlicePngWriter.h"
#include "ctpWriteImageAtomically.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include "itkPNGImageIO.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ctp
{
namespace
{
using PngImageType = itk::Image<uint8_t, 2>;

template <typename TImage>
void
WriteSlicePngImpl(const TImage * volume, long slice, const std::string & path, const DisplayWindow & window)
{
  const auto region = volume->GetLargestPossibleRegion();
  if (slice < region.GetIndex(2) || slice >= region.GetIndex(2) + static_cast<long>(region.GetSize(2)))
  {
    throw Error(ErrorKind::Usage, path, "slice " + std::to_string(slice) + " is outside the volume");
  }
  auto                   png = PngImageType::New();
  PngImageType::SizeType size{ { region.GetSize(0), region.GetSize(1) } };
  png->SetRegions(size);
  png->Allocate();
  const size_t sliceVoxels = size[0] * size[1];
  const auto * in = volume->GetBufferPointer() + (slice - region.GetIndex(2)) * sliceVoxels;
  auto *       out = png->GetBufferPointer();
  const double low = window.Center - 0.5 * window.Width;
  for (size_t n = 0; n < sliceVoxels; ++n)
  {
    out[n] = static_cast<uint8_t>(std::clamp(std::lround((double(in[n]) - low) / window.Width * 255.0), 0L, 255L));
  }
  WriteImageAtomically(png.GetPointer(), path, "PNG", itk::PNGImageIO::New().GetPointer());
}
} // namespace

DisplayWindow
ParseDisplayWindow(const std::string & text)
{
  DisplayWindow      window;
  char               comma = 0;
  std::istringstream in(text);
  if (!(in >> window.Center >> comma >> window.Width) || comma != ',' || !(window.Width > 0) || !in.eof())
  {
    throw Error(ErrorKind::Usage,
                SpellParameter("window") + ": '" + text +
                  "' is not CENTER,WIDTH with a positive width (e.g. -600,1500)");
  }
  return window;
}

void
WriteSlicePng(const HUImageType * volume, long slice, const std::string & path, const DisplayWindow & window)
{
  WriteSlicePngImpl(volume, slice, path, window);
}

void
WriteSlicePng(const FloatImageType * volume, long slice, const std::string & path, const DisplayWindow & window)
{
  WriteSlicePngImpl(volume, slice, path, window);
}

} // namespace ctp
