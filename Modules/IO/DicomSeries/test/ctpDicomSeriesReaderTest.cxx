// Series discovery and reading on small synthetic series written by ctp::WriteDicomSeries, with the
// troubles of real folders made on purpose: odd names, junk files, missing slices, truncation, ...
#include "ctpDicomSeriesReader.h"
#include "ctpDicomSeriesWriter.h"
#include "ctpError.h"

#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
/** 32 x 24 x 8 volume, 0.7 x 0.7 x 2.5 mm, HU = 10 * k + i - j (k slice, i column, j row). */
ctp::HUImageType::Pointer
MakeVolume(unsigned int slices = 8, unsigned int columns = 32)
{
  auto                          image = ctp::HUImageType::New();
  ctp::HUImageType::SizeType    size{ { columns, 24, slices } };
  ctp::HUImageType::SpacingType spacing;
  ctp::HUImageType::PointType   origin;
  spacing[0] = spacing[1] = 0.7;
  spacing[2] = 2.5;
  origin[0] = -11.0;
  origin[1] = 7.5;
  origin[2] = -100.0;
  image->SetRegions(size);
  image->SetSpacing(spacing);
  image->SetOrigin(origin);
  image->Allocate();
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto index = it.GetIndex();
    it.Set(static_cast<ctp::HUPixelType>(10 * index[2] + index[0] - index[1]));
  }
  return image;
}

class SeriesFolder : public testing::Test
{
protected:
  void
  SetUp() override
  {
    m_Dir = fs::temp_directory_path() /
            ("ctp-series-" + std::string(testing::UnitTest::GetInstance()->current_test_info()->name()) + "-" +
             std::to_string(::getpid()));
    fs::remove_all(m_Dir);
    fs::create_directories(m_Dir);
  }
  void
  TearDown() override
  {
    fs::remove_all(m_Dir);
  }

  ctp::WrittenDicomSeries
  Write(const ctp::HUImageType * volume, const std::string & sub = "series", ctp::DicomSeriesDescription d = {})
  {
    return ctp::WriteDicomSeries(volume, (m_Dir / sub).string(), d);
  }

  ctp::ErrorKind
  KindOfReading(const fs::path & path, const ctp::SeriesReadOptions & options, std::string & message)
  {
    try
    {
      ctp::ReadDicomSeries(path.string(), options);
    }
    catch (const ctp::Error & e)
    {
      message = e.what();
      return e.Kind();
    }
    ADD_FAILURE() << "expected an error reading " << path;
    return ctp::ErrorKind::ProcessingFailed;
  }

  fs::path m_Dir;
};

void
ExpectSameVoxels(const ctp::HUImageType * a, const ctp::HUImageType * b)
{
  ASSERT_EQ(a->GetLargestPossibleRegion().GetSize(), b->GetLargestPossibleRegion().GetSize());
  const size_t n = a->GetLargestPossibleRegion().GetNumberOfPixels();
  EXPECT_TRUE(std::equal(a->GetBufferPointer(), a->GetBufferPointer() + n, b->GetBufferPointer()));
  for (unsigned int i = 0; i < 3; ++i)
  {
    EXPECT_NEAR(a->GetOrigin()[i], b->GetOrigin()[i], 1e-4);
    EXPECT_NEAR(a->GetSpacing()[i], b->GetSpacing()[i], 1e-4);
  }
}
} // namespace

TEST_F(SeriesFolder, AnyFileNamesAnyOrderJunkSkipped)
{
  const auto volume = MakeVolume();
  const auto written = Write(volume);
  // Shuffle the names (no extension, text order unrelated to position) and add junk files.
  std::vector<std::string> files = written.Files;
  std::mt19937             rng(5);
  std::shuffle(files.begin(), files.end(), rng);
  for (size_t n = 0; n < files.size(); ++n)
  {
    fs::rename(files[n], m_Dir / "series" / ("I" + std::to_string(10 * (n + 1))));
  }
  std::ofstream(m_Dir / "series" / "DIRFILE") << "PHILIPS DIRFILE, not DICOM";
  std::ofstream(m_Dir / "series" / "README.txt") << "notes";
  std::ofstream(m_Dir / "series" / "thumb.png") << "\x89PNG\r\n\x1a\n";
  fs::create_directories(m_Dir / "series" / "sub" / "deeper");
  fs::rename(m_Dir / "series" / "I30", m_Dir / "series" / "sub" / "deeper" / "I30");

  const auto loaded = ctp::ReadDicomSeries(m_Dir.string());
  ExpectSameVoxels(loaded.Image, volume);
  EXPECT_FALSE(loaded.Resampled);
  const auto scan = ctp::ScanDicomPath(m_Dir.string());
  EXPECT_EQ(scan.NonDicomFiles.size(), 3u);
  EXPECT_EQ(scan.Series.size(), 1u);
}

