#include "ctpError.h"
#include "ctpHounsfieldGuard.h"
#include "ctpVolumeFileReader.h"

#include "itkImageFileWriter.h"
#include "itkImageRegionIteratorWithIndex.h"
#include "itkVector.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
fs::path
TempDir()
{
  const auto dir = fs::temp_directory_path() / ("ctp_volumes_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

/** A small "chest": air (-1000) around a body of water (0) with lungs (-850), as TPixel with `offset`
 *  added, oblique direction and an odd origin. */
template <typename TPixel, unsigned int VDimension = 3>
typename itk::Image<TPixel, VDimension>::Pointer
Chest(double offset)
{
  using ImageType = itk::Image<TPixel, VDimension>;
  auto                         image = ImageType::New();
  typename ImageType::SizeType size;
  size.Fill(1);
  size[0] = 20;
  size[1] = 16;
  size[2] = 12;
  image->SetRegions(size);
  typename ImageType::SpacingType spacing;
  spacing.Fill(1.0);
  spacing[0] = 0.75;
  spacing[2] = 2.5;
  image->SetSpacing(spacing);
  typename ImageType::PointType origin;
  origin.Fill(0.0);
  origin[0] = -120.5;
  origin[1] = 33.25;
  origin[2] = -300.0;
  image->SetOrigin(origin);
  auto direction = image->GetDirection();
  direction.SetIdentity();
  direction[0][0] = std::cos(0.2);
  direction[1][0] = std::sin(0.2);
  direction[0][1] = -std::sin(0.2);
  direction[1][1] = std::cos(0.2);
  image->SetDirection(direction);
  image->Allocate();
  for (itk::ImageRegionIteratorWithIndex<ImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto i = it.GetIndex();
    const bool body = i[0] >= 3 && i[0] < 17 && i[1] >= 3 && i[1] < 13;
    const bool lung = body && i[0] >= 5 && i[0] < 15 && i[1] >= 5 && i[1] < 11;
    it.Set(static_cast<TPixel>((lung ? -850.0 : body ? 0.0 : -1000.0) + offset));
  }
  return image;
}

template <typename TImage>
void
Write(const TImage * image, const fs::path & path)
{
  auto writer = itk::ImageFileWriter<TImage>::New();
  writer->SetInput(image);
  writer->SetFileName(path.string());
  writer->Update();
}
} // namespace

TEST(VolumeFiles, MetaImageAndNiftiGiveTheirVoxelsAndGeometryInHU)
{
  const auto dir = TempDir();
  const auto truth = Chest<short>(0.0);
  for (const char * name : { "chest.mhd", "chest.nii.gz", "chest.nrrd" })
  {
    Write(truth.GetPointer(), dir / name);
    ASSERT_TRUE(ctp::IsVolumeFile((dir / name).string())) << name;
    const auto loaded = ctp::ReadVolumeFile((dir / name).string());
    EXPECT_EQ(loaded.Info.PixelType, "short") << name;
    EXPECT_EQ(loaded.Info.Size, (std::array<size_t, 3>{ 20, 16, 12 }));
    const auto * hu = loaded.Image.GetPointer();
    EXPECT_EQ(hu->GetPixel({ { 0, 0, 0 } }), -1000) << name;
    EXPECT_EQ(hu->GetPixel({ { 8, 8, 5 } }), -850) << name;
    for (unsigned int a = 0; a < 3; ++a)
    {
      EXPECT_NEAR(hu->GetOrigin()[a], truth->GetOrigin()[a], 1e-4) << name;
      EXPECT_NEAR(hu->GetSpacing()[a], truth->GetSpacing()[a], 1e-6) << name;
      for (unsigned int b = 0; b < 3; ++b)
      {
        EXPECT_NEAR(hu->GetDirection()[a][b], truth->GetDirection()[a][b], 1e-6) << name;
      }
    }
    EXPECT_NO_THROW(ctp::CheckHounsfieldUnits(ctp::SummarizeIntensities(hu), name));
  }
  EXPECT_FALSE(ctp::IsVolumeFile(dir.string())) << "a folder is DICOM input";
  EXPECT_EQ(ctp::VolumeFileStem("/d/1.3.6.1.4.1.14519.5.2.1.6279.6001.100.mhd"),
            "1.3.6.1.4.1.14519.5.2.1.6279.6001.100");
  EXPECT_EQ(ctp::VolumeFileStem("lung_001.nii.gz"), "lung_001");
  EXPECT_EQ(ctp::VolumeFileStem("CASE.NRRD"), "CASE");
  fs::remove_all(dir);
}

TEST(VolumeFiles, UnitsThatAreNotHUAreRefusedWithWhatWasSeen)
{
  const auto dir = TempDir();
  Write(Chest<unsigned short>(1024.0).GetPointer(), dir / "stored.mha");
  const auto stored = ctp::ReadVolumeFile((dir / "stored.mha").string());
  EXPECT_EQ(stored.Info.PixelType, "unsigned_short");
  try
  {
    ctp::CheckHounsfieldUnits(ctp::SummarizeIntensities(stored.Image), "stored.mha");
    ADD_FAILURE() << "HU + 1024 accepted";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("values 24 to 1024"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("hu_offset -1024"), std::string::npos) << e.what();
  }
  // With the offset the values are HU again, voxel for voxel.
  const auto shifted = ctp::ReadVolumeFile((dir / "stored.mha").string(), -1024.0);
  EXPECT_NO_THROW(ctp::CheckHounsfieldUnits(ctp::SummarizeIntensities(shifted.Image), "stored.mha"));
  EXPECT_EQ(shifted.Image->GetPixel({ { 8, 8, 5 } }), -850);
  // A windowed 8-bit picture: -1000..0 HU shown as 0..166.
  auto picture = ctp::ReadVolumeFile((dir / "stored.mha").string(), -1024.0);
  for (auto * v = picture.Image->GetBufferPointer(); v != picture.Image->GetBufferPointer() + 20 * 16 * 12; ++v)
  {
    *v = static_cast<ctp::HUPixelType>((*v + 1000) / 6);
  }
  try
  {
    ctp::CheckHounsfieldUnits(ctp::SummarizeIntensities(picture.Image), "picture.mha");
    ADD_FAILURE() << "a 0-255 picture accepted";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_NE(std::string(e.what()).find("8-bit picture"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(VolumeFiles, FourDimensionalAndVectorImagesAreRefused)
{
  const auto dir = TempDir();
  Write(Chest<short, 4>(0.0).GetPointer(), dir / "one-volume-4d.nii");
  EXPECT_NO_THROW(ctp::ReadVolumeFileInfo((dir / "one-volume-4d.nii").string())) << "a 4-D file of one volume is one";
  using SeriesImage = itk::Image<short, 4>;
  auto series = SeriesImage::New();
  series->SetRegions(SeriesImage::SizeType{ { 4, 4, 4, 2 } });
  series->Allocate(true);
  Write(series.GetPointer(), dir / "two-volumes.nii");
  EXPECT_THROW(ctp::ReadVolumeFileInfo((dir / "two-volumes.nii").string()), ctp::Error);
  using VectorImage = itk::Image<itk::Vector<float, 3>, 3>;
  auto vectors = VectorImage::New();
  vectors->SetRegions(VectorImage::SizeType{ { 4, 4, 4 } });
  vectors->Allocate(true);
  Write(vectors.GetPointer(), dir / "vectors.mha");
  EXPECT_THROW(ctp::ReadVolumeFileInfo((dir / "vectors.mha").string()), ctp::Error);
  EXPECT_THROW(ctp::ReadVolumeFileInfo((dir / "missing.mha").string()), ctp::Error);
  std::ofstream((dir / "garbage.nii.gz").string()) << "not a volume";
  EXPECT_THROW(ctp::ReadVolumeFileInfo((dir / "garbage.nii.gz").string()), ctp::Error);
  fs::remove_all(dir);
}
