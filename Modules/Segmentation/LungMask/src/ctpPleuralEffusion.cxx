#include "ctpPleuralEffusion.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <ostream>
#include <sstream>
#include <stdexcept>

namespace ctp
{
namespace
{
/** Per region of `fluid`, which lung (`lungs[0]` right, `lungs[1]` left) it touches most (1, 2; 0 when it
 *  touches too little) and whether it lies behind that lung's centre (mean block row, LPS y grows to the
 *  back). */
std::vector<uint8_t>
RegionSides(const std::vector<uint32_t> & region, const std::vector<size_t> & sizes, const BlockMask (&lungs)[2],
            const BlockGrid & grid, double yDirection, double minimumContact, double minimumMl)
{
  const auto &        size = grid.GetSize();
  std::vector<double> rowSum(sizes.size(), 0.0);
  double              lungRow[2] = { 0.0, 0.0 };
  size_t              lungBlocks[2] = { 0, 0 };
  for (size_t b = 0; b < region.size(); ++b)
  {
    const double row = double((b / size[0]) % size[1]);
    for (const int s : { 0, 1 })
    {
      if (lungs[s][b])
      {
        lungRow[s] += row;
        ++lungBlocks[s];
      }
    }
    rowSum[region[b]] += row;
  }
  const auto           faces = CountComponentFaces(region, sizes.size(), { &lungs[0], &lungs[1] }, grid);
  const auto &         touch = faces.Touching;
  std::vector<uint8_t> side(sizes.size(), 0);
  for (size_t c = 1; c < sizes.size(); ++c)
  {
    const int    s = touch[0][c] >= touch[1][c] ? 0 : 1;
    const double row = rowSum[c] / double(sizes[c]);
    const bool   behind = lungBlocks[s] > 0 && (row - lungRow[s] / double(lungBlocks[s])) * yDirection > 0.0;
    if (double(sizes[c]) * grid.GetBlockMl() >= minimumMl && faces.Faces[c] > 0 &&
        double(touch[s][c]) >= minimumContact * double(faces.Faces[c]) && behind)
    {
      side[c] = static_cast<uint8_t>(s + 1);
    }
  }
  return side;
}
} // namespace

void
PleuralEffusion::Find(const ChestBlocks & chest, const HUImageType * hu, MaskImageType * labels, MaskPixelType label)
{
  if (!(FluidLower < FluidUpper) || !(FluidMargin >= 0.0) || !(MinimumVolume >= 0.0) ||
      !(MinimumLungContact >= 0.0 && MinimumLungContact <= 1.0))
  {
    std::ostringstream text;
    text << "PleuralEffusion: FluidLower " << FluidLower << " must be below FluidUpper " << FluidUpper
         << ", FluidMargin and MinimumVolume >= 0, MinimumLungContact within 0..1";
    throw std::invalid_argument(text.str());
  }
  m_RightVolumeMl = m_LeftVolumeMl = 0.0;
  const BlockGrid & grid = chest.Grid;
  BlockMask         fluid(chest.Flags.size(), 0);
  for (size_t b = 0; b < fluid.size(); ++b)
  {
    fluid[b] = chest.Flags[b] == 0 && chest.MeanHU[b] >= FluidLower && chest.MeanHU[b] <= FluidUpper;
  }
  ShrinkBlocks(fluid, grid, 1);
  GrowBlocks(fluid, grid, 1);
  std::vector<size_t> sizes;
  const auto          region = LabelComponents(fluid, grid, sizes);
  // LPS y of a block row grows with the row when the image's second axis points to the back.
  const double    yDirection = hu->GetDirection()[1][1] >= 0.0 ? 1.0 : -1.0;
  const BlockMask lungs[2] = { chest.Lung(1), chest.Lung(2) };
  auto            side = RegionSides(region, sizes, lungs, grid, yDirection, MinimumLungContact, MinimumVolume);
  // Fluid settles along the back of the chest wall, out to the side: a region near the midline only
  // (the descending aorta, 30-40 HU, behind the heart) is not an effusion.
  const auto midline = LungMidline(lungs[0], lungs[1], grid);
  if (!midline.empty())
  {
    std::vector<double> reach(sizes.size(), 0.0);
    const auto &        size = grid.GetSize();
    for (size_t b = 0; b < region.size(); ++b)
    {
      if (region[b])
      {
        const size_t k = b / (size[0] * size[1]);
        reach[region[b]] =
          std::max(reach[region[b]], std::abs(double(b % size[0]) - midline[k]) * grid.GetSpacing()[0]);
      }
    }
    for (size_t c = 1; c < sizes.size(); ++c)
    {
      side[c] = reach[c] >= MinimumLateralReach ? side[c] : uint8_t(0);
    }
  }
  // The regions' blocks and one more around them: the blocks along the lung, where lung and fluid meet,
  // are the lung's at this scale and hold fluid too.
  BlockMask blocks(fluid.size(), 0);
  bool      any = false;
  for (const uint8_t s : { 1, 2 })
  {
    BlockMask mine(fluid.size(), 0);
    for (size_t b = 0; b < blocks.size(); ++b)
    {
      mine[b] = side[region[b]] == s;
    }
    GrowBlocks(mine, grid, 1);
    for (size_t b = 0; b < blocks.size(); ++b)
    {
      if (mine[b] && !blocks[b] && !(chest.Flags[b] & ChestBlocks::Airway))
      {
        blocks[b] = s;
        any = true;
      }
    }
  }
  if (!any)
  {
    return;
  }
  const HUPixelType * h = hu->GetBufferPointer();
  MaskPixelType *     l = labels->GetBufferPointer();
  const auto          size = hu->GetLargestPossibleRegion().GetSize();
  const size_t        nx = size[0], ny = size[1];
  // Fluid: the voxel not fat (its own value above the range's lower end lowered by the margin), and the
  // mean of its 3 x 3 neighbourhood in the slice (a third of the noise) not muscle (40-60 HU): at most
  // the range's upper end. Next to the lung that mean is lower still, and counts.
  auto local = [&](size_t voxel) {
    const size_t i = voxel % nx, j = (voxel / nx) % ny;
    double       sum = 0.0;
    int          n = 0;
    for (size_t jj = j > 0 ? j - 1 : j; jj <= std::min(ny - 1, j + 1); ++jj)
    {
      for (size_t ii = i > 0 ? i - 1 : i; ii <= std::min(nx - 1, i + 1); ++ii)
      {
        sum += double(h[voxel - i - j * nx + jj * nx + ii]);
        ++n;
      }
    }
    return sum / n;
  };
  const double        lo = FluidLower - FluidMargin;
  const double        hi = FluidUpper;
  std::atomic<size_t> counts[3] = { 0, 0, 0 };
  grid.ForEachVoxelOfBlocks(blocks.data(), [&](size_t voxel, uint8_t s) {
    if (l[voxel] == 0 && double(h[voxel]) >= lo && local(voxel) <= hi)
    {
      counts[s].fetch_add(1, std::memory_order_relaxed);
      if (label != 0)
      {
        l[voxel] = label;
      }
    }
  });
  const auto   spacing = hu->GetSpacing();
  const double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  m_RightVolumeMl = double(counts[1]) * voxelMl;
  m_LeftVolumeMl = double(counts[2]) * voxelMl;
}

void
PleuralEffusion::Print(std::ostream & os) const
{
  os << "fluid " << FluidLower << " .. " << FluidUpper << " HU (voxels down to " << FluidLower - FluidMargin
     << "), at least " << MinimumVolume << " mL, lung contact " << MinimumLungContact << ", reaching "
     << MinimumLateralReach << " mm from the midline";
}

} // namespace ctp
