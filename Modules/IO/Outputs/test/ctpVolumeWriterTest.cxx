#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpVolumeWriter.h"

#include "itkImageFileReader.h"
#include "itkImageRegionIterator.h"
#include "itkMetaDataObject.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
ctp::HUImageType::Pointer
MakeImage()
{
  auto                            image = ctp::HUImageType::New();
  ctp::HUImageType::SizeType      size{ { 4, 3, 2 } };
  ctp::HUImageType::SpacingType   spacing;
  ctp::HUImageType::PointType     origin;
  ctp::HUImageType::DirectionType direction;
  spacing[0] = 0.5;
  spacing[1] = 0.75;
  spacing[2] = 2.5;
  origin[0] = -10.0;
  origin[1] = 20.0;
  origin[2] = -300.0;
  direction.SetIdentity();
  direction[2][2] = -1.0; // feet-first stacks slices downwards
  image->SetRegions(size);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->SetDirection(direction);
  image->Allocate();
  int v = -1024;
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    it.Set(static_cast<ctp::HUPixelType>(v));
    v += 100;
  }
  itk::EncapsulateMetaData<std::string>(image->GetMetaDataDictionary(), "0010|0010", "DOE^JANE");
  return image;
}

std::string
ReadAll(const fs::path & path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path
TempDir()
{
  const fs::path dir = fs::temp_directory_path() / ("ctp-outputs-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}
} // namespace

TEST(VolumeWriter, NrrdRoundTripKeepsGeometryAndValuesAndDropsPatientData)
{
  const fs::path dir = TempDir();
  const auto     image = MakeImage();
  const fs::path path = dir / "hu.nrrd";
  ctp::WriteVolume(image.GetPointer(), path.string());

  auto reader = itk::ImageFileReader<ctp::HUImageType>::New();
  reader->SetFileName(path.string());
  reader->Update();
  const auto * out = reader->GetOutput();
  EXPECT_EQ(out->GetLargestPossibleRegion(), image->GetLargestPossibleRegion());
  EXPECT_EQ(out->GetSpacing(), image->GetSpacing());
  EXPECT_EQ(out->GetOrigin(), image->GetOrigin());
  EXPECT_EQ(out->GetDirection(), image->GetDirection());
  EXPECT_EQ(out->GetPixel({ { 3, 2, 1 } }), image->GetPixel({ { 3, 2, 1 } }));
  EXPECT_EQ(ReadAll(path).find("DOE^JANE"), std::string::npos) << "patient name leaked into the NRRD header";
  for (const auto & entry : fs::directory_iterator(dir))
  {
    EXPECT_EQ(entry.path().filename().string().rfind(ctp::TemporaryFilePrefix, 0), std::string::npos);
  }
  fs::remove_all(dir);
}

TEST(VolumeWriter, KeepPatientDataIsAnOptIn)
{
  const fs::path          dir = TempDir();
  const fs::path          path = dir / "hu_phi.nrrd";
  ctp::VolumeWriteOptions options;
  options.KeepPatientData = true;
  ctp::WriteVolume(MakeImage().GetPointer(), path.string(), options);
  EXPECT_NE(ReadAll(path).find("DOE^JANE"), std::string::npos);
  fs::remove_all(dir);
}

TEST(VolumeWriter, UnwritableFolderIsAnOutputError)
{
  try
  {
    ctp::WriteVolume(MakeImage().GetPointer(), "/proc/ctp-no-such-dir/hu.nrrd");
    FAIL() << "expected ctp::Error";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::OutputNotWritable);
    EXPECT_NE(std::string(e.what()).find("/proc/ctp-no-such-dir/hu.nrrd"), std::string::npos);
  }
}
