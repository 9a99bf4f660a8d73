// The block-mask steps of the lung mask's lesion and effusion stages, on small hand-made grids.
#include "ctpBlockMasks.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
/** A grid of n x m x l blocks of 3 mm (one voxel per block). */
ctp::BlockGrid
Grid(size_t nx, size_t ny, size_t nz)
{
  return ctp::BlockGrid({ nx, ny, nz }, { 3.0, 3.0, 3.0 });
}

size_t
At(const ctp::BlockGrid & grid, size_t i, size_t j, size_t k)
{
  return (k * grid.GetSize()[1] + j) * grid.GetSize()[0] + i;
}

size_t
Count(const ctp::BlockMask & mask)
{
  size_t n = 0;
  for (const auto v : mask)
  {
    n += v != 0;
  }
  return n;
}
} // namespace

TEST(BlockMasks, MidlineIsHalfwayBetweenTheLungsOuterExtentsAndMirrorsAcrossIt)
{
  // Right lung in columns 2..5, left lung in 10..15 (shifted mediastinum): midline (2 + 15) / 2 = 8.5.
  const auto     grid = Grid(20, 4, 12);
  ctp::BlockMask right(grid.GetNumberOfBlocks(), 0), left(grid.GetNumberOfBlocks(), 0);
  for (size_t k = 2; k < 10; ++k) // slices 0, 1, 10, 11 hold no lung: they take the nearest midline
  {
    for (size_t j = 0; j < 4; ++j)
    {
      for (size_t i = 2; i <= 5; ++i)
      {
        right[At(grid, i, j, k)] = 1;
      }
      for (size_t i = 10; i <= 15; ++i)
      {
        left[At(grid, i, j, k)] = 1;
      }
    }
  }
  const auto midline = ctp::LungMidline(right, left, grid);
  ASSERT_EQ(midline.size(), 12u);
  for (const double m : midline)
  {
    EXPECT_DOUBLE_EQ(m, 8.5);
  }
  // Column i mirrors to round(17 - i): the right lung's columns 2..5 land on 15..12, inside the left.
  const auto mirrored = ctp::MirrorAcrossMidline(left, midline, grid);
  EXPECT_EQ(mirrored[At(grid, 3, 1, 5)], 1);
  EXPECT_EQ(mirrored[At(grid, 8, 1, 5)], 0) << "column 8 mirrors to 9, not lung";
  EXPECT_EQ(mirrored[At(grid, 19, 1, 5)], 0) << "column 19 mirrors to -2: outside the grid";
  // The box version is the same cut.
  const auto box = ctp::MirrorAcrossMidline(left, midline, grid, { 2, 1, 5 }, { 6, 2, 6 });
  ASSERT_EQ(box.size(), 4u);
  for (size_t i = 0; i < 4; ++i)
  {
    EXPECT_EQ(box[i], mirrored[At(grid, 2 + i, 1, 5)]);
  }
  EXPECT_TRUE(ctp::LungMidline(right, ctp::BlockMask(grid.GetNumberOfBlocks(), 0), grid).empty());
}

TEST(BlockMasks, AirInsideTissueFindsABronchusInConsolidationNotTheLungsEdge)
{
  // Tissue everywhere in x < 10; lung (air) fills x >= 10. A bronchus: a line of air along z at
  // (4, 4) deep in the tissue.
  const auto     grid = Grid(16, 9, 9);
  ctp::BlockMask air(grid.GetNumberOfBlocks(), 0), tissue(grid.GetNumberOfBlocks(), 0);
  for (size_t k = 0; k < 9; ++k)
  {
    for (size_t j = 0; j < 9; ++j)
    {
      for (size_t i = 0; i < 16; ++i)
      {
        const bool bronchus = i == 4 && j == 4;
        air[At(grid, i, j, k)] = i >= 10 || bronchus;
        tissue[At(grid, i, j, k)] = i < 10 && !bronchus;
      }
    }
  }
  const auto found = ctp::AirInsideTissue(air, tissue, grid, 6.0, 0.75); // 5 x 5 x 5 boxes
  EXPECT_EQ(found[At(grid, 4, 4, 4)], 1) << "the bronchus: 124 of 125 neighbours tissue";
  EXPECT_EQ(found[At(grid, 10, 4, 4)], 0) << "the lung's edge: 2 columns of 5 are tissue";
  EXPECT_EQ(found[At(grid, 14, 4, 4)], 0) << "deep in the lung";
  EXPECT_EQ(ctp::Threads(found, grid)[At(grid, 4, 4, 4)], 1) << "a thread along z";
  ctp::BlockMask lone(grid.GetNumberOfBlocks(), 0);
  lone[At(grid, 4, 4, 4)] = 1;
  EXPECT_EQ(Count(ctp::Threads(lone, grid)), 0u) << "a block alone is not a thread";
}

