#include "ctpChestPhantomWriter.h"
#include "ctpDicomSegmentationWriter.h"
#include "ctpSourceSliceLabels.h"

#include "dcmtk/config/osconfig.h"
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcdeftag.h"
#include "dcmtk/dcmdata/dcitem.h"

#include "itkImageRegionIteratorWithIndex.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
/** A 64 x 64 x 12 phantom series of 5 mm slices, scanned. */
const ctp::DicomSeriesInfo &
PhantomSeries()
{
  static const ctp::DicomSeriesInfo series = [] {
    // One folder per process: CTest runs each test in a process of its own, in parallel.
    const fs::path dir = fs::path(testing::TempDir()) / ("ctp-dicom-seg-phantom-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    ctp::ChestPhantomParameters p;
    p.Matrix = 64;
    p.Slices = 12;
    p.SliceSpacing = 5.0;
    const auto written = ctp::WriteChestPhantom(p, dir.string());
    return ctp::ChooseSeries(ctp::ScanDicomPath(written.DicomDirectory), "");
  }();
  return series;
}

/** Labels on a 4 mm grid over the series: 1 in the left half (x < 0), 2 in a box, nothing else. */
ctp::MaskImageType::Pointer
CoarseLabels(const ctp::DicomSeriesInfo & series)
{
  const auto &                  first = series.Files.front();
  const auto &                  last = series.Files.back();
  auto                          labels = ctp::MaskImageType::New();
  ctp::MaskImageType::PointType origin;
  for (unsigned int k = 0; k < 3; ++k)
  {
    origin[k] = std::min(first.ImagePositionPatient[k], last.ImagePositionPatient[k]);
  }
  labels->SetOrigin(origin);
  ctp::MaskImageType::SpacingType spacing;
  spacing.Fill(4.0);
  labels->SetSpacing(spacing);
  const double                 extent = first.Columns * first.PixelSpacing[1];
  ctp::MaskImageType::SizeType size{ { static_cast<itk::SizeValueType>(extent / 4.0),
                                       static_cast<itk::SizeValueType>(extent / 4.0),
                                       static_cast<itk::SizeValueType>(
                                         std::abs(last.ImagePositionPatient[2] - first.ImagePositionPatient[2]) / 4.0 +
                                         1) } };
  labels->SetRegions(size);
  labels->Allocate(true);
  for (itk::ImageRegionIteratorWithIndex<ctp::MaskImageType> it(labels, labels->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    const auto & i = it.GetIndex();
    if (i[0] < static_cast<long>(size[0] / 2))
    {
      it.Set(1);
    }
    if (i[0] > 50 && i[0] < 60 && i[1] > 30 && i[1] < 50 && i[2] >= 3 && i[2] <= 6)
    {
      it.Set(2);
    }
  }
  return labels;
}

std::vector<ctp::SegmentDescription>
Segments()
{
  std::vector<ctp::SegmentDescription> segments(3);
  for (unsigned int n = 0; n < 3; ++n)
  {
    segments[n].Label = static_cast<ctp::MaskPixelType>(n + 1);
    segments[n].Name = "segment " + std::to_string(n + 1);
    segments[n].Category = { "123037004", "SCT", "Anatomical Structure" };
    segments[n].Type = { "39607008", "SCT", "Lung" };
    segments[n].Color = { 0.5, 0.25, 1.0 };
  }
  segments[1].TypeModifier = { "24028007", "SCT", "Right" };
  return segments;
}

std::string
Text(DcmItem & item, const DcmTagKey & tag)
{
  OFString value;
  item.findAndGetOFStringArray(tag, value);
  return value.c_str();
}
} // namespace

TEST(DicomSegmentationWriter, OneFramePerSourceSliceHoldingEachSegmentReferencingIt)
{
  const auto &   series = PhantomSeries();
  const auto     labels = CoarseLabels(series);
  const fs::path path = fs::path(testing::TempDir()) / ("ctp-lungmask-" + std::to_string(::getpid()) + ".seg.dcm");
  const auto     record = ctp::WriteDicomSegmentation(labels, series, Segments(), path.string());

  // The truth: which source slices hold labels 1 and 2 (label 3 is nowhere: no segment).
  std::map<int, std::set<std::string>> slicesOf;
  for (const auto & file : series.Files)
  {
    for (const auto label : ctp::LabelsOnSourceSlice(labels, file))
    {
      if (label)
      {
        slicesOf[label].insert(file.SOPInstanceUID);
      }
    }
  }
  ASSERT_EQ(slicesOf.size(), 2u);
  ASSERT_EQ(record.Segments.size(), 2u);
  EXPECT_EQ(record.Segments[0].Frames, slicesOf[1].size());
  EXPECT_EQ(record.Segments[1].Frames, slicesOf[2].size());
  EXPECT_LT(slicesOf[2].size(), series.Files.size());

  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(path.c_str()).good());
  DcmDataset & seg = *file.getDataset();
  EXPECT_EQ(Text(seg, DCM_SOPClassUID), "1.2.840.10008.5.1.4.1.1.66.4");
  EXPECT_EQ(Text(seg, DCM_SeriesInstanceUID), record.SeriesInstanceUID);
  EXPECT_NE(record.SeriesInstanceUID, series.SeriesInstanceUID);
  EXPECT_EQ(Text(seg, DCM_StudyInstanceUID), series.Files.front().StudyInstanceUID);
  EXPECT_EQ(Text(seg, DCM_Manufacturer), "CTPrep");
  EXPECT_EQ(Text(seg, DCM_NumberOfFrames), std::to_string(record.Frames));
  DcmItem * referenced = nullptr;
  ASSERT_TRUE(seg.findAndGetSequenceItem(DCM_ReferencedSeriesSequence, referenced, 0).good());
  EXPECT_EQ(Text(*referenced, DCM_SeriesInstanceUID), series.SeriesInstanceUID);

  // Every frame: its segment, and the source slice it references holds that segment.
  std::map<int, std::set<std::string>> framesOf;
  for (unsigned long n = 0; n < record.Frames; ++n)
  {
    DcmItem * frame = nullptr;
    ASSERT_TRUE(seg.findAndGetSequenceItem(DCM_PerFrameFunctionalGroupsSequence, frame, n).good());
    DcmItem * identification = nullptr;
    DcmItem * derivation = nullptr;
    DcmItem * source = nullptr;
    ASSERT_TRUE(frame->findAndGetSequenceItem(DCM_SegmentIdentificationSequence, identification).good());
    ASSERT_TRUE(frame->findAndGetSequenceItem(DCM_DerivationImageSequence, derivation).good());
    ASSERT_TRUE(derivation->findAndGetSequenceItem(DCM_SourceImageSequence, source).good());
    framesOf[std::stoi(Text(*identification, DCM_ReferencedSegmentNumber))].insert(
      Text(*source, DCM_ReferencedSOPInstanceUID));
  }
  EXPECT_EQ(framesOf[1], slicesOf[1]);
  EXPECT_EQ(framesOf[2], slicesOf[2]);
}

TEST(DicomSegmentationWriter, NoLabelOnTheSourceSlicesWritesNothing)
{
  const auto & series = PhantomSeries();
  auto         labels = CoarseLabels(series);
  labels->FillBuffer(0);
  const fs::path path = fs::path(testing::TempDir()) / ("ctp-empty-" + std::to_string(::getpid()) + ".seg.dcm");
  fs::remove(path);
  const auto record = ctp::WriteDicomSegmentation(labels, series, Segments(), path.string());
  EXPECT_TRUE(record.Segments.empty());
  EXPECT_FALSE(fs::exists(path));
}
