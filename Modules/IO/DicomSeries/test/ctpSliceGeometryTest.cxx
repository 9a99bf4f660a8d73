#include "ctpSliceGeometry.h"
#include "ctpSliceStackResampler.h"

#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
/** Files of an axial (or tilted) stack at the given positions along z, listed in a scrambled order. */
std::vector<ctp::DicomFileInfo>
Stack(const std::vector<double> & z, double tiltDegrees = 0.0, unsigned int size = 4)
{
  const double                    t = tiltDegrees * M_PI / 180.0;
  std::vector<ctp::DicomFileInfo> files;
  for (size_t k = 0; k < z.size(); ++k)
  {
    ctp::DicomFileInfo f;
    f.Path = "f" + std::to_string(k);
    f.Rows = f.Columns = size;
    f.HasPixelSpacing = f.HasPosition = f.HasOrientation = true;
    f.PixelSpacing = { { 1.0, 1.0 } };
    // Gantry tilt about x: the image plane's column axis leaves y by t; the table moves along z.
    f.ImageOrientationPatient = { { 1, 0, 0, 0, std::cos(t), -std::sin(t) } };
    f.ImagePositionPatient = { { 0.0, 0.0, z[k] } };
    files.push_back(f);
  }
  std::reverse(files.begin(), files.end());
  std::rotate(files.begin(), files.begin() + files.size() / 3, files.end());
  return files;
}
} // namespace

TEST(SliceGeometry, SortsAlongTheNormalAndMeasuresTheStep)
{
  auto       files = Stack({ 0, 2.5, 5, 7.5, 10 });
  const auto g = ctp::AnalyzeSliceGeometry(files);
  EXPECT_EQ(files.front().ImagePositionPatient[2], 0.0);
  EXPECT_EQ(files.back().ImagePositionPatient[2], 10.0);
  EXPECT_DOUBLE_EQ(g.MedianStep, 2.5);
  EXPECT_TRUE(g.Uniform());
  EXPECT_FALSE(g.Tilted);
  EXPECT_TRUE(g.IsAxial());
}

TEST(SliceGeometry, PositionRoundingIsNotUnevenSpacing)
{
  // ImagePositionPatient written with 2 decimals: steps 0.62 / 0.63 for 0.625 mm slices.
  auto       files = Stack({ 0, 0.63, 1.25, 1.88, 2.5, 3.13, 3.75 });
  const auto g = ctp::AnalyzeSliceGeometry(files);
  EXPECT_TRUE(g.Uniform()) << g.DescribeSpacing();
}

TEST(SliceGeometry, GapsAndUnevenSteps)
{
  auto gap = Stack({ 0, 2.5, 5, 10, 12.5 });
  auto g = ctp::AnalyzeSliceGeometry(gap);
  EXPECT_EQ(g.MissingSlices, 1u);
  EXPECT_EQ(g.UnevenSteps, 0u);
  EXPECT_NE(g.DescribeSpacing().find("1 missing slice"), std::string::npos);

  auto uneven = Stack({ 0, 4, 8, 9.08, 16.08, 23.08 });
  g = ctp::AnalyzeSliceGeometry(uneven);
  EXPECT_EQ(g.UnevenSteps, 3u) << g.DescribeSpacing(); // 1.08 and two 7 mm steps around a 4 mm median
  EXPECT_NEAR(g.MinStep, 1.08, 1e-9);

  auto duplicate = Stack({ 0, 2.5, 2.5, 5 });
  g = ctp::AnalyzeSliceGeometry(duplicate);
  EXPECT_EQ(g.DuplicatePositions, 1u);
}

TEST(SliceGeometry, TiltFromPositionsNotTags)
{
  auto       files = Stack({ 0, 2, 4, 6 }, 15.0);
  const auto g = ctp::AnalyzeSliceGeometry(files);
  EXPECT_TRUE(g.Tilted);
  EXPECT_NEAR(g.TiltDegrees, 15.0, 1e-9);
  EXPECT_NEAR(g.MedianStep, 2.0 * std::cos(15.0 * M_PI / 180.0), 1e-9) << "spacing along the normal";
}

