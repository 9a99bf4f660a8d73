#ifndef ctpDicomSegmentationWriter_h
#define ctpDicomSegmentationWriter_h

#include "ctpDicomSeriesScanner.h"
#include "ctpImageTypes.h"
#include "ctpSegmentDescription.h"

#include <string>
#include <vector>

namespace ctp
{
/** What the Segmentation object says about its making. */
struct DicomSegmentationOptions
{
  std::string SeriesDescription{ "Lung mask" };
  std::string ContentLabel{ "LUNGMASK" }; ///< a DICOM code string: A-Z, 0-9, _ and space, at most 16
  std::string ContentDescription{ "Lungs, airways and the dense lesions in the lungs" };
  std::string AlgorithmName{ "CTPrep" };
  std::string SoftwareVersion;
};

/** A segment of a written Segmentation object. */
struct DicomSegmentRecord
{
  SegmentDescription Description;
  unsigned int       SegmentNumber{ 0 }; ///< 1, 2, ... in the object
  size_t             Frames{ 0 };        ///< source slices holding the segment
  size_t             Pixels{ 0 };
};

/** What was written; no file when Segments is empty (no label on any source slice). */
struct DicomSegmentationRecord
{
  std::vector<DicomSegmentRecord> Segments;
  size_t                          Frames{ 0 };
  std::string                     SeriesInstanceUID; ///< the Segmentation's own series
  std::string                     SOPInstanceUID;
};

/** \brief Writes `labels` as a DICOM Segmentation Storage object (binary segments) on the source
 *  series' own grid, with DCMTK's dcmseg.
 *
 * Each source slice gets the labels of the voxels nearest its pixels (LabelsOnSourceSlice). Each
 * segment (an entry of `segments` whose label is on at least one source slice) has one frame per
 * source slice holding it; slices without it are left out, as PS3.3 C.8.20.2 allows. A frame carries
 * its slice's ImagePositionPatient and references the slice by SOP Class and Instance UID (Derivation
 * Image Sequence: 113076 "Segmentation", 121322 "Source image for image processing operation");
 * the dimensions are (segment number, slice position). The Referenced Series Sequence names the
 * source series and every slice of it.
 *
 * The object belongs to the source patient and study: their modules (Patient, General Study,
 * Patient Study, Frame of Reference, and the character set) are copied from the first source file.
 * The equipment is CTPrep's (the source's institution and station are not copied). Everything else is
 * new: series, instance, content date and time. Written atomically; throws ctp::Error naming the file:
 * InvalidInput when the source file cannot be read, OutputNotWritable or ProcessingFailed with DCMTK's
 * reason. */
DicomSegmentationRecord
WriteDicomSegmentation(const MaskImageType * labels, const DicomSeriesInfo & series,
                       const std::vector<SegmentDescription> & segments, const std::string & path,
                       const DicomSegmentationOptions & options = {});

} // namespace ctp

#endif
