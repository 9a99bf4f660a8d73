// Tests on the public real CT data in ../shared/data (sources and licenses in its README.md):
// Lung-PET-CT-Dx (TCIA, CC BY 4.0), dcm_qa_ct and dcm_qa_ts (dcm2niix regression data, BSD-2),
// pydicom test slices (MIT). Each test is skipped, naming the path, on a machine without them.
#include "ctpDicomFileInfo.h"
#include "ctpDicomSeriesReader.h"
#include "ctpDicomSliceStackSource.h"
#include "ctpError.h"

#include "gdcmImageReader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

namespace fs = std::filesystem;

namespace
{
fs::path
SharedData()
{
  const char * env = std::getenv("CTP_SHARED_DATA");
  return fs::path(env != nullptr ? env : CTP_SHARED_DATA_DIR);
}

#define CTP_REQUIRE_SHARED_DATA(relative)                                                                              \
  if (!fs::exists(SharedData() / (relative)))                                                                          \
  {                                                                                                                    \
    GTEST_SKIP() << "shared real data not found: " << (SharedData() / (relative)).string()                             \
                 << " (set CTP_SHARED_DATA to the folder holding lung-pet-ct-dx/)";                                    \
  }

const fs::path A0001Study = fs::path("lung-pet-ct-dx") / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990";
const fs::path A0002Study =
  fs::path("lung-pet-ct-dx") / "Lung_Dx-A0002" / "04-25-2007-NA-ThoraxAThoraxRoutine Adult-34834";
const fs::path GE = fs::path("dcm_qa_ct") / "In" / "GE";
const fs::path Philips = fs::path("dcm_qa_ct") / "In" / "Philips" / "S21610";
const fs::path TransferSyntaxes = fs::path("transfer-syntaxes");

/** The direction's columns are orthonormal. */
void
ExpectOrthonormal(const ctp::HUImageType::DirectionType & d)
{
  for (unsigned int a = 0; a < 3; ++a)
  {
    for (unsigned int b = 0; b < 3; ++b)
    {
      double dot = 0.0;
      for (unsigned int r = 0; r < 3; ++r)
      {
        dot += d[r][a] * d[r][b];
      }
      EXPECT_NEAR(dot, a == b ? 1.0 : 0.0, 1e-9) << "direction columns " << a << ", " << b;
    }
  }
}

/** Stored values of one file read with GDCM alone (no ITK), as int32. */
std::vector<int32_t>
StoredValues(const std::string & path, unsigned int & rows, unsigned int & columns)
{
  gdcm::ImageReader reader;
  reader.SetFileName(path.c_str());
  EXPECT_TRUE(reader.Read()) << path;
  const gdcm::Image & image = reader.GetImage();
  columns = image.GetDimension(0);
  rows = image.GetDimension(1);
  std::vector<char> buffer(image.GetBufferLength());
  image.GetBuffer(buffer.data());
  const auto           format = image.GetPixelFormat();
  std::vector<int32_t> values(size_t(rows) * columns);
  for (size_t n = 0; n < values.size(); ++n)
  {
    if (format.GetPixelRepresentation() == 1)
    {
      values[n] = reinterpret_cast<const int16_t *>(buffer.data())[n];
    }
    else
    {
      values[n] = reinterpret_cast<const uint16_t *>(buffer.data())[n];
    }
  }
  return values;
}
} // namespace