namespace
{
/** A stack image whose slice k holds f(physical point) at every pixel, f linear. */
ctp::HUImageType::Pointer
FillStack(const ctp::SliceGeometry & g, double (*f)(double, double, double))
{
  auto                       image = ctp::HUImageType::New();
  ctp::HUImageType::SizeType size{ { g.Columns, g.Rows, g.Positions.size() } };
  image->SetRegions(size);
  image->Allocate();
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto   idx = it.GetIndex();
    const auto & p = g.Positions[idx[2]];
    const double x = p[0] + idx[0] * g.InPlaneSpacing[0] * g.Row[0] + idx[1] * g.InPlaneSpacing[1] * g.Column[0];
    const double y = p[1] + idx[0] * g.InPlaneSpacing[0] * g.Row[1] + idx[1] * g.InPlaneSpacing[1] * g.Column[1];
    const double z = p[2] + idx[0] * g.InPlaneSpacing[0] * g.Row[2] + idx[1] * g.InPlaneSpacing[1] * g.Column[2];
    it.Set(static_cast<ctp::HUPixelType>(std::lround(f(x, y, z))));
  }
  return image;
}

double
Linear(double x, double y, double z)
{
  return 3.0 * x - 2.0 * y + 10.0 * z;
}
} // namespace

TEST(SliceStackResampler, UnevenStackOnAUniformGridReproducesALinearField)
{
  auto       files = Stack({ 0, 1, 3, 4, 6, 8 }, 0.0, 8);
  const auto g = ctp::AnalyzeSliceGeometry(files);
  const auto stack = FillStack(g, Linear);
  const auto grid = ctp::PlanUniformGrid(g, ctp::StackMapping::Physical);
  EXPECT_EQ(grid.Size[2], 5u) << "steps 1, 2, 1, 2, 2: median 2 mm over 8 mm";
  const auto out = ctp::ResampleSliceStack(stack, g, grid, ctp::StackMapping::Physical, -1024);
  for (itk::ImageRegionConstIterator<ctp::HUImageType> it(out, out->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    ctp::HUImageType::PointType p;
    out->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    EXPECT_NEAR(it.Get(), Linear(p[0], p[1], p[2]), 1.01) << it.GetIndex();
  }
}

TEST(SliceStackResampler, TiltedStackOnAnOrthogonalGrid)
{
  auto       files = Stack({ 0, 2, 4, 6, 8, 10 }, 20.0, 16);
  const auto g = ctp::AnalyzeSliceGeometry(files);
  const auto stack = FillStack(g, Linear);
  const auto grid = ctp::PlanUniformGrid(g, ctp::StackMapping::Physical);
  // Axes: x, y, z (the stacking direction); spacing along z = the table step.
  EXPECT_NEAR(grid.Direction[2][2], 1.0, 1e-12);
  EXPECT_NEAR(grid.Direction[1][1], 1.0, 1e-12);
  EXPECT_NEAR(grid.Spacing[2], 2.0, 1e-12);
  // Planes through the six slice positions (z 0..10), and three more below: the last row of each slice
  // lies 15 mm x sin(20 degrees) = 5.1 mm lower than its first pixel, and no pixel is left out.
  EXPECT_EQ(grid.Size[2], 9u);
  EXPECT_NEAR(grid.Origin[2], -6.0, 1e-12);
  const auto out = ctp::ResampleSliceStack(stack, g, grid, ctp::StackMapping::Physical, -1024);
  size_t     inside = 0;
  for (itk::ImageRegionConstIterator<ctp::HUImageType> it(out, out->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    if (it.Get() == -1024)
    {
      continue; // outside the tilted slab
    }
    ++inside;
    ctp::HUImageType::PointType p;
    out->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    EXPECT_NEAR(it.Get(), Linear(p[0], p[1], p[2]), 1.01) << it.GetIndex();
  }
  EXPECT_GT(inside, out->GetLargestPossibleRegion().GetNumberOfPixels() / 2);
}
