#ifndef ctpLesionBlocks_h
#define ctpLesionBlocks_h

#include "ctpBlockMasks.h"
#include "ctpChestBlocks.h"

#include <vector>

namespace ctp
{
/** The knobs of LungLesionImageFilter's block steps (see it for their meaning and defaults). */
struct LesionBlockParameters
{
  double EnvelopeRadius{ 25.0 };
  double EnclosureLength{ 80.0 };
  double BronchogramProbe{ 7.0 };
  double BronchogramTissueFraction{ 0.75 };
  double BronchogramReach{ 24.0 };
  double MidlineMargin{ 15.0 };
  double MinimumVolume{ 1.0 };
  double MinimumLungContact{ 0.15 };
  double CoreGrowth{ 25.0 };
  double Completion{ 12.0 };
};

/** The chest's blocks as the lesion steps see them. */
struct LungBlocks
{
  BlockMask Lung[3]; ///< [1] right lung, [2] left lung (index 0 unused)
  BlockMask AnyLung;
  BlockMask Dense;  ///< mean HU within the dense range, not airway (a little lung in it: a lobe's thin edge)
  BlockMask Tissue; ///< dense, and no lung in it
};

/** The lesion steps' view of `chest`: dense is a block mean within [denseLower, denseUpper]. */
LungBlocks
MakeLungBlocks(const ChestBlocks & chest, double denseLower, double denseUpper);

/** The blocks of `lung` at least `depth` blocks from its surface (6-neighbourhood), worked out in the
 *  box around the lung. */
BlockMask
DeepInside(const BlockMask & lung, const BlockGrid & grid, unsigned int depth);

/** Steps 2-6 of LungLesionImageFilter for the lung of `side`, in the box around it that its envelope
 *  and growth reach: its lesions' blocks (`region`) and its air bronchograms (`bronchograms`), both on
 *  the whole grid. `deepOther` is the other lung's DeepInside, `midline` LungMidline's. */
void
LesionRegion(const LungBlocks & blocks, MaskPixelType side, const BlockMask & deepOther,
             const std::vector<double> & midline, const BlockGrid & grid, const LesionBlockParameters & p,
             BlockMask & region, BlockMask & bronchograms);

} // namespace ctp

#endif