// A0001 study folder: two reconstructions of one scan; one is chosen, never mixed.
TEST(DicomSeriesRealData, LungPetCtDxA0001StudyFolder)
{
  CTP_REQUIRE_SHARED_DATA(A0001Study);
  const auto scan = ctp::ScanDicomPath((SharedData() / A0001Study).string());
  size_t     candidates = 0;
  for (const auto & series : scan.Series)
  {
    candidates += series.IsCandidate();
  }
  EXPECT_EQ(candidates, 2u);

  const auto loaded = ctp::ReadDicomSeries((SharedData() / A0001Study).string());
  EXPECT_EQ(loaded.Series.SeriesNumber, "2") << "equal sizes: the lower series number is the default";
  const auto * image = loaded.Image.GetPointer();
  const auto   size = image->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(size[0], 512u);
  EXPECT_EQ(size[1], 512u);
  EXPECT_EQ(size[2], 64u);
  EXPECT_NEAR(image->GetSpacing()[0], 0.841796875, 1e-9);
  EXPECT_NEAR(image->GetSpacing()[1], 0.841796875, 1e-9);
  EXPECT_NEAR(image->GetSpacing()[2], 5.0, 1e-6);
  EXPECT_NEAR(image->GetOrigin()[0], -228.036842, 1e-5);
  EXPECT_NEAR(image->GetOrigin()[1], -93.0631599, 1e-5);
  EXPECT_NEAR(image->GetOrigin()[2], -439.0, 1e-5);
  EXPECT_FALSE(loaded.Resampled);

  // Every voxel: stored x slope + intercept from GDCM's raw buffer and the file's own tags.
  size_t compared = 0;
  size_t different = 0;
  for (size_t k = 0; k < loaded.Series.Files.size(); ++k)
  {
    const auto & file = loaded.Series.Files[k];
    unsigned int rows = 0;
    unsigned int columns = 0;
    const auto   stored = StoredValues(file.Path, rows, columns);
    ASSERT_EQ(rows, 512u);
    const ctp::HUPixelType * slice = image->GetBufferPointer() + k * size_t(rows) * columns;
    for (size_t n = 0; n < stored.size(); ++n)
    {
      const double hu = std::max(-1024.0, stored[n] * file.RescaleSlope + file.RescaleIntercept);
      different += slice[n] != static_cast<ctp::HUPixelType>(hu);
      ++compared;
    }
  }
  EXPECT_EQ(compared, 512u * 512u * 64u);
  EXPECT_EQ(different, 0u);
}

TEST(DicomSeriesRealData, LungPetCtDxA0002FolderNamesWithDoubleSpaces)
{
  CTP_REQUIRE_SHARED_DATA(A0002Study);
  const auto loaded = ctp::ReadDicomSeries((SharedData() / A0002Study).string(), { "3" });
  EXPECT_EQ(loaded.Image->GetLargestPossibleRegion().GetSize(2), 30u);
  EXPECT_NEAR(loaded.Image->GetSpacing()[2], 8.0, 1e-6);
  EXPECT_NE(loaded.Series.Files.front().Path.find("ThoraxRoutine  8.0.0  B40f"), std::string::npos);
}

