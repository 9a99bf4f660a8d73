#include "ctpChestPhantomWriter.h"
#include "ctpDicomSeriesReader.h"
#include "ctpDicomFileInfo.h"
#include "ctpError.h"
#include "ctpGantryTiltedSlices.h"

#include "itkImageFileReader.h"
#include "itkImageRegionConstIterator.h"
#include "itkImageRegionConstIteratorWithIndex.h"
#include "itkImageRegionIteratorWithIndex.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
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

TEST(ChestPhantom, ExtraSlicesKeepTheScannedSlices)
{
  auto p = SmallParameters();
  p.Slices = 10;
  auto extended = p;
  extended.ExtraSlices = 3;
  const auto   a = ctp::ChestPhantom(p).Generate();
  const auto   b = ctp::ChestPhantom(extended).Generate();
  const size_t slice = size_t(p.Matrix) * p.Matrix;
  ASSERT_EQ(b.HU->GetLargestPossibleRegion().GetSize()[2], 16u);
  ctp::HUImageType::IndexType third{ { 0, 0, 3 } };
  ctp::HUImageType::PointType at;
  b.HU->TransformIndexToPhysicalPoint(third, at);
  EXPECT_EQ(at, a.HU->GetOrigin()) << "slice 3 of the extended phantom is slice 0 of the scanned length";
  EXPECT_TRUE(
    std::equal(a.HU->GetBufferPointer(), a.HU->GetBufferPointer() + 10 * slice, b.HU->GetBufferPointer() + 3 * slice))
    << "same anatomy and noise in the scanned length";
  EXPECT_TRUE(std::equal(
    a.Lungs->GetBufferPointer(), a.Lungs->GetBufferPointer() + 10 * slice, b.Lungs->GetBufferPointer() + 3 * slice));
}

