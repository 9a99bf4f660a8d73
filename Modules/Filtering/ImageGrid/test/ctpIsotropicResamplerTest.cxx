#include "ctpError.h"
#include "ctpIsotropicResampler.h"

#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <random>

namespace
{
/** 512 x 512 x 64 at 0.841796875 x 0.841796875 x 5 mm, like Lung-PET-CT-Dx A0001 (but small). */
ctp::HUImageType::Pointer
MakeImage(unsigned int nx, unsigned int ny, unsigned int nz, double sx, double sy, double sz, bool flip = false)
{
  auto                          image = ctp::HUImageType::New();
  ctp::HUImageType::SizeType    size{ { nx, ny, nz } };
  ctp::HUImageType::SpacingType spacing;
  spacing[0] = sx;
  spacing[1] = sy;
  spacing[2] = sz;
  ctp::HUImageType::PointType origin;
  origin[0] = -100.0;
  origin[1] = 20.0;
  origin[2] = -400.0;
  ctp::HUImageType::DirectionType direction;
  direction.SetIdentity();
  if (flip)
  {
    direction[0][0] = -1.0;
    direction[2][2] = -1.0;
  }
  image->SetRegions(size);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  // HU linear in physical z: linear interpolation reproduces it.
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    ctp::HUImageType::PointType p;
    image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    it.Set(static_cast<ctp::HUPixelType>(std::lround(2.0 * (p[2] + 400.0))));
  }
  return image;
}
} // namespace

TEST(IsotropicResampler, GridFollowsTheClassicRecipeAndKeepsTheExtent)
{
  const auto image = MakeImage(512, 512, 64, 0.841796875, 0.841796875, 5.0);
  const auto grid = ctp::PlanResampleGrid(image, { 1.0, 1.0, 1.0 });
  // round(512 x 0.841796875) = 431, round(64 x 5) = 320: the recipe's 320 x 431 x 431.
  EXPECT_EQ(grid.Size[0], 431u);
  EXPECT_EQ(grid.Size[1], 431u);
  EXPECT_EQ(grid.Size[2], 320u);
  EXPECT_NEAR(grid.Spacing[0], 512 * 0.841796875 / 431, 1e-12);
  EXPECT_NEAR(grid.Spacing[2], 1.0, 1e-12);
  // Outer faces unchanged: first face at origin - old/2 = origin' - new/2.
  EXPECT_NEAR(grid.Origin[2] - 0.5 * grid.Spacing[2], -400.0 - 2.5, 1e-9);
  EXPECT_NEAR(grid.Origin[0] - 0.5 * grid.Spacing[0], -100.0 - 0.5 * 0.841796875, 1e-9);
  EXPECT_THROW(ctp::PlanResampleGrid(image, { 1.0, 0.0, 1.0 }), ctp::Error);
}

TEST(IsotropicResampler, FlippedDirectionKeepsItsExtentToo)
{
  const auto image = MakeImage(20, 20, 10, 1.5, 1.5, 3.0, true);
  const auto grid = ctp::PlanResampleGrid(image, { 1.0, 1.0, 1.0 });
  EXPECT_EQ(grid.Direction, image->GetDirection());
  EXPECT_EQ(grid.Size[0], 30u);
  EXPECT_NEAR(grid.Origin[0], -100.0 + 0.25, 1e-9)
    << "the first voxel centre moves inwards (along -x here) by half the spacing difference";
  EXPECT_NEAR(grid.Origin[2], -400.0 + 1.0, 1e-9);
}

TEST(IsotropicResampler, LinearReproducesALinearField)
{
  const auto image = MakeImage(16, 16, 12, 1.0, 1.0, 5.0);
  const auto grid = ctp::PlanResampleGrid(image, { 1.0, 1.0, 1.0 });
  const auto out = ctp::ResampleHU(image, grid, ctp::Interpolator::Linear);
  EXPECT_EQ(out->GetLargestPossibleRegion().GetSize(2), 60u);
  for (itk::ImageRegionConstIterator<ctp::HUImageType> it(out, out->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    ctp::HUImageType::PointType p;
    out->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    const double z = std::clamp(p[2], -400.0, -400.0 + 55.0); // beyond the outer slice centres: nearest slice value
    EXPECT_NEAR(it.Get(), 2.0 * (z + 400.0), 1.0) << it.GetIndex();
  }
  const auto bspline = ctp::ResampleHU(image, grid, ctp::Interpolator::BSpline);
  EXPECT_NEAR(bspline->GetPixel({ { 8, 8, 30 } }), out->GetPixel({ { 8, 8, 30 } }), 2);
}

TEST(IsotropicResampler, LabelsAreNeverMixed)
{
  auto                         labels = ctp::MaskImageType::New();
  ctp::MaskImageType::SizeType size{ { 4, 1, 1 } };
  labels->SetRegions(size);
  labels->Allocate();
  const uint8_t values[4] = { 1, 3, 1, 3 };
  for (long i = 0; i < 4; ++i)
  {
    labels->SetPixel({ { i, 0, 0 } }, values[i]);
  }
  ctp::ImageGrid grid;
  grid.Origin.Fill(0.0);
  grid.Direction.SetIdentity();
  grid.Spacing.Fill(0.25);
  grid.Size = { { 13, 1, 1 } };
  const auto out = ctp::ResampleLabels(labels, grid);
  for (long i = 0; i < 13; ++i)
  {
    const auto v = out->GetPixel({ { i, 0, 0 } });
    EXPECT_TRUE(v == 1 || v == 3) << "label " << int(v) << " at " << i << " (linear would give 2)";
  }
}

TEST(IsotropicResampler, SeparableLinearEqualsItkResampleImageFilter)
{
  // Random HU, anisotropic, flipped axes: the fast path against ITK's own (bspline path forced off by
  // giving the grid a direction that differs by nothing but a rounding, so ITK's filter runs).
  auto         image = MakeImage(23, 17, 9, 0.7, 0.9, 4.0, true);
  std::mt19937 rng(1);
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    it.Set(static_cast<ctp::HUPixelType>(int(rng() % 3000) - 1024));
  }
  const auto grid = ctp::PlanResampleGrid(image, { 1.0, 1.0, 1.0 });
  const auto fast = ctp::ResampleHU(image, grid, ctp::Interpolator::Linear);
  auto       other = grid;
  other.Direction[0][1] = 1e-12; // not the input's direction: ITK's ResampleImageFilter does the work
  const auto   itk = ctp::ResampleHU(image, other, ctp::Interpolator::Linear);
  const size_t n = fast->GetLargestPossibleRegion().GetNumberOfPixels();
  size_t       different = 0;
  for (size_t v = 0; v < n; ++v)
  {
    EXPECT_LE(std::abs(fast->GetBufferPointer()[v] - itk->GetBufferPointer()[v]), 1) << v;
    different += fast->GetBufferPointer()[v] != itk->GetBufferPointer()[v];
  }
  EXPECT_LT(different, n / 100) << "only rounding ties may differ";
}
