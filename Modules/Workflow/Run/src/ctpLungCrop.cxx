#include "ctpLungCrop.h"
#include "ctpBinaryMorphology.h"
#include "ctpError.h"
#include "ctpLungMaskImageFilter.h"

#include <algorithm>
#include <cmath>

namespace ctp
{
MaskImageType::RegionType
LungBoundingRegion(const MaskImageType * mask, double marginMm, const std::string & what)
{
  const auto            size = mask->GetLargestPossibleRegion().GetSize();
  const MaskPixelType * m = mask->GetBufferPointer();
  size_t                low[3] = { size[0], size[1], size[2] };
  size_t                high[3] = { 0, 0, 0 };
  for (size_t k = 0, v = 0; k < size[2]; ++k)
  {
    for (size_t j = 0; j < size[1]; ++j)
    {
      for (size_t i = 0; i < size[0]; ++i, ++v)
      {
        if (LungMaskImageFilter::IsLung(m[v]))
        {
          const size_t index[3] = { i, j, k };
          for (size_t a = 0; a < 3; ++a)
          {
            low[a] = std::min(low[a], index[a]);
            high[a] = std::max(high[a], index[a]);
          }
        }
      }
    }
  }
  if (low[0] > high[0])
  {
    throw Error(ErrorKind::ProcessingFailed, what, "no lung in the lung mask: nothing to crop to");
  }
  MaskImageType::RegionType region;
  for (unsigned int a = 0; a < 3; ++a)
  {
    const auto   margin = static_cast<size_t>(std::ceil(marginMm / mask->GetSpacing()[a] - 1e-9));
    const size_t first = low[a] > margin ? low[a] - margin : 0;
    const size_t last = std::min<size_t>(size[a] - 1, high[a] + margin);
    region.SetIndex(a, static_cast<itk::IndexValueType>(first) + mask->GetLargestPossibleRegion().GetIndex(a));
    region.SetSize(a, last - first + 1);
  }
  return region;
}

MaskImageType::Pointer
DilatedLungs(const MaskImageType * mask, double marginMm)
{
  auto out = MaskImageType::New();
  out->CopyInformation(mask);
  out->SetRegions(mask->GetLargestPossibleRegion());
  out->Allocate();
  const size_t          count = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  const MaskPixelType * m = mask->GetBufferPointer();
  MaskPixelType *       o = out->GetBufferPointer();
  for (size_t v = 0; v < count; ++v)
  {
    o[v] = LungMaskImageFilter::IsLung(m[v]) ? 1 : 0;
  }
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  const auto spacing = mask->GetSpacing();
  BinaryMorphology({ size[0], size[1], size[2] }, { spacing[0], spacing[1], spacing[2] }).Dilate(o, marginMm);
  return out;
}

} // namespace ctp