// GE HiSpeed head CT: 18.5 degree tilt and spacing 4 mm, one 1.08 mm step, then 7 mm.
TEST(DicomSeriesRealData, GeTiltAndUnevenSpacingCorrected)
{
  CTP_REQUIRE_SHARED_DATA(GE);
  const auto   scan = ctp::ScanDicomPath((SharedData() / GE).string());
  const auto & series = ctp::ChooseSeries(scan, "");
  ASSERT_TRUE(series.Geometry);
  const auto & g = *series.Geometry;
  EXPECT_EQ(series.Files.size(), 28u);
  EXPECT_NEAR(g.TiltDegrees, 18.5, 0.05);
  EXPECT_TRUE(g.Tilted);
  EXPECT_FALSE(g.Uniform());
  EXPECT_NEAR(g.MinStep, 1.08, 0.01) << "the shortest inter-slice distance, along the normal";
  EXPECT_NEAR(g.MaxStep, 7.0, 0.01);

  const auto loaded = ctp::ReadDicomSeries((SharedData() / GE).string());
  EXPECT_TRUE(loaded.Resampled);
  const auto * image = loaded.Image.GetPointer();
  ExpectOrthonormal(image->GetDirection());
  // The slice axis runs along the line through the first and last slice positions, both grid
  // planes, and far enough beyond them to hold every pixel of every slice.
  const auto & first = g.Positions.front();
  const auto & last = g.Positions.back();
  const auto   size = image->GetLargestPossibleRegion().GetSize();
  double       w[3];
  double       length = 0.0;
  for (unsigned int r = 0; r < 3; ++r)
  {
    w[r] = last[r] - first[r];
    length += w[r] * w[r];
  }
  length = std::sqrt(length);
  for (unsigned int r = 0; r < 3; ++r)
  {
    EXPECT_NEAR(image->GetDirection()[r][2], w[r] / length, 1e-9);
  }
  const double step = image->GetSpacing()[2];
  const double planes = length / step;
  EXPECT_NEAR(planes, std::round(planes), 1e-6) << "the last slice position on a plane";
  auto         along = [&](const double * p) { return (p[0] * w[0] + p[1] * w[1] + p[2] * w[2]) / length; };
  const double originAlong = along(image->GetOrigin().GetDataPointer());
  const double before = (along(first.data()) - originAlong) / step;
  EXPECT_NEAR(before, std::round(before), 1e-6) << "the first slice position on a plane";
  const double endAlong = originAlong + step * double(size[2] - 1);
  const double columnAlong = (g.Column[0] * w[0] + g.Column[1] * w[1] + g.Column[2] * w[2]) / length;
  const double reach = double(g.Rows - 1) * g.InPlaneSpacing[1] * columnAlong; // last row vs first pixel
  const double lowest = along(first.data()) + std::min(0.0, reach);
  const double highest = along(last.data()) + std::max(0.0, reach);
  EXPECT_LE(originAlong, lowest + 1e-6) << "every pixel inside the grid";
  EXPECT_GE(endAlong, highest - 1e-6);
  EXPECT_LT(lowest - originAlong, step) << "not a plane more than needed";
  EXPECT_LT(endAlong - highest, step);
  bool reportedTilt = false;
  for (const auto & decision : loaded.Decisions)
  {
    reportedTilt = reportedTilt || decision.find("gantry tilt 18.5 degrees corrected") != std::string::npos;
  }
  EXPECT_TRUE(reportedTilt);
  bool reportedSpacing = false;
  for (const auto & warning : loaded.Warnings)
  {
    reportedSpacing = reportedSpacing || warning.find("uneven step") != std::string::npos;
  }
  EXPECT_TRUE(reportedSpacing);

  ctp::SeriesReadOptions refuse;
  refuse.UnevenSpacing = ctp::UnevenSpacingPolicy::Refuse;
  EXPECT_THROW(ctp::ReadDicomSeries((SharedData() / GE).string(), refuse), ctp::Error);
}

