#include "ctpLesionBlocks.h"
#include "ctpBinaryMorphology.h"

#include <algorithm>
#include <cmath>

namespace ctp
{
namespace
{
/** Steps 2-3 on the blocks of one box: which dense blocks the lung encloses (and, in `bronchograms`,
 *  its air inside tissue). */
BlockMask
EnclosedInBox(const BlockMask & lung, const BlockMask & tissue, const BlockMask & dense, const BlockMask & offMidline,
              const BlockGrid & box, const LesionBlockParameters & p, BlockMask & bronchograms)
{
  const auto &     size = box.GetSize();
  const auto &     spacing = box.GetSpacing();
  BinaryMorphology morphology({ size[0], size[1], size[2] }, { spacing[0], spacing[1], spacing[2] });
  // Air bronchograms: threads of this lung's air inside tissue, away from the midline.
  BlockMask air(lung.size());
  for (size_t b = 0; b < air.size(); ++b)
  {
    air[b] = lung[b] && offMidline[b];
  }
  bronchograms = AirInsideTissue(air, tissue, box, p.BronchogramProbe, p.BronchogramTissueFraction);
  bronchograms = Threads(bronchograms, box);
  // The lung's envelope and the lines through it, its bronchograms with it: an airless lobe between them
  // is inside.
  BlockMask withBronchi = lung;
  for (size_t b = 0; b < lung.size(); ++b)
  {
    withBronchi[b] = lung[b] || bronchograms[b];
  }
  BlockMask envelope = withBronchi;
  morphology.Close(envelope.data(), p.EnvelopeRadius);
  BlockMask along[3] = { withBronchi, withBronchi, withBronchi };
  for (size_t axis = 0; axis < 3; ++axis)
  {
    morphology.CloseGaps(along[axis].data(), axis, p.EnclosureLength);
  }
  BlockMask nearBronchograms = bronchograms;
  if (std::any_of(bronchograms.begin(), bronchograms.end(), [](uint8_t v) { return v != 0; }))
  {
    morphology.Dilate(nearBronchograms.data(), p.BronchogramReach);
  }
  BlockMask enclosed(lung.size(), 0);
  for (size_t b = 0; b < lung.size(); ++b)
  {
    // Masses: inside the envelope, with lung above and below, or on both sides in the slice.
    const bool mass = envelope[b] && (along[2][b] || (along[0][b] && along[1][b]));
    // Consolidation: near bronchograms, with lung (or bronchi) on both sides along a line in the slice
    // (not below the lung's base: the liver has lung above it only).
    const bool consolidation = nearBronchograms[b] && (envelope[b] || along[0][b] || along[1][b]);
    enclosed[b] = dense[b] && (mass || consolidation) ? 1 : 0;
  }
  return enclosed;
}

/** Step 5: seeds from the blocks that passed the other side's check: opened by a block, regions large
 *  enough and touching this lung enough. */
BlockMask
SelectSeeds(BlockMask passed, const BlockMask & lung, const BlockGrid & grid, double minimumMl, double minimumContact)
{
  ShrinkBlocks(passed, grid, 1);
  GrowBlocks(passed, grid, 1);
  std::vector<size_t>  sizes;
  const auto           component = LabelComponents(passed, grid, sizes);
  const auto           faces = CountComponentFaces(component, sizes.size(), { &lung }, grid);
  std::vector<uint8_t> keep(sizes.size(), 0);
  for (size_t c = 1; c < sizes.size(); ++c)
  {
    const double ml = double(sizes[c]) * grid.GetBlockMl();
    keep[c] =
      ml >= minimumMl && faces.Faces[c] > 0 && double(faces.Touching[0][c]) >= minimumContact * double(faces.Faces[c]);
  }
  BlockMask seeds(passed.size(), 0);
  for (size_t b = 0; b < passed.size(); ++b)
  {
    seeds[b] = keep[component[b]];
  }
  return seeds;
}

} // namespace

LungBlocks
MakeLungBlocks(const ChestBlocks & chest, double denseLower, double denseUpper)
{
  LungBlocks   blocks;
  const auto & flags = chest.Flags;
  blocks.Lung[1] = chest.Lung(1);
  blocks.Lung[2] = chest.Lung(2);
  blocks.AnyLung.resize(flags.size());
  blocks.Dense.resize(flags.size());
  blocks.Tissue.resize(flags.size());
  const uint8_t labelled = ChestBlocks::RightLung | ChestBlocks::LeftLung | ChestBlocks::Airway;
  for (size_t b = 0; b < flags.size(); ++b)
  {
    const bool dense = chest.MeanHU[b] >= denseLower && chest.MeanHU[b] <= denseUpper;
    blocks.AnyLung[b] = blocks.Lung[1][b] | blocks.Lung[2][b];
    blocks.Dense[b] = (flags[b] & ChestBlocks::Airway) == 0 && dense;
    blocks.Tissue[b] = (flags[b] & labelled) == 0 && dense;
  }
  return blocks;
}

BlockMask
DeepInside(const BlockMask & lung, const BlockGrid & grid, unsigned int depth)
{
  BlockMask      deep(lung.size(), 0);
  const BlockBox box = BoundingBox(lung, grid, { 1, 1, 1 });
  if (!box.Empty())
  {
    BlockMask part = CutBox(lung, grid, box);
    ShrinkBlocks(part, box.Grid(grid.GetSpacing()), depth);
    PasteBox(deep, part, grid, box);
  }
  return deep;
}

void
LesionRegion(const LungBlocks & blocks, MaskPixelType side, const BlockMask & deepOther,
             const std::vector<double> & midline, const BlockGrid & grid, const LesionBlockParameters & p,
             BlockMask & region, BlockMask & bronchograms)
{
  const auto &          spacing = grid.GetSpacing();
  const double          reach = std::max({ p.EnvelopeRadius, p.BronchogramProbe, p.CoreGrowth + p.Completion });
  std::array<size_t, 3> margin{};
  for (size_t a = 0; a < 3; ++a)
  {
    margin[a] = static_cast<size_t>(std::ceil(reach / spacing[a])) + 1;
  }
  region.assign(blocks.Dense.size(), 0);
  bronchograms.assign(blocks.Dense.size(), 0);
  const BlockBox box = BoundingBox(blocks.Lung[side], grid, margin);
  if (box.Empty())
  {
    return;
  }
  const BlockGrid boxGrid = box.Grid(spacing);
  const BlockMask lung = CutBox(blocks.Lung[side], grid, box);
  const BlockMask dense = CutBox(blocks.Dense, grid, box);
  BlockMask       boxBronchograms;
  // 2-3. Envelope and enclosure.
  // Near the midline a block is its own mirror image, and the oesophagus carries air there.
  BlockMask    offMidline(lung.size(), 0);
  const size_t w = box.High[0] - box.Low[0];
  const size_t h = box.High[1] - box.Low[1];
  for (size_t b = 0; b < offMidline.size(); ++b)
  {
    const size_t k = box.Low[2] + b / (w * h);
    const double i = double(box.Low[0] + b % w);
    offMidline[b] = std::abs(i - midline[k]) * spacing[0] >= p.MidlineMargin;
  }
  const BlockMask enclosed =
    EnclosedInBox(lung, CutBox(blocks.Tissue, grid, box), dense, offMidline, boxGrid, p, boxBronchograms);
  // 4. The other side: the mirror image lies deep inside the other lung.
  const BlockMask mirrored = MirrorAcrossMidline(deepOther, midline, grid, box.Low, box.High);
  BlockMask       seeds(enclosed.size(), 0);
  for (size_t b = 0; b < seeds.size(); ++b)
  {
    seeds[b] = enclosed[b] && mirrored[b] && offMidline[b];
  }
  // 5-6. Seeds, grown through the enclosed dense blocks, then into any dense tissue.
  seeds = SelectSeeds(seeds, lung, boxGrid, p.MinimumVolume, p.MinimumLungContact);
  GrowWithin(seeds, enclosed, p.CoreGrowth, boxGrid);
  GrowWithin(seeds, dense, p.Completion, boxGrid);
  PasteBox(region, seeds, grid, box);
  PasteBox(bronchograms, boxBronchograms, grid, box);
}


} // namespace ctp
