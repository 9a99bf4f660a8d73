#include "ctpChestBlocks.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ctp
{
namespace
{
BlockGrid
GridOf(const HUImageType * hu, double blockMm)
{
  const auto size = hu->GetLargestPossibleRegion().GetSize();
  const auto spacing = hu->GetSpacing();
  return BlockGrid({ size[0], size[1], size[2] }, { spacing[0], spacing[1], spacing[2] }, blockMm);
}
} // namespace

ChestBlocks::ChestBlocks(const HUImageType * hu, const MaskImageType * labels, double blockMm, double marginMm)
  : Grid(GridOf(hu, blockMm))
{
  // The lungs' box, from the rows holding a lung label (eight labels at a time).
  const auto            size = hu->GetLargestPossibleRegion().GetSize();
  const auto            spacing = hu->GetSpacing();
  const MaskPixelType * l = labels->GetBufferPointer();
  const size_t          nx = size[0], ny = size[1], nz = size[2];
  Low = { nx, ny, nz };
  High = { 0, 0, 0 };
  bool lung[256] = {};
  lung[1] = lung[2] = lung[4] = lung[5] = true;
  for (size_t k = 0; k < nz; ++k)
  {
    for (size_t j = 0; j < ny; ++j)
    {
      const MaskPixelType * row = l + (k * ny + j) * nx;
      // The row's first and last labelled bytes, eight at a time, then the lung labels among them.
      size_t first = 0;
      for (uint64_t word = 0; first + 8 <= nx; first += 8)
      {
        std::memcpy(&word, row + first, 8);
        if (word != 0)
        {
          break;
        }
      }
      size_t last = nx;
      for (uint64_t word = 0; last >= first + 8; last -= 8)
      {
        std::memcpy(&word, row + last - 8, 8);
        if (word != 0)
        {
          break;
        }
      }
      for (size_t i = first; i < last; ++i)
      {
        if (lung[row[i]])
        {
          Low = { std::min(Low[0], i), std::min(Low[1], j), std::min(Low[2], k) };
          High = { std::max(High[0], i + 1), std::max(High[1], j + 1), std::max(High[2], k + 1) };
        }
      }
    }
  }
  for (size_t a = 0; a < 3; ++a)
  {
    const auto margin = static_cast<size_t>(std::ceil(marginMm / spacing[a]));
    Low[a] = Low[a] > margin ? Low[a] - margin : 0;
    High[a] = std::min<size_t>(size[a], High[a] + margin);
  }
  std::array<uint8_t, 256> lut{};
  lut[1] = lut[4] = RightLung;
  lut[2] = lut[5] = LeftLung;
  lut[3] = Airway;
  Grid.Pool(hu->GetBufferPointer(), labels->GetBufferPointer(), lut, MeanHU, Flags, Low, High, float(AirHU));
}

BlockMask
ChestBlocks::Lung(MaskPixelType side) const
{
  const uint8_t bit = side == 1 ? RightLung : LeftLung;
  BlockMask     lung(Flags.size());
  for (size_t b = 0; b < Flags.size(); ++b)
  {
    lung[b] = (Flags[b] & bit) ? 1 : 0;
  }
  return lung;
}

} // namespace ctp