// Philips: localizer and exam summary set aside, DIRFILEs skipped, two tilted series kept apart.
TEST(DicomSeriesRealData, PhilipsFolderOfSeries)
{
  CTP_REQUIRE_SHARED_DATA(Philips);
  const auto scan = ctp::ScanDicomPath((SharedData() / Philips).string());
  auto       skipped = scan.NonDicomFiles;
  skipped.insert(skipped.end(), scan.NonImageFiles.begin(), scan.NonImageFiles.end());
  skipped.insert(skipped.end(), scan.DicomDirFiles.begin(), scan.DicomDirFiles.end());
  EXPECT_EQ(skipped.size(), 5u) << "a DIRFILE in each folder";
  for (const auto & file : skipped)
  {
    EXPECT_EQ(fs::path(file).filename(), "DIRFILE");
  }
  std::map<std::string, const ctp::DicomSeriesInfo *> candidates;
  bool                                                localizerSetAside = false;
  bool                                                summarySetAside = false;
  for (const auto & series : scan.Series)
  {
    if (series.IsCandidate())
    {
      candidates[series.SeriesNumber] = &series;
    }
    localizerSetAside = localizerSetAside ||
                        (series.SeriesNumber == "100" && series.SetAsideReason.find("localizer") != std::string::npos);
    summarySetAside = summarySetAside || (series.SeriesNumber == "401" && !series.IsCandidate());
  }
  EXPECT_TRUE(localizerSetAside);
  EXPECT_TRUE(summarySetAside);
  ASSERT_EQ(candidates.size(), 2u);
  ASSERT_TRUE(candidates.count("201") && candidates.count("301"));
  EXPECT_EQ(candidates["201"]->Files.size(), 54u);
  EXPECT_EQ(candidates["301"]->Files.size(), 58u);
  EXPECT_NEAR(candidates["201"]->Geometry->MedianStep, 2.371, 0.001);
  EXPECT_NEAR(candidates["301"]->Geometry->MedianStep, 2.397, 0.001);
  EXPECT_NEAR(candidates["201"]->Geometry->TiltDegrees, 18.5, 0.05);
  EXPECT_NEAR(candidates["301"]->Geometry->TiltDegrees, 16.5, 0.05);
  EXPECT_EQ(ctp::ChooseSeries(scan, "").SeriesNumber, "301") << "the largest axial CT volume";

  ctp::SeriesReadOptions keep;
  keep.Series = "201";
  keep.KeepTilt = true;
  const auto kept = ctp::ReadDicomSeries((SharedData() / Philips).string(), keep);
  EXPECT_FALSE(kept.Resampled);
  EXPECT_EQ(kept.Image->GetLargestPossibleRegion().GetSize(2), 54u);
  EXPECT_NEAR(kept.Image->GetSpacing()[2], 2.371, 0.001) << "spacing along the normal, not the nominal 2.5 mm";

  const auto corrected = ctp::ReadDicomSeries((SharedData() / Philips).string(), { "201" });
  EXPECT_TRUE(corrected.Resampled);
  ExpectOrthonormal(corrected.Image->GetDirection());
  EXPECT_NEAR(corrected.Image->GetSpacing()[2], 2.5, 0.001) << "table increment after tilt correction";
}

TEST(DicomSeriesRealData, Jpeg2000LosslessDecodesIdenticalToUncompressed)
{
  const fs::path folder = TransferSyntaxes / "ct-slices";
  CTP_REQUIRE_SHARED_DATA(folder);
  const auto   raw = ctp::ReadDicomFile((SharedData() / folder / "693_UNCR.dcm").string());
  const auto   j2k = ctp::ReadDicomFile((SharedData() / folder / "693_J2KR.dcm").string());
  const size_t n = raw->GetLargestPossibleRegion().GetNumberOfPixels();
  ASSERT_EQ(n, j2k->GetLargestPossibleRegion().GetNumberOfPixels());
  EXPECT_TRUE(std::equal(raw->GetBufferPointer(), raw->GetBufferPointer() + n, j2k->GetBufferPointer()));

  // Lossy JPEG 2000: close to the uncompressed slice, not equal.
  const auto unci = ctp::ReadDicomFile((SharedData() / folder / "693_UNCI.dcm").string());
  const auto j2ki = ctp::ReadDicomFile((SharedData() / folder / "693_J2KI.dcm").string());
  double     sumAbs = 0.0;
  size_t     differ = 0;
  for (size_t v = 0; v < n; ++v)
  {
    sumAbs += std::abs(unci->GetBufferPointer()[v] - j2ki->GetBufferPointer()[v]);
    differ += unci->GetBufferPointer()[v] != j2ki->GetBufferPointer()[v];
  }
  // The shared data's README calls these close, not equal; GDCM's OpenJPEG decoding of 693_J2KI gives
  // exactly the stored 693_UNCI values (UNCI being the decompressed lossy image), so only closeness is
  // asserted here.
  EXPECT_LT(sumAbs / n, 20.0) << "mean absolute difference in HU (" << differ << " voxels differ)";

  // JPEG-LS near-lossless decodes to a CT slice.
  const auto jls = ctp::ReadDicomFile((SharedData() / folder / "CT1_JLSN.dcm").string());
  EXPECT_EQ(jls->GetLargestPossibleRegion().GetSize(0), 512u);
}