TEST(BlockMasks, GrowWithinStopsAtTheDistanceAndOutsideTheAllowedBlocks)
{
  // A corridor along x (allowed), seeded at x = 0; 3 mm blocks, 9 mm: x = 0..3.
  const auto     grid = Grid(10, 3, 1);
  ctp::BlockMask allowed(grid.GetNumberOfBlocks(), 0), region(grid.GetNumberOfBlocks(), 0);
  for (size_t i = 0; i < 10; ++i)
  {
    allowed[At(grid, i, 1, 0)] = 1;
  }
  region[At(grid, 0, 1, 0)] = 1;
  ctp::GrowWithin(region, allowed, 9.0, grid);
  for (size_t i = 0; i < 10; ++i)
  {
    EXPECT_EQ(region[At(grid, i, 1, 0)], i <= 3 ? 1 : 0) << i;
    EXPECT_EQ(region[At(grid, i, 0, 0)], 0) << "not allowed";
  }
}

TEST(BlockMasks, ComponentsShrinkAndGrow)
{
  const auto     grid = Grid(8, 8, 3);
  ctp::BlockMask mask(grid.GetNumberOfBlocks(), 0);
  for (size_t k = 0; k < 3; ++k)
  {
    for (size_t j = 1; j <= 5; ++j)
    {
      for (size_t i = 1; i <= 3; ++i)
      {
        mask[At(grid, i, j, k)] = 1; // a 3 x 5 x 3 slab
      }
    }
  }
  mask[At(grid, 7, 7, 1)] = 1; // and a lone block
  std::vector<size_t> sizes;
  const auto          labels = ctp::LabelComponents(mask, grid, sizes);
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[labels[At(grid, 2, 2, 1)]], 45u);
  EXPECT_EQ(sizes[labels[At(grid, 7, 7, 1)]], 1u);
  auto shrunk = mask;
  ctp::ShrinkBlocks(shrunk, grid, 1);
  EXPECT_EQ(Count(shrunk), 3u) << "only the slab's core column, and not at the grid's z faces";
  auto plane = mask;
  ctp::ShrinkBlocks(plane, grid, 1, true);
  EXPECT_EQ(Count(plane), 9u) << "in-plane: the middle column of the slab in each of the 3 slices";
  ctp::GrowBlocks(plane, grid, 1, true);
  EXPECT_EQ(Count(plane), 3u * 11u) << "grown back in-plane: the column of 3 and its 8 neighbours, per slice";
}

TEST(BlockMasks, ComponentFacesCountTheBorderAndWhatItMeets)
{
  // One slice of 5 x 3 blocks: component 1 is (1, 1) and (2, 1), component 2 is (4, 1) alone, a lung
  // block at (0, 1). Component 1 has 6 faces (3 per block, the face between them is inside), one of
  // them on the lung; component 2 has 3 (4 but the grid's right face, which does not count), none on the lung.
  const auto     grid = Grid(5, 3, 1);
  ctp::BlockMask mask(grid.GetNumberOfBlocks(), 0), lung(grid.GetNumberOfBlocks(), 0);
  mask[At(grid, 1, 1, 0)] = mask[At(grid, 2, 1, 0)] = mask[At(grid, 4, 1, 0)] = 1;
  lung[At(grid, 0, 1, 0)] = 1;
  std::vector<size_t> sizes;
  const auto          components = ctp::LabelComponents(mask, grid, sizes);
  ASSERT_EQ(sizes.size(), 3u);
  const auto faces = ctp::CountComponentFaces(components, sizes.size(), { &lung, &mask }, grid);
  const auto first = components[At(grid, 1, 1, 0)];
  const auto second = components[At(grid, 4, 1, 0)];
  EXPECT_EQ(faces.Faces[first], 6u);
  EXPECT_EQ(faces.Faces[second], 3u);
  EXPECT_EQ(faces.Touching[0][first], 1u);
  EXPECT_EQ(faces.Touching[0][second], 0u);
  EXPECT_EQ(faces.Touching[1][first], 0u) << "its own blocks are not across a face";
}
