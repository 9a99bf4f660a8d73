// Surfaces on the chest phantom with a non-identity direction (feet-first: x and z axes reversed).
#include "ctpChestPhantom.h"
#include "ctpError.h"
#include "ctpItkToVtkImage.h"
#include "ctpSurfaceExtractor.h"

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionConstIteratorWithIndex.h"

#include <gtest/gtest.h>
#include <vtkMatrix3x3.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
struct Box
{
  double Low[3]{ 1e300, 1e300, 1e300 };
  double High[3]{ -1e300, -1e300, -1e300 };
};

/** Physical bounding box of the voxel centres where `inside` holds. */
template <typename TImage, typename TPredicate>
Box
VoxelBox(const TImage * image, TPredicate inside)
{
  Box box;
  for (itk::ImageRegionConstIteratorWithIndex<TImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    if (!inside(it.Get()))
    {
      continue;
    }
    typename TImage::PointType p;
    image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    for (int a = 0; a < 3; ++a)
    {
      box.Low[a] = std::min(box.Low[a], p[a]);
      box.High[a] = std::max(box.High[a], p[a]);
    }
  }
  return box;
}

void
ExpectBoxesMatch(vtkPolyData * mesh, const Box & voxels, const double * spacing, const char * what)
{
  double b[6];
  mesh->GetBounds(b);
  for (int a = 0; a < 3; ++a)
  {
    EXPECT_NEAR(b[2 * a], voxels.Low[a], spacing[a]) << what << " axis " << a << " low";
    EXPECT_NEAR(b[2 * a + 1], voxels.High[a], spacing[a]) << what << " axis " << a << " high";
  }
}

ctp::ChestPhantomVolumes
FeetFirstPhantom()
{
  ctp::ChestPhantomParameters p;
  p.Matrix = 128;
  p.Slices = 48;
  p.SliceSpacing = 3.0;
  p.FeetFirst = true;
  return ctp::ChestPhantom(p).Generate();
}
} // namespace

TEST(ItkToVtkImage, CarriesOriginSpacingDirectionAndPixels)
{
  const auto                                 phantom = FeetFirstPhantom();
  const ctp::ItkToVtkImage<ctp::HUImageType> view(phantom.HU);
  vtkImageData *                             image = view.GetOutput();
  for (int a = 0; a < 3; ++a)
  {
    EXPECT_DOUBLE_EQ(image->GetOrigin()[a], phantom.HU->GetOrigin()[a]);
    EXPECT_DOUBLE_EQ(image->GetSpacing()[a], phantom.HU->GetSpacing()[a]);
    for (int b = 0; b < 3; ++b)
    {
      EXPECT_DOUBLE_EQ(image->GetDirectionMatrix()->GetElement(a, b), phantom.HU->GetDirection()[a][b]);
    }
  }
  EXPECT_EQ(image->GetScalarComponentAsDouble(70, 50, 20, 0), phantom.HU->GetPixel({ { 70, 50, 20 } }));
  const auto                  m = ctp::IndexToPhysicalMatrix(phantom.HU.GetPointer());
  ctp::HUImageType::PointType p;
  phantom.HU->TransformIndexToPhysicalPoint({ { 3, 4, 5 } }, p);
  for (int r = 0; r < 3; ++r)
  {
    EXPECT_NEAR(m[r * 4] * 3 + m[r * 4 + 1] * 4 + m[r * 4 + 2] * 5 + m[r * 4 + 3], p[r], 1e-9);
  }
}

TEST(SurfaceExtractor, LungSurfaceIsClosedInPlaceWithTheMaskVolume)
{
  const auto   phantom = FeetFirstPhantom();
  const auto * mask = phantom.Lungs.GetPointer();
  const auto   surface = ctp::SurfaceExtractor::FromLabels(mask, { 1, 2 }, {});
  ASSERT_GT(surface.Triangles, 1000u);
  EXPECT_EQ(ctp::OpenOrNonManifoldEdges(surface.Mesh), 0u) << "every edge shared by exactly two triangles";

  size_t voxels = 0;
  for (itk::ImageRegionConstIterator<ctp::MaskImageType> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd();
       ++it)
  {
    voxels += it.Get() == 1 || it.Get() == 2;
  }
  const auto   s = mask->GetSpacing();
  const double maskMl = double(voxels) * s[0] * s[1] * s[2] / 1000.0;
  const double meshMl = ctp::EnclosedVolumeMl(surface.Mesh);
  EXPECT_NEAR(meshMl, maskMl, 0.03 * maskMl) << "enclosed volume within 3% of the mask's";
  EXPECT_GT(meshMl, 0.0) << "outward normals (a negative volume means inside out)";
  ExpectBoxesMatch(
    surface.Mesh, VoxelBox(mask, [](uint8_t v) { return v == 1 || v == 2; }), s.GetDataPointer(), "lungs");
}

TEST(SurfaceExtractor, BoneIsosurfaceInPlace)
{
  const auto          phantom = FeetFirstPhantom();
  ctp::SurfaceOptions options;
  options.SmoothingIterations = 0;
  const auto surface = ctp::SurfaceExtractor::FromHU(phantom.HU, 400.0, options);
  ASSERT_GT(surface.Triangles, 1000u);
  EXPECT_EQ(ctp::OpenOrNonManifoldEdges(surface.Mesh), 0u) << "padded: closed where bone meets the border";
  ExpectBoxesMatch(surface.Mesh,
                   VoxelBox(phantom.HU.GetPointer(), [](short v) { return v >= 400; }),
                   phantom.HU->GetSpacing().GetDataPointer(),
                   "bone");
}

TEST(SurfaceExtractor, BinaryStlWithLpsHeaderOrNothing)
{
  const auto     phantom = FeetFirstPhantom();
  const auto     surface = ctp::SurfaceExtractor::FromLabels(phantom.Lungs, { 1, 2 }, {});
  const fs::path dir = fs::temp_directory_path() / ("ctp-stl-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path path = dir / "lungs.stl";
  ctp::WriteStl(surface.Mesh, path.string(), "lungs");
  std::ifstream in(path, std::ios::binary);
  char          header[80];
  in.read(header, 80);
  EXPECT_EQ(std::string(header, 9), "SPACE=LPS");
  uint32_t count = 0;
  in.read(reinterpret_cast<char *>(&count), 4);
  EXPECT_EQ(count, surface.Triangles);
  EXPECT_EQ(fs::file_size(path), 84u + 50u * count);
  auto empty = vtkSmartPointer<vtkPolyData>::New();
  EXPECT_THROW(ctp::WriteStl(empty, (dir / "empty.stl").string(), "nothing"), ctp::Error);
  EXPECT_FALSE(fs::exists(dir / "empty.stl")) << "never a 0-triangle file";
  fs::remove_all(dir);
}
