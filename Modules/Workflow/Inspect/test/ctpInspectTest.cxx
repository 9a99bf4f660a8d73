#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpInspect.h"

#include "itkImageFileReader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
class InspectPhantom : public testing::Test
{
protected:
  static void
  SetUpTestSuite()
  {
    s_Dir = fs::temp_directory_path() / ("ctp-inspect-" + std::to_string(::getpid()));
    fs::remove_all(s_Dir);
    ctp::ChestPhantomParameters p;
    p.Matrix = 64;
    p.Slices = 12;
    p.SliceSpacing = 5.0;
    s_Phantom = ctp::WriteChestPhantom(p, s_Dir.string());
  }
  static void
  TearDownTestSuite()
  {
    fs::remove_all(s_Dir);
  }
  static fs::path                 s_Dir;
  static ctp::WrittenChestPhantom s_Phantom;
};
fs::path                 InspectPhantom::s_Dir;
ctp::WrittenChestPhantom InspectPhantom::s_Phantom;

std::string
ValueOf(const nlohmann::json & result, const std::string & keyword)
{
  for (const auto & e : result["elements"])
  {
    if (e["keyword"] == keyword)
    {
      return e["value"];
    }
  }
  return "<absent>";
}
} // namespace

TEST_F(InspectPhantom, FolderListsTheSeriesWithItsGeometry)
{
  ctp::InspectOptions options;
  options.Path = s_Dir.string();
  const auto result = ctp::Inspect(options);
  EXPECT_EQ(result["kind"], "folder");
  ASSERT_EQ(result["series"].size(), 1u);
  const auto & s = result["series"][0];
  EXPECT_EQ(s["files"], 12);
  EXPECT_EQ(s["modality"], "CT");
  EXPECT_EQ(s["matrix"], nlohmann::json({ 64, 64 }));
  EXPECT_NEAR(s["pixel_spacing_mm"][0].get<double>(), 360.0 / 64, 1e-9);
  EXPECT_NEAR(s["slice_spacing_mm"].get<double>(), 5.0, 1e-6);
  EXPECT_EQ(s["orientation"], "axial");
  EXPECT_TRUE(s["default"].get<bool>());
  EXPECT_EQ(result["skipped_files"]["not_dicom"], 5) << "the truth folder: 4 NRRD masks and facts.json";
  const std::string text = ctp::FormatInspection(result);
  EXPECT_NE(text.find("12 files examined") == std::string::npos ? text.find("17 files examined") : 0, std::string::npos)
    << text;
  EXPECT_NE(text.find("[chosen by ctprep run]"), std::string::npos) << text;
}

TEST_F(InspectPhantom, FileElementsRedactedUnlessAskedFor)
{
  ctp::InspectOptions options;
  options.Path = s_Phantom.DicomDirectory + "/slice_0003.dcm";
  auto result = ctp::Inspect(options);
  EXPECT_EQ(result["kind"], "file");
  EXPECT_EQ(result["pixel_matrix"]["shape"], nlohmann::json({ 1, 64, 64 }));
  EXPECT_EQ(ValueOf(result, "Modality"), "CT");
  EXPECT_EQ(ValueOf(result, "RescaleIntercept"), "-1024");
  EXPECT_EQ(ValueOf(result, "InstanceNumber"), "3");
  // The library names the parameter; the application spells it as its flag (--keep-phi).
  EXPECT_EQ(ValueOf(result, "PatientName"), "<redacted: keep_phi shows it>");
  EXPECT_EQ(result.dump().find("CTPREP^PHANTOM"), std::string::npos);
  EXPECT_EQ(result.dump().find("CTP-PHANTOM-0001"), std::string::npos);
  EXPECT_EQ(result.dump().find("CTPrep Synthetic Hospital"), std::string::npos);
  options.KeepPatientData = true;
  result = ctp::Inspect(options);
  EXPECT_EQ(ValueOf(result, "PatientName"), "CTPREP^PHANTOM");
}

TEST_F(InspectPhantom, GroupAndTagSelectElements)
{
  ctp::InspectOptions options;
  options.Path = s_Phantom.DicomDirectory + "/slice_0001.dcm";
  options.Group = "Patient";
  auto result = ctp::Inspect(options);
  for (const auto & e : result["elements"])
  {
    EXPECT_NE(e["keyword"].get<std::string>().find("Patient"), std::string::npos) << e;
  }
  EXPECT_NE(ValueOf(result, "ImagePositionPatient"), "<absent>");

  options.Group.clear();
  for (const std::string tag : { "0028,0030", "(0028,0030)", "00280030", "PixelSpacing" })
  {
    options.Tag = tag;
    result = ctp::Inspect(options);
    ASSERT_EQ(result["elements"].size(), 1u) << tag;
    EXPECT_EQ(result["elements"][0]["tag"], "(0028,0030)");
    EXPECT_EQ(result["elements"][0]["vr"], "DS");
  }
  options.Tag = "NoSuchKeyword";
  EXPECT_THROW(ctp::Inspect(options), ctp::Error);
  options.Tag = "0018,1120"; // GantryDetectorTilt: not in the phantom
  try
  {
    ctp::Inspect(options);
    FAIL();
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
    EXPECT_NE(std::string(e.what()).find("has no element (0018,1120)"), std::string::npos) << e.what();
  }
}

TEST_F(InspectPhantom, PngOfTheMiddleSlice)
{
  ctp::InspectOptions options;
  options.Path = s_Phantom.DicomDirectory;
  options.Png = (s_Dir / "slice.png").string();
  const auto result = ctp::Inspect(options);
  EXPECT_EQ(result["png"]["source"], s_Phantom.DicomDirectory + "/slice_0007.dcm");
  auto reader = itk::ImageFileReader<itk::Image<unsigned char, 2>>::New();
  reader->SetFileName(options.Png);
  reader->Update();
  EXPECT_EQ(reader->GetOutput()->GetLargestPossibleRegion().GetSize()[0], 64u);
  // Lung window -600/1500 maps -1350..150 HU to 0..255: air (-1000 HU) is 60, out of scan (-3024) 0.
  const auto * png = reader->GetOutput();
  EXPECT_EQ(png->GetPixel({ { 0, 0 } }), 0) << "out-of-scan corner";
  EXPECT_NEAR(png->GetPixel({ { 0, 32 } }), 60, 5) << "air at the edge of the field of view";
}
