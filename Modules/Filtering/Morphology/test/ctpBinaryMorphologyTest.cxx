#include "ctpBinaryMorphology.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

TEST(BinaryMorphology, DistanceEqualsBruteForceWithAnisotropicSpacing)
{
  const size_t         nx = 13, ny = 9, nz = 5;
  const double         sx = 0.7, sy = 1.3, sz = 2.5;
  std::vector<uint8_t> seed(nx * ny * nz, 0);
  std::mt19937         rng(3);
  for (int n = 0; n < 12; ++n)
  {
    seed[rng() % seed.size()] = 1;
  }
  std::vector<float> distance;
  ctp::BinaryMorphology({ nx, ny, nz }, { sx, sy, sz }).SquaredDistance(seed.data(), distance);
  for (size_t n = 0; n < seed.size(); ++n)
  {
    double best = std::numeric_limits<double>::infinity();
    for (size_t m = 0; m < seed.size(); ++m)
    {
      if (seed[m])
      {
        const double dx = (double(n % nx) - double(m % nx)) * sx;
        const double dy = (double((n / nx) % ny) - double((m / nx) % ny)) * sy;
        const double dz = (double(n / (nx * ny)) - double(m / (nx * ny))) * sz;
        best = std::min(best, dx * dx + dy * dy + dz * dz);
      }
    }
    EXPECT_NEAR(distance[n], best, 1e-3 * (1 + best)) << n;
  }
}

TEST(BinaryMorphology, DilatedPointIsADisk)
{
  const size_t         n = 41;
  std::vector<uint8_t> mask(n * n, 0);
  mask[20 * n + 20] = 1;
  ctp::BinaryMorphology({ n, n }, { 0.5, 0.5 }).Dilate(mask.data(), 5.0);
  size_t area = 0;
  for (const auto v : mask)
  {
    area += v;
  }
  EXPECT_NEAR(double(area) * 0.25, M_PI * 25.0, 0.05 * M_PI * 25.0); // 78.5 mm^2 within 5%
  EXPECT_EQ(mask[20 * n + 30], 1);                                   // 5 mm right
  EXPECT_EQ(mask[20 * n + 31], 0);
}

TEST(BinaryMorphology, ClosingFillsABayNarrowerThanTheBall)
{
  // A square with a 2-pixel-wide notch (1 mm pixels): closed by a 2 mm ball, kept by a 0.5 mm one.
  const size_t         n = 30;
  std::vector<uint8_t> mask(n * n, 0);
  for (size_t j = 5; j < 25; ++j)
  {
    for (size_t i = 5; i < 25; ++i)
    {
      mask[j * n + i] = !(i >= 14 && i <= 15 && j >= 5 && j < 15);
    }
  }
  auto small = mask;
  ctp::BinaryMorphology({ n, n }, { 1.0, 1.0 }).Close(small.data(), 0.5);
  EXPECT_EQ(small[10 * n + 14], 0);
  ctp::BinaryMorphology({ n, n }, { 1.0, 1.0 }).Close(mask.data(), 2.0);
  EXPECT_EQ(mask[10 * n + 14], 1);
  EXPECT_EQ(mask[2 * n + 14], 0) << "closing stays inside the shape's hull";
}

TEST(BinaryMorphology, FillHoles2D)
{
  const size_t         n = 10;
  std::vector<uint8_t> ring(n * n, 0);
  for (size_t j = 2; j < 8; ++j)
  {
    for (size_t i = 2; i < 8; ++i)
    {
      ring[j * n + i] = (i == 2 || i == 7 || j == 2 || j == 7);
    }
  }
  ctp::FillHoles2D(ring.data(), n, n);
  EXPECT_EQ(ring[5 * n + 5], 1);
  EXPECT_EQ(ring[0], 0);
  EXPECT_EQ(ring[1 * n + 5], 0);
}

TEST(BinaryMorphology, CloseGapsFillsShortRunsBetweenInVoxelsOnly)
{
  // Along x (1 mm): runs of 3 and 6 out voxels between in voxels, and an open end.
  const size_t         nx = 16, ny = 2;
  std::vector<uint8_t> mask(nx * ny, 0);
  for (const size_t i : { 0, 4, 11 })
  {
    mask[i] = 1; // row 0: in at 0, 4, 11; gaps of 3 (1..3) and 6 (5..10); 12..15 open to the end
  }
  ctp::BinaryMorphology({ nx, ny }, { 1.0, 1.0 }).CloseGaps(mask.data(), 0, 4.0);
  for (size_t i = 0; i < nx; ++i)
  {
    EXPECT_EQ(mask[i], i <= 4 || i == 11 ? 1 : 0) << "x " << i;
    EXPECT_EQ(mask[nx + i], 0) << "row 1 stays empty";
  }
  // Along y with 2.5 mm spacing, a gap of 2 voxels is 5 mm: filled by 5, not by 4.9.
  const size_t         n = 5;
  std::vector<uint8_t> column(n * 2, 0);
  column[0 * 2 + 1] = column[3 * 2 + 1] = 1;
  auto copy = column;
  ctp::BinaryMorphology({ 2, n }, { 1.0, 2.5 }).CloseGaps(copy.data(), 1, 4.9);
  EXPECT_EQ(copy, column);
  ctp::BinaryMorphology({ 2, n }, { 1.0, 2.5 }).CloseGaps(column.data(), 1, 5.0);
  EXPECT_EQ(column[1 * 2 + 1] + column[2 * 2 + 1], 2);
  EXPECT_EQ(column[4 * 2 + 1], 0);
}
