#ifndef ctpBlockMasks_h
#define ctpBlockMasks_h

#include "ctpBlockGrid.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ctp
{
/** A mask on a BlockGrid: one byte per block, nonzero is "in". */
using BlockMask = std::vector<uint8_t>;

/** A box of blocks: [Low, High) along each axis. */
struct BlockBox
{
  std::array<size_t, 3> Low{};
  std::array<size_t, 3> High{};
  bool
  Empty() const
  {
    return Low[0] >= High[0];
  }
  /** The grid of the box's blocks (one voxel per block). */
  BlockGrid
  Grid(const BlockGrid::SpacingType & spacing) const
  {
    return BlockGrid({ High[0] - Low[0], High[1] - Low[1], High[2] - Low[2] }, spacing);
  }
};

/** The box of the blocks of `mask`, grown by `margin` blocks along each axis (clamped to the grid);
 *  empty when no block is in. */
BlockBox
BoundingBox(const BlockMask & mask, const BlockGrid & grid, const std::array<size_t, 3> & margin);

/** The blocks of a box, cut out of a mask (a box-sized mask, first axis fastest). */
BlockMask
CutBox(const BlockMask & whole, const BlockGrid & grid, const BlockBox & box);

/** Writes the blocks of a box back into a mask. */
void
PasteBox(BlockMask & whole, const BlockMask & part, const BlockGrid & grid, const BlockBox & box);

/** Per block slice, the body's midline as a continuous block index along the first axis: halfway
 *  between the outer extents of the right and the left lung (the chest wall is symmetric even where
 *  the mediastinum is not), median-filtered over 9 block slices; slices without both lungs take the
 *  nearest slice's value. Empty when no slice holds both lungs. */
std::vector<double>
LungMidline(const BlockMask & right, const BlockMask & left, const BlockGrid & grid);

/** The mask seen in a mirror across the midline: out(i, j, k) = mask(round(2 m_k - i), j, k), 0 where
 *  the mirror image falls outside the grid. */
BlockMask
MirrorAcrossMidline(const BlockMask & mask, const std::vector<double> & midline, const BlockGrid & grid);

/** The same for the blocks of a box [low, high) only: a box-sized mask (first axis fastest). */
BlockMask
MirrorAcrossMidline(const BlockMask & mask, const std::vector<double> & midline, const BlockGrid & grid,
                    const std::array<size_t, 3> & low, const std::array<size_t, 3> & high);

/** Blocks of `air` with at least `fraction` of the blocks within `probe` mm (a box, per axis at least
 *  one block) in `tissue`: air running inside tissue, as bronchi through an airless lobe do. The lung's
 *  edge has lung around it, air outside the body has air. */
BlockMask
AirInsideTissue(const BlockMask & air, const BlockMask & tissue, const BlockGrid & grid, double probe, double fraction);

/** The blocks of `mask` with at least one other among their 26 neighbours: threads (a bronchus) stay,
 *  lone blocks go. */
BlockMask
Threads(const BlockMask & mask, const BlockGrid & grid);

/** Grows `region` through blocks where `allowed` is nonzero, up to `distance` mm along 6-connected
 *  paths (each step costs the block size along its axis). The region's own blocks stay. */
void
GrowWithin(BlockMask & region, const BlockMask & allowed, double distance, const BlockGrid & grid);

/** Erodes (Shrink) or dilates (Grow) a mask `steps` times by the 6-neighbourhood (or, with `inPlane`,
 *  the 4-neighbourhood within each block slice): one block per step along each axis, a cheap stand-in
 *  for a ball (a disc) of one block; the grid's border counts as "out". */
void
ShrinkBlocks(BlockMask & mask, const BlockGrid & grid, unsigned int steps, bool inPlane = false);
void
GrowBlocks(BlockMask & mask, const BlockGrid & grid, unsigned int steps, bool inPlane = false);

/** 6-connected components of a mask: per block its component (1, 2, ...; 0 outside), and per component
 *  its number of blocks (sizes[0] unused). */
std::vector<uint32_t>
LabelComponents(const BlockMask & mask, const BlockGrid & grid, std::vector<size_t> & sizes);

/** Per component of `components` (LabelComponents; `count` is its sizes.size()): how many faces of its
 *  blocks meet a block outside it (6-neighbourhood; the grid's border is not counted), and of those,
 *  how many meet a block of each mask in `touching` (Touching[mask][component]). How much of a
 *  region's border is lung. */
struct ComponentFaces
{
  std::vector<size_t>              Faces;
  std::vector<std::vector<size_t>> Touching;
};
ComponentFaces
CountComponentFaces(const std::vector<uint32_t> & components, size_t count,
                    const std::vector<const BlockMask *> & touching, const BlockGrid & grid);

} // namespace ctp

#endif
