#ifndef ctpDicomSeriesWriter_h
#define ctpDicomSeriesWriter_h

#include "ctpImageTypes.h"

#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** What a written CT series says about itself. Identifiers are made up by the caller (the phantom,
 *  tests of privacy): CTPrep never copies real patient data into a series it writes. */
struct DicomSeriesDescription
{
  std::string PatientName{ "CTPREP^PHANTOM" };
  std::string PatientID{ "CTP-PHANTOM-0001" };
  std::string PatientBirthDate{ "19700101" };
  std::string PatientSex{ "O" };
  std::string InstitutionName{ "CTPrep Synthetic Hospital" };
  std::string AccessionNumber{ "CTP0000001" };
  std::string StudyDescription{ "CTPrep synthetic chest CT" };
  std::string SeriesDescription{ "CTPrep chest phantom" };
  std::string StudyInstanceUID;  ///< generated when empty
  std::string SeriesInstanceUID; ///< generated when empty
  int         SeriesNumber{ 2 };
  std::string Modality{ "CT" }; ///< CT and MR get their image storage class, others Secondary Capture
  std::string ImageType{ "ORIGINAL\\PRIMARY\\AXIAL" };
  double      RescaleSlope{ 1.0 };
  double      RescaleIntercept{ -1024.0 };
  /** Nominal slice thickness written to (0018,0050); <= 0 writes the slice spacing. */
  double SliceThickness{ 0.0 };
  /** RescaleIntercept per slice (overrides RescaleIntercept where given), as some scanners write. */
  std::vector<double> SliceRescaleIntercepts;
  /** GantryDetectorTilt (0018,1120) in degrees, written when set. Only a record: the slices' geometry
   *  comes from the volume's direction (a gantry-tilted stack is a volume with a sheared direction). */
  std::optional<double> GantryDetectorTilt;
};

/** Which files a series write produced, in slice order, and the UIDs used. */
struct WrittenDicomSeries
{
  std::vector<std::string> Files;
  std::string              StudyInstanceUID;
  std::string              SeriesInstanceUID;
};

/** \brief Writes an HU volume as a CT Image Storage series, one file per slice, through ITK/GDCM.
 *
 * Stored value = (HU - intercept) / slope as signed 16-bit (PixelRepresentation 1), so an HU below
 * the intercept (out-of-scan padding, -3024 HU with intercept -1024) is stored as a negative value
 * (-2000) as on real scanners. Each file carries ImagePositionPatient of its slice,
 * ImageOrientationPatient from the volume's direction, PixelSpacing, SliceThickness, InstanceNumber,
 * and its own SOPInstanceUID. A sheared direction (the column axis not orthogonal to the slice axis,
 * as on a tilted gantry) is written as it is: IOP from the first two axes, IPP along the third.
 * Files are named slice_0001.dcm ... in the output folder, each written atomically.
 * Throws ctp::Error(OutputNotWritable) naming the file. */
WrittenDicomSeries
WriteDicomSeries(const HUImageType * volume, const std::string & directory, const DicomSeriesDescription & description);

/** A new DICOM UID (GDCM's generator, CTPrep's root not registered: 2.25 style). */
std::string
NewDicomUID();

} // namespace ctp

#endif