TEST_F(SeriesFolder, LargestSeriesChosenAndSelectable)
{
  ctp::DicomSeriesDescription small;
  small.SeriesNumber = 7;
  Write(MakeVolume(4), "a", small);
  Write(MakeVolume(8), "b");
  std::string note;
  const auto  scan = ctp::ScanDicomPath(m_Dir.string());
  EXPECT_EQ(ctp::ChooseSeries(scan, "", &note).Files.size(), 8u);
  EXPECT_NE(note.find("among 2 candidates"), std::string::npos) << note;
  EXPECT_EQ(ctp::ChooseSeries(scan, "7").Files.size(), 4u);
  std::string            message;
  ctp::SeriesReadOptions options;
  options.Series = "99";
  EXPECT_EQ(KindOfReading(m_Dir, options, message), ctp::ErrorKind::NoSeries);
  EXPECT_NE(message.find("found: 2 ("), std::string::npos) << "the candidates are listed: " << message;
}

TEST_F(SeriesFolder, LocalizerAndOtherModalitiesSetAside)
{
  Write(MakeVolume(8), "ct");
  ctp::DicomSeriesDescription scout;
  scout.ImageType = "ORIGINAL\\PRIMARY\\LOCALIZER";
  scout.SeriesNumber = 1;
  Write(MakeVolume(2), "scout", scout);
  ctp::DicomSeriesDescription mr;
  mr.Modality = "MR";
  mr.SeriesNumber = 3;
  Write(MakeVolume(12), "mr", mr);
  const auto loaded = ctp::ReadDicomSeries(m_Dir.string());
  EXPECT_EQ(loaded.Image->GetLargestPossibleRegion().GetSize(2), 8u) << "not the bigger MR series";
  std::string decisions;
  for (const auto & d : loaded.Decisions)
  {
    decisions += d + "\n";
  }
  EXPECT_NE(decisions.find("localizer"), std::string::npos) << decisions;
  EXPECT_NE(decisions.find("modality MR, not CT"), std::string::npos) << decisions;

  fs::remove_all(m_Dir / "ct");
  std::string message;
  EXPECT_EQ(KindOfReading(m_Dir, {}, message), ctp::ErrorKind::NoSeries);
  EXPECT_NE(message.find("no CT image series"), std::string::npos) << message;
}

TEST_F(SeriesFolder, MissingSliceIsResampledOntoTheOriginalGrid)
{
  const auto volume = MakeVolume(8);
  const auto written = Write(volume);
  fs::remove(written.Files[4]);
  const auto scan = ctp::ScanDicomPath(m_Dir.string());
  ASSERT_EQ(scan.Series.size(), 1u);
  EXPECT_EQ(scan.Series.front().Geometry->MissingSlices, 1u);

  const auto loaded = ctp::ReadDicomSeries(m_Dir.string());
  EXPECT_TRUE(loaded.Resampled);
  const auto * image = loaded.Image.GetPointer();
  ASSERT_EQ(image->GetLargestPossibleRegion().GetSize(), volume->GetLargestPossibleRegion().GetSize());
  EXPECT_NEAR(image->GetSpacing()[2], 2.5, 1e-6);
  EXPECT_NEAR(image->GetOrigin()[2], -100.0, 1e-6);
  // HU is linear in k, so linear interpolation restores the missing slice exactly.
  const size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  EXPECT_TRUE(std::equal(image->GetBufferPointer(), image->GetBufferPointer() + n, volume->GetBufferPointer()));

  ctp::SeriesReadOptions refuse;
  refuse.UnevenSpacing = ctp::UnevenSpacingPolicy::Refuse;
  std::string message;
  EXPECT_EQ(KindOfReading(m_Dir, refuse, message), ctp::ErrorKind::InvalidInput);
  EXPECT_NE(message.find("1 missing slice"), std::string::npos) << message;
}

