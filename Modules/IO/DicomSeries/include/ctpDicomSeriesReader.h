#ifndef ctpDicomSeriesReader_h
#define ctpDicomSeriesReader_h

#include "ctpImageTypes.h"

#include <string>
#include <vector>

namespace ctp
{
/** A CT series read into Hounsfield units on its own grid. */
struct LoadedSeries
{
  HUImageType::Pointer     Image;
  std::string              SeriesInstanceUID;
  std::vector<std::string> Files;       ///< in slice order
  std::vector<std::string> SeriesFound; ///< every series UID found under the input path
};

/** \brief Finds the DICOM series below a folder (recursively, any file names) and reads one.
 *
 * The series is chosen by UID or SeriesNumber when `series` is given, else the one with the most
 * files. GDCM orders the files by position along the slice normal and GDCMImageIO applies each
 * file's RescaleSlope/Intercept while reading, so the voxels are HU (never rescale them again).
 * Throws ctp::Error: InvalidInput for a missing path, NoDicom when no DICOM series is found,
 * NoSeries when the requested series is not there, InvalidInput when ITK/GDCM cannot read it. */
LoadedSeries
ReadDicomSeries(const std::string & path, const std::string & series = {});

} // namespace ctp

#endif
