// Surfaces of Lung-PET-CT-Dx A0001 series 2 (TCIA, CC BY 4.0) from `ctprep run`: in place over the
// volumes (bounding boxes within a voxel), lungs closed with the mask's volume. Skipped without
// ../shared/data.
#include "ctpLungMaskImageFilter.h"
#include "ctpRunPipeline.h"
#include "ctpSurfaceExtractor.h"

#include "itkImageFileReader.h"
#include "itkImageRegionConstIteratorWithIndex.h"

#include <gtest/gtest.h>
#include <vtkSTLReader.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
template <typename TImage>
typename TImage::Pointer
Read(const fs::path & path)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(path.string());
  reader->Update();
  return reader->GetOutput();
}

template <typename TImage, typename TPredicate>
std::array<double, 6>
VoxelBounds(const TImage * image, TPredicate inside)
{
  std::array<double, 6> b{ 1e300, -1e300, 1e300, -1e300, 1e300, -1e300 };
  for (itk::ImageRegionConstIteratorWithIndex<TImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    if (!inside(it.GetIndex(), it.Get()))
    {
      continue;
    }
    typename TImage::PointType p;
    image->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    for (int a = 0; a < 3; ++a)
    {
      b[2 * a] = std::min(b[2 * a], p[a]);
      b[2 * a + 1] = std::max(b[2 * a + 1], p[a]);
    }
  }
  return b;
}

vtkSmartPointer<vtkPolyData>
ReadStl(const fs::path & path)
{
  auto reader = vtkSmartPointer<vtkSTLReader>::New();
  reader->SetFileName(path.string().c_str());
  reader->Update();
  return reader->GetOutput();
}
} // namespace

TEST(SurfacesRealData, LungPetCtDxA0001SurfacesOverlayTheVolume)
{
  const char *   env = std::getenv("CTP_SHARED_DATA");
  const fs::path series = fs::path(env ? env : CTP_SHARED_DATA_DIR) / "lung-pet-ct-dx" / "Lung_Dx-A0001" /
                          "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
  if (!fs::exists(series))
  {
    GTEST_SKIP() << "shared real data not found: " << series.string();
  }
  const fs::path  out = fs::temp_directory_path() / ("ctp-surfaces-a0001-" + std::to_string(::getpid()));
  ctp::RunOptions options;
  options.Input = series.string();
  options.OutputDirectory = out.string();
  options.Render = false;
  ctp::RunPipeline(options);

  const auto hu = Read<ctp::HUImageType>(out / "hu.nrrd");
  const auto mask = Read<ctp::MaskImageType>(out / "lungmask.nrrd");
  const auto spacing = hu->GetSpacing();

  const auto lungs = ReadStl(out / "lungs.stl");
  double     lb[6];
  lungs->GetBounds(lb);
  // The lungs with the dense tissue taken into them (labels 1, 2, 4, 5: A0001's tumour).
  auto       isLung = [](uint8_t v) { return v == 1 || v == 2 || v == 4 || v == 5; };
  const auto lungVoxels = VoxelBounds(mask.GetPointer(), [&](const auto &, uint8_t v) { return isLung(v); });
  // Within a voxel and a half: the windowed-sinc smoothing moves the sharp top of the tumour's region
  // (at the apex) 1.02 mm beyond the voxel centres.
  for (int a = 0; a < 3; ++a)
  {
    EXPECT_NEAR(lb[2 * a], lungVoxels[2 * a], 1.5 * spacing[a]) << "lungs axis " << a;
    EXPECT_NEAR(lb[2 * a + 1], lungVoxels[2 * a + 1], 1.5 * spacing[a]) << "lungs axis " << a;
  }
  EXPECT_EQ(ctp::OpenOrNonManifoldEdges(lungs), 0u) << "closed lung surface";
  size_t count = 0;
  for (size_t n = 0; n < mask->GetLargestPossibleRegion().GetNumberOfPixels(); ++n)
  {
    count += isLung(mask->GetBufferPointer()[n]);
  }
  const double maskMl = double(count) * spacing[0] * spacing[1] * spacing[2] / 1000.0;
  EXPECT_NEAR(ctp::EnclosedVolumeMl(lungs), maskMl, 0.03 * maskMl);

  // Bone: HU >= 400 inside the body (the table excluded), recomputed here from hu.nrrd.
  auto body = ctp::LungMaskImageFilter::New();
  body->SetInput(hu);
  body->ComputeBodyMaskOn();
  body->Update();
  const auto * bodyMask = body->GetBodyMask();
  const auto   bone = ReadStl(out / "bone.stl");
  double       bb[6];
  bone->GetBounds(bb);
  const auto boneVoxels = VoxelBounds(
    hu.GetPointer(), [&](const auto & index, short v) { return v >= 400 && bodyMask->GetPixel(index) != 0; });
  for (int a = 0; a < 3; ++a)
  {
    EXPECT_NEAR(bb[2 * a], boneVoxels[2 * a], spacing[a]) << "bone axis " << a;
    EXPECT_NEAR(bb[2 * a + 1], boneVoxels[2 * a + 1], spacing[a]) << "bone axis " << a;
  }
  fs::remove_all(out);
}