/** Tilted slices of a volume holding a linear function of position: trilinear sampling is exact. */
TEST(GantryTiltedSlices, SampleTheVolumeAtEachPixelsPhysicalPoint)
{
  const double tilt = 15.0;
  const double t = tilt * 3.14159265358979323846 / 180.0;
  auto         grid = ctp::HUImageType::New();
  grid->SetRegions(ctp::HUImageType::SizeType{ { 32, 32, 6 } });
  ctp::HUImageType::SpacingType spacing;
  spacing[0] = 2.0;
  spacing[1] = 2.0;
  spacing[2] = 5.0;
  grid->SetSpacing(spacing);
  ctp::HUImageType::PointType origin;
  origin[0] = -31.0;
  origin[1] = -31.0;
  origin[2] = -100.0;
  grid->SetOrigin(origin);
  grid->Allocate();

  const unsigned int extra = ctp::ExtraSlicesForGantryTilt(32, 2.0, 5.0, tilt);
  EXPECT_EQ(extra, 3u); // 15.5 x 2 mm x sin 15 = 8.0 mm: two slices of 5 mm, one more for interpolation
  auto volume = ctp::HUImageType::New();
  volume->SetRegions(ctp::HUImageType::SizeType{ { 32, 32, 6 + 2 * extra } });
  volume->SetSpacing(spacing);
  origin[2] -= extra * spacing[2];
  volume->SetOrigin(origin);
  volume->Allocate();
  const auto f = [](const ctp::HUImageType::PointType & p) { return 2.0 * p[1] + 4.0 * p[2] + p[0]; };
  for (itk::ImageRegionIteratorWithIndex<ctp::HUImageType> it(volume, volume->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    ctp::HUImageType::PointType p;
    volume->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    it.Set(static_cast<ctp::HUPixelType>(f(p)));
  }

  const auto tilted = ctp::SampleGantryTiltedSlices(volume, grid, tilt);
  const auto d = tilted->GetDirection();
  EXPECT_NEAR(d[0][0], 1.0, 1e-12) << "row unchanged";
  EXPECT_NEAR(d[1][1], std::cos(t), 1e-12) << "column turned about x";
  EXPECT_NEAR(d[2][1], std::sin(t), 1e-12);
  EXPECT_NEAR(d[2][2], 1.0, 1e-12) << "the table moves along z";
  EXPECT_EQ(tilted->GetSpacing(), grid->GetSpacing());
  // Each slice turns about the centre of its grid slice: x and y of ImagePositionPatient are fixed,
  // z advances by the table step.
  for (long k = 0; k < 6; ++k)
  {
    ctp::HUImageType::PointType first;
    ctp::HUImageType::PointType centre;
    ctp::HUImageType::PointType gridCentre;
    tilted->TransformIndexToPhysicalPoint({ { 0, 0, k } }, first);
    itk::ContinuousIndex<double, 3> middle;
    middle[0] = middle[1] = 15.5;
    middle[2] = double(k);
    tilted->TransformContinuousIndexToPhysicalPoint(middle, centre);
    grid->TransformContinuousIndexToPhysicalPoint(middle, gridCentre);
    EXPECT_NEAR(first[0], -31.0, 1e-9);
    EXPECT_NEAR(first[1], -15.5 * 2.0 * std::cos(t), 1e-9);
    EXPECT_NEAR(first[2], -100.0 + 5.0 * k - 15.5 * 2.0 * std::sin(t), 1e-9);
    EXPECT_LT(centre.EuclideanDistanceTo(gridCentre), 1e-9);
  }
  size_t inside = 0;
  size_t wrong = 0;
  for (itk::ImageRegionConstIteratorWithIndex<ctp::HUImageType> it(tilted, tilted->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    const double di = it.GetIndex()[0] - 15.5;
    const double dj = it.GetIndex()[1] - 15.5;
    if (4.0 * (di * di + dj * dj) > 32.0 * 32.0)
    {
      wrong += it.Get() != ChestPhantomTissues::OutOfScan; // outside the field of view
      continue;
    }
    ++inside;
    ctp::HUImageType::PointType p;
    tilted->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    wrong += std::abs(it.Get() - f(p)) > 1.0; // rounding of the stored int16 values and of the result
  }
  EXPECT_GT(inside, 6u * 700u);
  EXPECT_EQ(wrong, 0u);
  EXPECT_THROW(ctp::SampleGantryTiltedSlices(volume, grid, 50.0), ctp::Error);
}

/** `ctprep phantom --quirk gantry-tilt`: the files say what a tilted Philips series says. */
TEST(ChestPhantom, GantryTiltQuirkWritesATiltedSeries)
{
  auto p = SmallParameters();
  p.Slices = 12;
  const fs::path              dir = TempDir("gantry-tilt");
  ctp::DicomSeriesDescription description;
  description.GantryDetectorTilt = -12.0;
  const auto   written = ctp::WriteChestPhantom(p, dir.string(), description, { "gantry-tilt" });
  const double t = -12.0 * 3.14159265358979323846 / 180.0;

  std::vector<ctp::DicomFileInfo> files;
  for (const auto & entry : fs::directory_iterator(written.DicomDirectory))
  {
    files.push_back(*ctp::ReadDicomFileInfo(entry.path().string()));
  }
  ASSERT_EQ(files.size(), 12u);
  std::sort(
    files.begin(), files.end(), [](const auto & a, const auto & b) { return a.InstanceNumber < b.InstanceNumber; });
  for (size_t k = 0; k < files.size(); ++k)
  {
    const auto & f = files[k];
    ASSERT_TRUE(f.GantryTilt);
    EXPECT_DOUBLE_EQ(*f.GantryTilt, -12.0);
    EXPECT_NEAR(f.ImageOrientationPatient[4], std::cos(t), 1e-6);
    EXPECT_NEAR(f.ImageOrientationPatient[5], std::sin(t), 1e-6);
    EXPECT_NEAR(f.ImagePositionPatient[0], files[0].ImagePositionPatient[0], 1e-6);
    EXPECT_NEAR(f.ImagePositionPatient[1], files[0].ImagePositionPatient[1], 1e-6);
    EXPECT_NEAR(f.ImagePositionPatient[2] - files[0].ImagePositionPatient[2], 5.0 * k, 1e-4);
  }
  std::ifstream  in(written.FactsFile);
  nlohmann::json facts = nlohmann::json::parse(in);
  EXPECT_EQ(facts["gantry_tilt_degrees"].get<double>(), -12.0);
  EXPECT_EQ(facts["slice_count"].get<unsigned>(), 12u) << "the truth stays on the table positions' grid";

  // CTPrep's reader sees the tilt from the geometry and corrects it.
  const auto loaded = ctp::ReadDicomSeries(written.DicomDirectory);
  EXPECT_TRUE(std::any_of(loaded.Decisions.begin(), loaded.Decisions.end(), [](const std::string & d) {
    return d.find("gantry tilt 12 degrees corrected") != std::string::npos;
  }));

  EXPECT_THROW(ctp::WriteChestPhantom(p, dir.string(), description, {}), ctp::Error) << "a tilt without the quirk";
  description.GantryDetectorTilt = 40.0;
  EXPECT_THROW(ctp::WriteChestPhantom(p, dir.string(), description, { "gantry-tilt" }), ctp::Error);
  fs::remove_all(dir);
}
