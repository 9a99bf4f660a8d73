#include "ctpChestPhantomWriter.h"
#include "ctpDicomSeriesReader.h"
#include "ctpError.h"

#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using ctp::ChestPhantomTissues;

namespace
{
ctp::ChestPhantomParameters
SmallParameters()
{
  ctp::ChestPhantomParameters p;
  p.Matrix = 96;
  p.Slices = 40;
  p.SliceSpacing = 5.0;
  p.Seed = 7;
  return p;
}

fs::path
TempDir(const std::string & name)
{
  const fs::path dir = fs::temp_directory_path() / ("ctp-phantom-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

ctp::HUImageType::IndexType
IndexOf(const ctp::HUImageType * image, double x, double y, double z)
{
  ctp::HUImageType::PointType point;
  point[0] = x;
  point[1] = y;
  point[2] = z;
  return image->TransformPhysicalPointToIndex(point);
}
} // namespace

TEST(ChestPhantom, AnatomyHasTheDocumentedValues)
{
  auto         p = SmallParameters();
  const auto   volumes = ctp::ChestPhantom(p).Generate();
  const auto * hu = volumes.HU.GetPointer();

  double                                            sumLung = 0.0;
  size_t                                            nLung = 0;
  size_t                                            right = 0;
  size_t                                            left = 0;
  size_t                                            boneBelow600 = 0;
  size_t                                            boneCount = 0;
  itk::ImageRegionConstIterator<ctp::HUImageType>   h(hu, hu->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<ctp::MaskImageType> l(volumes.Lungs, hu->GetLargestPossibleRegion());
  itk::ImageRegionConstIterator<ctp::MaskImageType> b(volumes.Bone, hu->GetLargestPossibleRegion());
  for (; !h.IsAtEnd(); ++h, ++l, ++b)
  {
    if (l.Get() != 0 && h.Get() < -700)
    {
      sumLung += h.Get();
      ++nLung;
    }
    right += l.Get() == 1;
    left += l.Get() == 2;
    if (b.Get() != 0)
    {
      ++boneCount;
      boneBelow600 += h.Get() < 600;
    }
  }
  ASSERT_GT(nLung, 1000u);
  EXPECT_NEAR(sumLung / nLung, ChestPhantomTissues::Lung, 3.0) << "lung parenchyma at -850 HU (noise sigma 10)";
  EXPECT_GT(right, left) << "the heart takes more of the left lung";
  EXPECT_GT(left, right / 2);
  ASSERT_GT(boneCount, 100u);
  EXPECT_EQ(boneBelow600, 0u) << "spine, ribs, sternum are 700..1300 HU";

  // Corner of the grid is outside the circular field of view: stored -2000 = -3024 HU.
  EXPECT_EQ(hu->GetPixel({ { 0, 0, 0 } }), -3024);

  // Both nodules lie in the lungs (their centres) and have nodule density.
  for (const auto & nodule : volumes.Nodules)
  {
    const auto index = IndexOf(hu, nodule.Center[0], nodule.Center[1], nodule.Center[2]);
    EXPECT_EQ(volumes.Lungs->GetPixel(index), nodule.Side == "right" ? 1 : 2) << nodule.Name;
    EXPECT_NEAR(hu->GetPixel(index), ChestPhantomTissues::Nodule, 50) << nodule.Name;
  }

  // The trachea leaves the top of the volume: air at its centre in the top slice.
  const auto                  size = hu->GetLargestPossibleRegion().GetSize();
  ctp::HUImageType::PointType top;
  hu->TransformIndexToPhysicalPoint({ { 0, 0, static_cast<itk::IndexValueType>(size[2] - 1) } }, top);
  const auto tracheaTop = IndexOf(hu, 0.0, -30.0, top[2]);
  EXPECT_EQ(volumes.Airways->GetPixel(tracheaTop), 1);
  EXPECT_LT(hu->GetPixel(tracheaTop), -900);

  // Along the midline below the spine: body, then air, then the table (shell and foam core), then air.
  const double z = -150.0;
  EXPECT_GT(hu->GetPixel(IndexOf(hu, 0.0, 105.0, z)), -200) << "posterior body wall";
  EXPECT_LT(hu->GetPixel(IndexOf(hu, 0.0, 120.0, z)), -900) << "air gap between body and table";
  EXPECT_GT(hu->GetPixel(IndexOf(hu, 0.0, 126.0, z)), 150) << "table shell";
  EXPECT_LT(hu->GetPixel(IndexOf(hu, 0.0, 131.0, z)), -900) << "table foam core";
}

TEST(ChestPhantom, SameSeedSameVolume)
{
  const auto   a = ctp::ChestPhantom(SmallParameters()).Generate();
  const auto   b = ctp::ChestPhantom(SmallParameters()).Generate();
  const size_t n = a.HU->GetLargestPossibleRegion().GetNumberOfPixels();
  EXPECT_TRUE(std::equal(a.HU->GetBufferPointer(), a.HU->GetBufferPointer() + n, b.HU->GetBufferPointer()));
}

TEST(ChestPhantom, RejectsParametersOutOfRange)
{
  auto p = SmallParameters();
  p.Slices = 1;
  EXPECT_THROW(ctp::ChestPhantom(p).Generate(), ctp::Error);
  p = SmallParameters();
  p.SliceSpacing = 0.0;
  EXPECT_THROW(ctp::ChestPhantom(p).Generate(), ctp::Error);
}

/** Written as DICOM and read back by ITK: same geometry, same HU in every voxel. */
void
ExpectRoundTrip(const ctp::ChestPhantomParameters & p, const std::string & name)
{
  const fs::path dir = TempDir(name);
  const auto     written = ctp::WriteChestPhantom(p, dir.string());
  const auto     expected = ctp::ChestPhantom(p).Generate();
  const auto     loaded = ctp::ReadDicomSeries(written.DicomDirectory);
  const auto *   image = loaded.Image.GetPointer();
  const auto *   truth = expected.HU.GetPointer();

  ASSERT_EQ(image->GetLargestPossibleRegion().GetSize(), truth->GetLargestPossibleRegion().GetSize());
  for (unsigned int i = 0; i < 3; ++i)
  {
    EXPECT_NEAR(image->GetSpacing()[i], truth->GetSpacing()[i], 1e-4) << "spacing " << i;
    EXPECT_NEAR(image->GetOrigin()[i], truth->GetOrigin()[i], 1e-3) << "origin " << i;
    for (unsigned int j = 0; j < 3; ++j)
    {
      EXPECT_NEAR(image->GetDirection()[i][j], truth->GetDirection()[i][j], 1e-6) << "direction " << i << j;
    }
  }
  const size_t n = truth->GetLargestPossibleRegion().GetNumberOfPixels();
  size_t       different = 0;
  for (size_t v = 0; v < n; ++v)
  {
    // Out-of-scan padding (stored -2000, -3024 HU) and anything below air is read back as air.
    const auto expected = std::max<ctp::HUPixelType>(truth->GetBufferPointer()[v], ctp::AirHU);
    different += image->GetBufferPointer()[v] != expected;
  }
  EXPECT_EQ(different, 0u) << "HU read back through GDCM's rescale differ from those written";

  // facts.json: lung volume = mask voxel count x voxel volume, from the mask file itself.
  std::ifstream  in(written.FactsFile);
  nlohmann::json facts = nlohmann::json::parse(in);
  auto           reader = itk::ImageFileReader<ctp::MaskImageType>::New();
  reader->SetFileName((fs::path(written.TruthDirectory) / "lungs.nrrd").string());
  reader->Update();
  size_t lungVoxels = 0;
  for (itk::ImageRegionConstIterator<ctp::MaskImageType> it(reader->GetOutput(),
                                                            reader->GetOutput()->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    lungVoxels += it.Get() != 0;
  }
  const auto   sp = reader->GetOutput()->GetSpacing();
  const double voxelMl = sp[0] * sp[1] * sp[2] / 1000.0;
  EXPECT_NEAR(facts["lung_volume_ml"].get<double>(), lungVoxels * voxelMl, 1e-9 * lungVoxels);
  EXPECT_EQ(facts["slice_count"].get<unsigned>(), p.Slices);
  EXPECT_EQ(reader->GetOutput()->GetOrigin(), truth->GetOrigin());
  fs::remove_all(dir);
}

TEST(ChestPhantom, DicomRoundTripHeadFirst)
{
  ExpectRoundTrip(SmallParameters(), "head-first");
}

TEST(ChestPhantom, DicomRoundTripFeetFirst)
{
  auto p = SmallParameters();
  p.FeetFirst = true;
  p.Slices = 12;
  ExpectRoundTrip(p, "feet-first");
}