TEST_F(SeriesFolder, PerSliceInterceptsGiveExactHU)
{
  const auto                  volume = MakeVolume(4);
  ctp::DicomSeriesDescription d;
  d.SliceRescaleIntercepts = { -1024.0, -1000.0, -1024.0, -990.0 };
  Write(volume, "series", d);
  const auto loaded = ctp::ReadDicomSeries(m_Dir.string());
  ExpectSameVoxels(loaded.Image, volume);
}

TEST_F(SeriesFolder, PaddingBecomesAir)
{
  auto volume = MakeVolume(3);
  volume->SetPixel({ { 0, 0, 1 } }, -3024); // stored -2000 with intercept -1024
  Write(volume);
  const auto loaded = ctp::ReadDicomSeries(m_Dir.string());
  EXPECT_EQ(loaded.Image->GetPixel({ { 0, 0, 1 } }), ctp::AirHU);
  EXPECT_EQ(loaded.Image->GetPixel({ { 1, 0, 1 } }), volume->GetPixel({ { 1, 0, 1 } }));
}

TEST_F(SeriesFolder, BrokenInputsGiveClearErrors)
{
  std::string message;
  // Empty folder, folder of text files.
  fs::create_directories(m_Dir / "empty");
  EXPECT_EQ(KindOfReading(m_Dir / "empty", {}, message), ctp::ErrorKind::NoDicom);
  fs::create_directories(m_Dir / "text");
  std::ofstream(m_Dir / "text" / "a.txt") << "hello";
  EXPECT_EQ(KindOfReading(m_Dir / "text", {}, message), ctp::ErrorKind::NoDicom);
  EXPECT_NE(message.find(m_Dir.string() + "/text"), std::string::npos) << message;
  // Missing path.
  EXPECT_EQ(KindOfReading(m_Dir / "nowhere", {}, message), ctp::ErrorKind::InvalidInput);

  // One slice only.
  const auto single = Write(MakeVolume(1), "single");
  EXPECT_EQ(KindOfReading(m_Dir / "single", {}, message), ctp::ErrorKind::InvalidInput);
  EXPECT_NE(message.find(single.Files.front()), std::string::npos) << message;
  EXPECT_NE(message.find("only one slice"), std::string::npos) << message;

  // Truncated pixel data in one file.
  const auto truncated = Write(MakeVolume(4), "truncated");
  fs::resize_file(truncated.Files[2], fs::file_size(truncated.Files[2]) - 100);
  EXPECT_EQ(KindOfReading(m_Dir / "truncated", {}, message), ctp::ErrorKind::InvalidInput);
  EXPECT_EQ(message.rfind(truncated.Files[2] + ": truncated pixel data", 0), 0u) << message;

  // Mixed matrix sizes in one series (same UID).
  ctp::DicomSeriesDescription d;
  d.SeriesInstanceUID = ctp::NewDicomUID();
  Write(MakeVolume(3, 32), "mixed", d);
  auto shifted = MakeVolume(3, 30);
  auto origin = shifted->GetOrigin();
  origin[2] += 50.0;
  shifted->SetOrigin(origin);
  Write(shifted, "mixed/other", d);
  EXPECT_EQ(KindOfReading(m_Dir / "mixed", {}, message), ctp::ErrorKind::InvalidInput);
  EXPECT_NE(message.find("mixed matrix sizes"), std::string::npos) << message;

  // Two copies of a slice position (two acquisitions in one series).
  ctp::DicomSeriesDescription twice;
  twice.SeriesInstanceUID = ctp::NewDicomUID();
  Write(MakeVolume(3), "twice/a", twice);
  Write(MakeVolume(3), "twice/b", twice);
  EXPECT_EQ(KindOfReading(m_Dir / "twice", {}, message), ctp::ErrorKind::InvalidInput);
  EXPECT_NE(message.find("share a position"), std::string::npos) << message;

  // A file that cannot be opened.
  EXPECT_THROW(ctp::ReadDicomFileInfo((m_Dir / "no-such-file").string()), ctp::Error);
}
