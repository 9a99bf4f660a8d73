#ifndef ctpChestBlocks_h
#define ctpChestBlocks_h

#include "ctpBlockMasks.h"
#include "ctpImageTypes.h"

#include <vector>

namespace ctp
{
/** \brief The chest at the centimetre scale: per block of a BlockGrid, the mean HU and which lungs
 * and airways it touches.
 *
 * Pooled once from the full-resolution CT and lung mask (one threaded pass) and shared by the lung
 * mask's whole-image stages (lesions, effusion), which work on about 27 times fewer blocks than voxels
 * at 1 mm. */
struct ChestBlocks
{
  /** Flag bits of Flags. */
  static constexpr uint8_t RightLung = 1; ///< labels 1 and 4
  static constexpr uint8_t LeftLung = 2;  ///< labels 2 and 5
  static constexpr uint8_t Airway = 4;    ///< label 3

  BlockGrid Grid;
  /** The voxel box [Low, High) that was pooled. */
  BlockGrid::SizeType Low{};
  BlockGrid::SizeType High{};
  std::vector<float>  MeanHU;
  BlockMask           Flags;

  /** Pools `hu` and `labels` (on the same grid) onto blocks about `blockMm` wide, around the lungs
   *  (labels 1, 2, 4, 5) out to `marginMm`: blocks beyond are air (mean AirHU, no flags). */
  ChestBlocks(const HUImageType * hu, const MaskImageType * labels, double blockMm, double marginMm);

  /** 1 where the block touches the lung of `side` (1 right, 2 left). */
  BlockMask
  Lung(MaskPixelType side) const;
};

} // namespace ctp

#endif
