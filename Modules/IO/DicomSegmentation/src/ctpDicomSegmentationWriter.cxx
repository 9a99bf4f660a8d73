#include "ctpDicomSegmentationWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpSourceSliceLabels.h"

#include "itkMultiThreaderBase.h"

#include "dcmtk/config/osconfig.h" // first of DCMTK's headers
#include "dcmtk/dcmdata/dcfilefo.h"
#include "dcmtk/dcmdata/dcuid.h"
#include "dcmtk/dcmfg/fgderimg.h"
#include "dcmtk/dcmfg/fgfracon.h"
#include "dcmtk/dcmfg/fgpixmsr.h"
#include "dcmtk/dcmfg/fgplanor.h"
#include "dcmtk/dcmfg/fgplanpo.h"
#include "dcmtk/dcmiod/cielabutil.h"
#include "dcmtk/dcmiod/iodmacro.h"
#include "dcmtk/dcmseg/segdoc.h"
#include "dcmtk/dcmseg/segment.h"
#include "dcmtk/oflog/oflog.h"

#include <cmath>
#include <memory>
#include <sstream>

namespace ctp
{
namespace
{
/** Throws ctp::Error(kind) naming `path` when DCMTK reports a failure. */
void
Check(const OFCondition & condition, const std::string & path, const std::string & what,
      ErrorKind kind = ErrorKind::ProcessingFailed)
{
  if (condition.bad())
  {
    throw Error(kind, path, "cannot write the DICOM Segmentation: " + what + ": " + condition.text());
  }
}

/** A decimal string (VR DS: at most 16 characters). */
std::string
DecimalString(double value)
{
  for (int digits = 12; digits > 4; --digits)
  {
    std::ostringstream text;
    text.precision(digits);
    text << (std::fabs(value) < 1e-9 ? 0.0 : value);
    if (text.str().size() <= 16)
    {
      return text.str();
    }
  }
  return "0";
}

CodeSequenceMacro
CodeOf(const CodedConcept & code)
{
  return CodeSequenceMacro(code.Value.c_str(), code.Scheme.c_str(), code.Meaning.c_str());
}

/** The segment as DICOM describes it: label, category, type (with laterality), anatomic region,
 *  recommended CIELab colour, and the algorithm that made it. */
DcmSegment *
MakeSegment(const SegmentDescription & description, const DicomSegmentationOptions & options, const std::string & path)
{
  DcmSegment * raw = nullptr;
  Check(DcmSegment::create(raw,
                           description.Name.c_str(),
                           CodeOf(description.Category),
                           CodeOf(description.Type),
                           DcmSegTypes::SAT_AUTOMATIC,
                           options.AlgorithmName.c_str()),
        path,
        "segment " + description.Name);
  std::unique_ptr<DcmSegment> segment(raw);
  if (description.TypeModifier.IsSet())
  {
    segment->getSegmentedPropertyTypeModifierCode().push_back(new CodeSequenceMacro(CodeOf(description.TypeModifier)));
  }
  if (description.AnatomicRegion.IsSet())
  {
    const auto & region = description.AnatomicRegion;
    Check(segment->getGeneralAnatomyCode().getAnatomicRegion().set(
            region.Value.c_str(), region.Scheme.c_str(), region.Meaning.c_str()),
          path,
          "anatomic region of " + description.Name);
    if (description.AnatomicRegionModifier.IsSet())
    {
      segment->getGeneralAnatomyCode().getAnatomicRegionModifier().push_back(
        new CodeSequenceMacro(CodeOf(description.AnatomicRegionModifier)));
    }
  }
  double L = 0;
  double a = 0;
  double b = 0;
  IODCIELabUtil::rgb2DicomLab(L, a, b, description.Color[0], description.Color[1], description.Color[2]);
  Check(segment->setRecommendedDisplayCIELabValue(static_cast<Uint16>(std::lround(L)),
                                                  static_cast<Uint16>(std::lround(a)),
                                                  static_cast<Uint16>(std::lround(b))),
        path,
        "colour of " + description.Name);
  return segment.release();
}

/** The empty object: CTPrep's equipment, the source's patient, study and frame of reference, a new
 *  series, the source slices' geometry shared by all frames and the dimensions. */
std::unique_ptr<DcmSegmentation>
MakeSegmentation(const DicomSeriesInfo & series, const DicomSegmentationOptions & options, const std::string & path)
{
  const auto &                             first = series.Files.front();
  IODGeneralEquipmentModule::EquipmentInfo equipment(
    "CTPrep", "ctprep", "0", options.SoftwareVersion.empty() ? "0" : options.SoftwareVersion.c_str());
  ContentIdentificationMacro content(
    "1", options.ContentLabel.c_str(), options.ContentDescription.c_str(), ""); // no person made it
  DcmSegmentation * raw = nullptr;
  Check(DcmSegmentation::createBinarySegmentation(raw, first.Rows, first.Columns, equipment, content), path, "create");
  std::unique_ptr<DcmSegmentation> seg(raw);

  DcmFileFormat source;
  Check(source.loadFile(first.Path.c_str()), first.Path, "cannot read the source slice", ErrorKind::InvalidInput);
  Check(seg->importFromSourceImage(*source.getDataset()),
        first.Path,
        "patient and study of the source",
        ErrorKind::InvalidInput);
  // The import brings the source's equipment along: the Segmentation's is CTPrep's.
  Check(seg->setEquipmentInfo(equipment), path, "equipment");
  auto & made = seg->getEquipment();
  for (auto setter : { &IODGeneralEquipmentModule::setInstitutionName,
                       &IODGeneralEquipmentModule::setInstitutionAddress,
                       &IODGeneralEquipmentModule::setStationName,
                       &IODGeneralEquipmentModule::setInstutionalDepartmentName })
  {
    (made.*setter)("", OFFalse);
  }

  char uid[100];
  Check(seg->getSeries().setSeriesInstanceUID(dcmGenerateUniqueIdentifier(uid, SITE_SERIES_UID_ROOT)), path, "series");
  Check(
    seg->getSOPCommon().setSOPInstanceUID(dcmGenerateUniqueIdentifier(uid, SITE_INSTANCE_UID_ROOT)), path, "instance");
  const int sourceNumber = std::atoi(series.SeriesNumber.c_str());
  Check(seg->getSeries().setSeriesNumber(std::to_string(1000 + std::max(sourceNumber, 0)).c_str()), path, "series");
  Check(seg->getSeries().setSeriesDescription(options.SeriesDescription.c_str()), path, "series");

  FGPixelMeasures measures;
  Check(measures.setPixelSpacing(
          (DecimalString(first.PixelSpacing[0]) + "\\" + DecimalString(first.PixelSpacing[1])).c_str()),
        path,
        "pixel spacing");
  const double step = series.Geometry ? series.Geometry->MedianStep : 0.0;
  Check(measures.setSliceThickness(DecimalString(first.SliceThickness.value_or(step)).c_str()), path, "thickness");
  Check(seg->addForAllFrames(measures), path, "pixel measures");
  FGPlaneOrientationPatient orientation;
  const auto &              o = first.ImageOrientationPatient;
  Check(orientation.setImageOrientationPatient(DecimalString(o[0]).c_str(),
                                               DecimalString(o[1]).c_str(),
                                               DecimalString(o[2]).c_str(),
                                               DecimalString(o[3]).c_str(),
                                               DecimalString(o[4]).c_str(),
                                               DecimalString(o[5]).c_str()),
        path,
        "orientation");
  Check(seg->addForAllFrames(orientation), path, "orientation");

  char dimensions[100];
  dcmGenerateUniqueIdentifier(dimensions, SITE_INSTANCE_UID_ROOT);
  auto & dims = seg->getDimensions();
  Check(dims.addDimensionIndex(
          DCM_ReferencedSegmentNumber, dimensions, DCM_SegmentIdentificationSequence, "ReferencedSegmentNumber"),
        path,
        "dimensions");
  Check(dims.addDimensionIndex(DCM_ImagePositionPatient, dimensions, DCM_PlanePositionSequence, "ImagePositionPatient"),
        path,
        "dimensions");
  return seg;
}

/** The Common Instance Reference module: the source series and every slice of it. */
void
ReferenceSourceSeries(DcmSegmentation & seg, const DicomSeriesInfo & series, const std::string & path)
{
  auto item = std::make_unique<IODSeriesAndInstanceReferenceMacro::ReferencedSeriesItem>();
  Check(item->setSeriesInstanceUID(series.SeriesInstanceUID.c_str()), path, "referenced series");
  for (const auto & file : series.Files)
  {
    Check(item->addReference(file.SOPClassUID.c_str(), file.SOPInstanceUID.c_str()), path, "referenced instance");
  }
  seg.getCommonInstanceReference().getReferencedSeriesItems().push_back(item.release());
}

/** One frame: the pixels of `slice` holding the segment, placed at the slice and derived from it. */
void
AddFrame(DcmSegmentation & seg, std::vector<Uint8> & pixels, Uint16 segmentNumber, const DicomFileInfo & slice,
         Uint32 position, const std::string & path)
{
  FGPlanePosPatient place;
  const auto &      p = slice.ImagePositionPatient;
  Check(place.setImagePositionPatient(
          DecimalString(p[0]).c_str(), DecimalString(p[1]).c_str(), DecimalString(p[2]).c_str()),
        path,
        "position");
  FGFrameContent content;
  Check(content.setDimensionIndexValues(segmentNumber, 0), path, "frame content");
  Check(content.setDimensionIndexValues(position, 1), path, "frame content");
  ImageSOPInstanceReferenceMacro reference;
  Check(reference.setReferencedSOPClassUID(slice.SOPClassUID.c_str()), path, "source reference");
  Check(reference.setReferencedSOPInstanceUID(slice.SOPInstanceUID.c_str()), path, "source reference");
  OFVector<ImageSOPInstanceReferenceMacro> references;
  references.push_back(reference);
  std::unique_ptr<FGDerivationImage> derivation(DcmSegmentation::createDerivationImageFG(references, ""));
  if (!derivation)
  {
    throw Error(ErrorKind::ProcessingFailed, path, "cannot write the DICOM Segmentation: derivation image");
  }
  OFVector<FGBase *> groups;
  groups.push_back(&place);
  groups.push_back(&content);
  groups.push_back(derivation.get());
  Check(seg.addFrame(pixels.data(), segmentNumber, groups), path, "frame");
}
} // namespace

DicomSegmentationRecord
WriteDicomSegmentation(const MaskImageType * labels, const DicomSeriesInfo & series,
                       const std::vector<SegmentDescription> & segments, const std::string & path,
                       const DicomSegmentationOptions & options)
{
  if (series.Files.empty())
  {
    throw Error(ErrorKind::ProcessingFailed, path, "cannot write the DICOM Segmentation: no source slices");
  }
  OFLog::configure(OFLogger::FATAL_LOG_LEVEL); // every condition is checked and reported here
  // The labels on every source slice, and which slices hold each label.
  std::vector<std::vector<MaskPixelType>> slices(series.Files.size());
  auto                                    threader = itk::MultiThreaderBase::New();
  threader->ParallelizeArray(
    0,
    series.Files.size(),
    [&](itk::SizeValueType z) { slices[z] = LabelsOnSourceSlice(labels, series.Files[z]); },
    nullptr);
  // Pixels of each label, in all and per slice.
  std::array<size_t, 256>              pixels{};
  std::vector<std::array<size_t, 256>> pixelsOnSlice(slices.size());
  for (size_t z = 0; z < slices.size(); ++z)
  {
    for (const auto label : slices[z])
    {
      ++pixelsOnSlice[z][label];
    }
    for (size_t label = 1; label < 256; ++label)
    {
      pixels[label] += pixelsOnSlice[z][label];
    }
  }
  DicomSegmentationRecord record;
  auto                    seg = MakeSegmentation(series, options, path);
  ReferenceSourceSeries(*seg, series, path);
  const size_t       frameSize = slices.front().size();
  std::vector<Uint8> frame(frameSize);
  for (const auto & description : segments)
  {
    if (description.Label == 0 || pixels[description.Label] == 0)
    {
      continue;
    }
    DicomSegmentRecord segment{ description, 0, 0, pixels[description.Label] };
    Uint16             number = 0;
    Check(seg->addSegment(MakeSegment(description, options, path), number), path, "segment " + description.Name);
    segment.SegmentNumber = number;
    for (size_t z = 0; z < slices.size(); ++z)
    {
      if (pixelsOnSlice[z][description.Label] == 0)
      {
        continue;
      }
      const MaskPixelType * labelsOfSlice = slices[z].data();
      for (size_t n = 0; n < frameSize; ++n)
      {
        frame[n] = labelsOfSlice[n] == description.Label;
      }
      AddFrame(*seg, frame, number, series.Files[z], static_cast<Uint32>(z + 1), path);
      ++segment.Frames;
    }
    record.Frames += segment.Frames;
    record.Segments.push_back(segment);
  }
  if (record.Segments.empty())
  {
    return record;
  }
  OFString uid;
  seg->getSeries().getSeriesInstanceUID(uid);
  record.SeriesInstanceUID = uid.c_str();
  seg->getSOPCommon().getSOPInstanceUID(uid);
  record.SOPInstanceUID = uid.c_str();
  seg->setCheckFGOnWrite(OFFalse); // checked by construction; the check is slow on thousands of frames
  AtomicOutputFile file(path);
  Check(
    seg->saveFile(file.TemporaryPath().c_str(), EXS_LittleEndianExplicit), path, "write", ErrorKind::OutputNotWritable);
  file.Commit();
  return record;
}

} // namespace ctp
