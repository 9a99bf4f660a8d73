#ifndef ctpDicomSeriesScanner_h
#define ctpDicomSeriesScanner_h

#include "ctpDicomFileInfo.h"
#include "ctpSliceGeometry.h"

#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** \brief One group of files found by the scanner: one SeriesInstanceUID, SeriesNumber and orientation.
 *
 * A group is a candidate volume (`SetAsideReason` empty) only when it is a CT image stack with pixel
 * spacing and geometry; localizers, secondary captures, images without PixelSpacing or position,
 * multi-frame files, other modalities and single slices are set aside with the reason. */
struct DicomSeriesInfo
{
  std::string                  SeriesInstanceUID;
  std::string                  SeriesNumber;
  std::string                  SeriesDescription;
  std::string                  Modality;
  std::vector<std::string>     TransferSyntaxes;
  std::vector<DicomFileInfo>   Files; ///< sorted along the slice normal when Geometry is set
  std::optional<SliceGeometry> Geometry;
  std::string                  SetAsideReason;
  std::vector<std::string>     Warnings;

  bool
  IsCandidate() const
  {
    return SetAsideReason.empty();
  }
  /** "2 (1.2.840...): 64 files, CT, 'Chest 5mm'" */
  std::string
  Label() const;
};

/** Everything found below a path. */
struct DicomScan
{
  std::string                  Root;
  std::vector<DicomSeriesInfo> Series; ///< candidates first, largest first
  size_t                       FilesExamined{ 0 };
  std::vector<std::string>     NonDicomFiles;   ///< skipped: README, thumbnails, anything not DICOM
  std::vector<std::string>     NonImageFiles;   ///< skipped: DICOM without an image (Philips DIRFILE, reports)
  std::vector<std::string>     DicomDirFiles;   ///< skipped: DICOMDIR indexes
  std::vector<std::string>     UnreadableFiles; ///< "path: reason"
};

/** \brief Finds every DICOM file below `path` (a file or a folder, recursively, any names) and groups them.
 *
 * Throws ctp::Error(InvalidInput) when the path does not exist. Files GDCM cannot parse are listed as
 * non-DICOM, never fatal: a folder of scans routinely holds DIRFILEs, READMEs and thumbnails. */
DicomScan
ScanDicomPath(const std::string & path, const SliceGeometryTolerances & tolerances = {});

/** \brief Picks the series to process.
 *
 * `selector` empty: the candidate axial CT volume with the most slices (then the lowest series number).
 * Otherwise the candidate whose SeriesInstanceUID or SeriesNumber equals `selector`. Throws
 * ctp::Error: NoDicom when nothing DICOM was found, NoSeries when no candidate fits (the message
 * lists what was found), InvalidInput when the chosen series is broken (a truncated file, mixed
 * matrix sizes, a single slice). `note` receives a sentence on the choice when there were several. */
const DicomSeriesInfo &
ChooseSeries(const DicomScan & scan, const std::string & selector, std::string * note = nullptr);

} // namespace ctp

#endif
