// BlockGrid: block sizes, pooled means and flags (partial blocks included), expansion, boxes.
#include "ctpBlockGrid.h"

#include <gtest/gtest.h>

#include <numeric>

TEST(BlockGrid, FactorsGiveBlocksOfAboutTheAskedWidth)
{
  // 0.7 mm pixels, 5 mm slices, 3 mm blocks: 4 x 4 pixels (2.8 mm), one slice (5 mm).
  const ctp::BlockGrid grid({ 10, 9, 7 }, { 0.7, 0.7, 5.0 }, 3.0);
  EXPECT_EQ(grid.GetFactors(), (ctp::BlockGrid::SizeType{ 4, 4, 1 }));
  EXPECT_EQ(grid.GetSize(), (ctp::BlockGrid::SizeType{ 3, 3, 7 }));
  EXPECT_NEAR(grid.GetSpacing()[0], 2.8, 1e-12);
  EXPECT_NEAR(grid.GetSpacing()[2], 5.0, 1e-12);
  EXPECT_EQ(grid.VoxelsIn(2, 2, 0), 2u * 1u * 1u) << "last block: 10 - 8 columns, 9 - 8 rows";
  EXPECT_EQ(grid.BlockOf(9, 8, 6), (6u * 3u + 2u) * 3u + 2u);
}

TEST(BlockGrid, PoolAveragesValuesAndOrsFlagsOverEachBlockPartialOnesIncluded)
{
  const ctp::BlockGrid::SizeType voxels{ 5, 4, 3 };
  const ctp::BlockGrid           grid(voxels, { 1.0, 1.0, 1.0 }, 2.0); // 2 x 2 x 2 voxel blocks: 3 x 2 x 2
  const size_t                   n = voxels[0] * voxels[1] * voxels[2];
  std::vector<int16_t>           values(n);
  std::iota(values.begin(), values.end(), int16_t(0)); // value = linear index
  std::vector<uint8_t> labels(n, 0);
  labels[(2 * voxels[1] + 3) * voxels[0] + 4] = 7; // voxel (4, 3, 2): the last block of all
  std::array<uint8_t, 256> flags{};
  flags[7] = 0x10;
  std::vector<float>   mean;
  std::vector<uint8_t> blockFlags;
  grid.Pool(values.data(), labels.data(), flags, mean, blockFlags, { 0, 0, 0 }, voxels, 0.0f);
  ASSERT_EQ(mean.size(), 12u);
  // Block (2, 1, 1) holds voxels i = 4, j = 2..3, k = 2: indices 54 and 59.
  EXPECT_FLOAT_EQ(mean[(1 * 2 + 1) * 3 + 2], (54.0f + 59.0f) / 2.0f);
  // Block (0, 0, 0): i, j, k in 0..1: 0, 1, 5, 6, 20, 21, 25, 26.
  EXPECT_FLOAT_EQ(mean[0], (0 + 1 + 5 + 6 + 20 + 21 + 25 + 26) / 8.0f);
  for (size_t b = 0; b < blockFlags.size(); ++b)
  {
    EXPECT_EQ(blockFlags[b], b == 11 ? 0x10 : 0) << b;
  }
  // Pooling a box only: the blocks it does not meet get the outside value.
  grid.Pool(values.data(), labels.data(), flags, mean, blockFlags, { 0, 0, 0 }, { 2, 2, 2 }, -1024.0f);
  EXPECT_FLOAT_EQ(mean[0], (0 + 1 + 5 + 6 + 20 + 21 + 25 + 26) / 8.0f);
  EXPECT_FLOAT_EQ(mean[11], -1024.0f);
  EXPECT_EQ(blockFlags[11], 0);
}

TEST(BlockGrid, ForEachVoxelOfBlocksVisitsExactlyTheirVoxels)
{
  const ctp::BlockGrid::SizeType voxels{ 7, 5, 4 };
  const ctp::BlockGrid           grid(voxels, { 1.0, 1.0, 1.0 }, 3.0); // 3 x 2 x 2 blocks
  std::vector<uint8_t>           blocks(grid.GetNumberOfBlocks(), 0);
  blocks[grid.BlockOf(6, 4, 3)] = 2; // the corner block: i = 6, j = 3..4, k = 3
  std::vector<uint8_t> seen(voxels[0] * voxels[1] * voxels[2], 0);
  grid.ForEachVoxelOfBlocks(blocks.data(), [&](size_t voxel, uint8_t value) { seen[voxel] = value; });
  size_t visited = 0;
  for (size_t v = 0; v < seen.size(); ++v)
  {
    const size_t i = v % 7, j = (v / 7) % 5, k = v / 35;
    const bool   inside = i == 6 && j >= 3 && k == 3;
    EXPECT_EQ(seen[v], inside ? 2 : 0) << i << " " << j << " " << k;
    visited += seen[v] != 0;
  }
  EXPECT_EQ(visited, 2u);
}