TEST(DicomSeriesRealData, EveryTransferSyntaxOfDcmQaTsDecodesIdentically)
{
  const fs::path folder = TransferSyntaxes / "dcm_qa_ts" / "In";
  CTP_REQUIRE_SHARED_DATA(folder);
  std::vector<fs::path> files;
  for (const auto & entry : fs::directory_iterator(SharedData() / folder))
  {
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GE(files.size(), 8u);
  std::set<std::string> syntaxes;
  const auto            reference = ctp::ReadDicomFile(files.front().string());
  const size_t          n = reference->GetLargestPossibleRegion().GetNumberOfPixels();
  for (const auto & file : files)
  {
    syntaxes.insert(ctp::ReadDicomFileInfo(file.string())->TransferSyntaxUID);
    const auto image = ctp::ReadDicomFile(file.string());
    ASSERT_EQ(image->GetLargestPossibleRegion().GetNumberOfPixels(), n) << file;
    EXPECT_TRUE(std::equal(image->GetBufferPointer(), image->GetBufferPointer() + n, reference->GetBufferPointer()))
      << file << " decodes differently";
  }
  // 9 files in 7 distinct transfer syntaxes (two JPEG lossless and two JPEG-LS encoders).
  EXPECT_GE(syntaxes.size(), 7u);
}

TEST(DicomSeriesRealData, EnhancedMultiFrameCtIsRefusedClearly)
{
  const fs::path file = TransferSyntaxes / "ct-slices" / "eCT_Supplemental.dcm";
  CTP_REQUIRE_SHARED_DATA(file);
  const auto scan = ctp::ScanDicomPath((SharedData() / file).string());
  ASSERT_EQ(scan.Series.size(), 1u);
  EXPECT_NE(scan.Series.front().SetAsideReason.find("multi-frame"), std::string::npos);
  try
  {
    ctp::ChooseSeries(scan, "");
    FAIL() << "expected an error";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::NoSeries);
    EXPECT_NE(std::string(e.what()).find("multi-frame"), std::string::npos) << e.what();
  }
}

// The native read (one pread at the pixel data offset the header scan found) gives exactly what
// gdcm::ImageReader decodes, on every uncompressed slice of every shared real data set.
TEST(DicomSeriesRealData, NativePixelReadEqualsGdcmOnEveryUncompressedFile)
{
  CTP_REQUIRE_SHARED_DATA("lung-pet-ct-dx");
  size_t files = 0;
  size_t native = 0;
  for (const auto & entry : fs::recursive_directory_iterator(SharedData()))
  {
    if (!entry.is_regular_file())
    {
      continue;
    }
    std::optional<ctp::DicomFileInfo> info;
    try
    {
      info = ctp::ReadDicomFileInfo(entry.path().string());
    }
    catch (const ctp::Error &)
    {
      continue;
    }
    if (!info || !info->HasPixelData || info->IsCompressed || info->Truncated || info->NumberOfFrames != 1 ||
        info->SamplesPerPixel != 1)
    {
      continue;
    }
    ++files;
    const size_t         count = size_t(info->Rows) * info->Columns;
    std::vector<int16_t> fast(count, 0);
    std::vector<int16_t> gdcm(count, 0);
    const bool           read = ctp::ReadNativeSliceHU(*info, info->Columns, info->Rows, fast.data());
    if (!read)
    {
      continue;
    }
    ++native;
    ASSERT_NO_THROW(ctp::ReadSliceHU(*info, info->Columns, info->Rows, gdcm.data(), false)) << entry.path();
    size_t differ = 0;
    for (size_t n = 0; n < count; ++n)
    {
      differ += fast[n] != gdcm[n] ? 1 : 0;
    }
    EXPECT_EQ(differ, 0u) << entry.path() << " (" << info->TransferSyntaxUID << ", bits stored " << info->BitsStored
                          << ", signed " << info->PixelRepresentation << ")";
  }
  std::cout << native << " of " << files << " uncompressed single-frame files read natively" << std::endl;
  EXPECT_GT(native, 64u); // at least A0001's series
}
