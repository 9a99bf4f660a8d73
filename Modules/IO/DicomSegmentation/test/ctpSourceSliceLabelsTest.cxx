#include "ctpSourceSliceLabels.h"

#include "itkImageRegionIteratorWithIndex.h"

#include <gtest/gtest.h>
#include <cmath>

namespace
{
/** A 10 x 10 x 10 mask of 2 mm voxels from (0, 0, 0) whose voxel (i, j, k) holds label 1 + i. */
ctp::MaskImageType::Pointer
StripedMask()
{
  auto                         mask = ctp::MaskImageType::New();
  ctp::MaskImageType::SizeType size{ { 10, 10, 10 } };
  mask->SetRegions(size);
  ctp::MaskImageType::SpacingType spacing;
  spacing.Fill(2.0);
  mask->SetSpacing(spacing);
  mask->Allocate();
  for (itk::ImageRegionIteratorWithIndex<ctp::MaskImageType> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it)
  {
    it.Set(static_cast<ctp::MaskPixelType>(1 + it.GetIndex()[0]));
  }
  return mask;
}

ctp::DicomFileInfo
Slice(unsigned int rows, unsigned int columns, std::array<double, 2> spacing, std::array<double, 3> position,
      std::array<double, 6> orientation = { { 1, 0, 0, 0, 1, 0 } })
{
  ctp::DicomFileInfo slice;
  slice.Rows = rows;
  slice.Columns = columns;
  slice.PixelSpacing = spacing;
  slice.ImagePositionPatient = position;
  slice.ImageOrientationPatient = orientation;
  return slice;
}
} // namespace

TEST(SourceSliceLabels, NearestVoxelOfEveryPixelOfAFinerSlice)
{
  const auto mask = StripedMask();
  // 1 mm pixels from x = 0: pixel column i lies at x = i mm, nearest voxel column floor(i / 2 + 0.5).
  const auto labels = ctp::LabelsOnSourceSlice(mask, Slice(3, 24, { 1.0, 1.0 }, { 0.0, 0.0, 4.0 }));
  ASSERT_EQ(labels.size(), 72u);
  for (unsigned int i = 0; i < 24; ++i)
  {
    const unsigned int voxel = (i + 1) / 2; // floor(i / 2 + 0.5)
    const int          expected = voxel < 10 ? static_cast<int>(1 + voxel) : 0;
    for (unsigned int j = 0; j < 3; ++j)
    {
      EXPECT_EQ(labels[j * 24 + i], expected) << "column " << i << " row " << j;
    }
  }
}

TEST(SourceSliceLabels, PlacedByTheSlicesOwnOrientationAndSpacing)
{
  const auto mask = StripedMask();
  // A transposed slice: the row direction is (0, 1, 0), so column i lies at y = 4 i (columns 4 mm
  // apart); the column direction is (1, 0, 0), so row j lies at x = 0.5 j (rows 0.5 mm apart).
  const auto labels =
    ctp::LabelsOnSourceSlice(mask, Slice(8, 2, { 0.5, 4.0 }, { 0.0, 0.0, 0.0 }, { 0, 1, 0, 1, 0, 0 }));
  for (unsigned int j = 0; j < 8; ++j)
  {
    const int expected = 1 + static_cast<int>(std::floor(0.5 * j / 2.0 + 0.5));
    EXPECT_EQ(labels[j * 2 + 0], expected) << "row " << j;
    EXPECT_EQ(labels[j * 2 + 1], expected) << "row " << j;
  }
}

TEST(SourceSliceLabels, OutsideTheMasksGridIsBackground)
{
  const auto mask = StripedMask();
  EXPECT_EQ(ctp::LabelsOnSourceSlice(mask, Slice(2, 2, { 1.0, 1.0 }, { 0.0, 0.0, 25.0 })),
            std::vector<ctp::MaskPixelType>(4, 0));
  const auto labels = ctp::LabelsOnSourceSlice(mask, Slice(1, 2, { 1.0, 1.0 }, { -1.5, 0.0, 0.0 }));
  EXPECT_EQ(labels[0], 0); // x = -1.5 mm: index -0.75 rounds to -1
  EXPECT_EQ(labels[1], 1); // x = -0.5 mm: index -0.25 rounds to 0
}

TEST(SourceSliceLabels, TiltedSliceCrossesTheMasksSlices)
{
  auto mask = StripedMask();
  // Labels by k instead: a slice tilted 45 degrees about x climbs one voxel in z per voxel in y.
  for (itk::ImageRegionIteratorWithIndex<ctp::MaskImageType> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it)
  {
    it.Set(static_cast<ctp::MaskPixelType>(1 + it.GetIndex()[2]));
  }
  const double c = std::sqrt(0.5);
  const auto   labels =
    ctp::LabelsOnSourceSlice(mask, Slice(5, 1, { 2.0 / c, 1.0 }, { 0.0, 0.0, 0.0 }, { 1, 0, 0, 0, c, c }));
  for (unsigned int j = 0; j < 5; ++j)
  {
    EXPECT_EQ(labels[j], 1 + j) << "row " << j;
  }
}
