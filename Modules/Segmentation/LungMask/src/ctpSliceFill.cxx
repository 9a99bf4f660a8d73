#include "ctpSliceFill.h"
#include "ctpBinaryMorphology.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ctp
{
size_t
FillLabelsInSlice(MaskPixelType * slice, size_t nx, size_t ny, double spacingX, double spacingY,
                  std::initializer_list<MaskPixelType> inside, MaskPixelType newLabel, double radius)
{
  bool in[256] = {};
  for (const MaskPixelType v : inside)
  {
    in[v] = v != 0;
  }
  const auto isInside = [&](MaskPixelType v) { return in[v]; };
  size_t     minI = nx, maxI = 0, minJ = ny, maxJ = 0;
  for (size_t j = 0; j < ny; ++j)
  {
    const MaskPixelType * row = slice + j * nx;
    for (size_t i = 0; i < nx; ++i)
    {
      if (isInside(row[i]))
      {
        minI = std::min(minI, i);
        maxI = std::max(maxI, i);
        minJ = std::min(minJ, j);
        maxJ = std::max(maxJ, j);
      }
    }
  }
  if (minI > maxI)
  {
    return 0;
  }
  const size_t         marginI = static_cast<size_t>(std::ceil(radius / spacingX)) + 2;
  const size_t         marginJ = static_cast<size_t>(std::ceil(radius / spacingY)) + 2;
  const size_t         i0 = minI > marginI ? minI - marginI : 0;
  const size_t         j0 = minJ > marginJ ? minJ - marginJ : 0;
  const size_t         i1 = std::min(nx - 1, maxI + marginI);
  const size_t         j1 = std::min(ny - 1, maxJ + marginJ);
  const size_t         w = i1 - i0 + 1;
  const size_t         h = j1 - j0 + 1;
  std::vector<uint8_t> sub(w * h);
  for (size_t j = 0; j < h; ++j)
  {
    for (size_t i = 0; i < w; ++i)
    {
      const MaskPixelType v = slice[(j0 + j) * nx + i0 + i];
      sub[j * w + i] = isInside(v);
    }
  }
  BinaryMorphology({ w, h }, { spacingX, spacingY }).Close(sub.data(), radius);
  FillHoles2D(sub.data(), w, h);
  size_t added = 0;
  for (size_t j = 0; j < h; ++j)
  {
    for (size_t i = 0; i < w; ++i)
    {
      MaskPixelType & v = slice[(j0 + j) * nx + i0 + i];
      if (sub[j * w + i] && v == 0)
      {
        v = newLabel;
        ++added;
      }
    }
  }
  return added;
}

size_t
FillAroundLesionInSlice(MaskPixelType * slice, size_t nx, size_t i0, size_t i1, size_t j0, size_t j1, double spacingX,
                        double spacingY, MaskPixelType lung, MaskPixelType lesion, double radius)
{
  const size_t         w = i1 - i0 + 1;
  const size_t         h = j1 - j0 + 1;
  std::vector<uint8_t> region(w * h);
  std::vector<uint8_t> nearLesion(w * h);
  bool                 any = false;
  for (size_t j = 0; j < h; ++j)
  {
    for (size_t i = 0; i < w; ++i)
    {
      const MaskPixelType v = slice[(j0 + j) * nx + i0 + i];
      region[j * w + i] = v == lung || v == lesion;
      nearLesion[j * w + i] = v == lesion;
      any = any || v == lesion;
    }
  }
  if (!any)
  {
    return 0;
  }
  BinaryMorphology morphology({ w, h }, { spacingX, spacingY });
  morphology.Close(region.data(), radius);
  FillHoles2D(region.data(), w, h);
  morphology.Dilate(nearLesion.data(), radius);
  size_t added = 0;
  for (size_t j = 0; j < h; ++j)
  {
    for (size_t i = 0; i < w; ++i)
    {
      MaskPixelType & v = slice[(j0 + j) * nx + i0 + i];
      if (region[j * w + i] && nearLesion[j * w + i] && v == 0)
      {
        v = lesion;
        ++added;
      }
    }
  }
  return added;
}

} // namespace ctp
