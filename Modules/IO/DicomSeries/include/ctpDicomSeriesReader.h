#ifndef ctpDicomSeriesReader_h
#define ctpDicomSeriesReader_h

#include "ctpDicomSeriesScanner.h"
#include "ctpImageTypes.h"

#include <functional>
#include <string>
#include <vector>

namespace ctp
{
/** What to do with slices that are not evenly spaced (missing slices, variable spacing). */
enum class UnevenSpacingPolicy
{
  Resample, ///< put them on a uniform grid by linear interpolation along the normal (default)
  Refuse    ///< stop with ErrorKind::InvalidInput
};

struct SeriesReadOptions
{
  std::string         Series;            ///< SeriesInstanceUID or SeriesNumber; empty: the largest axial CT volume
  bool                KeepTilt{ false }; ///< leave gantry-tilt shear in place (no resampling for it)
  UnevenSpacingPolicy UnevenSpacing{ UnevenSpacingPolicy::Resample };
  HUPixelType         PaddingReplacement{ AirHU }; ///< what out-of-scan padding becomes
  /** Copy the first file's DICOM tags into the image's metadata dictionary (for --keep-phi). */
  bool                    KeepDicomTags{ false };
  SliceGeometryTolerances Tolerances;
  /** Called with the chosen series (files, geometry) before any pixel is read or any volume is
   *  allocated: a memory guard throws from here. */
  std::function<void(const DicomSeriesInfo &)> BeforeReadingPixels;
};

/** A CT series read into Hounsfield units, and what was decided on the way. */
struct LoadedSeries
{
  HUImageType::Pointer     Image;
  DicomSeriesInfo          Series; ///< the chosen series, files sorted along the normal
  size_t                   SeriesFound{ 0 };
  std::vector<std::string> Decisions; ///< every choice made (series, tilt, spacing, padding)
  std::vector<std::string> Warnings;
  bool                     Resampled{ false }; ///< put on a new grid for tilt or spacing
};

/** \brief Reads one CT series below `path` into int16 HU with a correct geometry, or refuses.
 *
 * 1. ScanDicomPath + ChooseSeries: any file names, non-DICOM files skipped, localizers and
 *    secondary captures set aside, the largest axial CT volume (or options.Series).
 * 2. DicomSliceStackSource decodes the files in slice-normal order (in parallel, GDCM) and applies
 *    each file's RescaleSlope/Intercept exactly once.
 * 3. HUConvertImageFilter: padding (PixelPaddingValue per slice, else values below -1024 HU) to air,
 *    rounding, int16.
 * 4. Geometry from the positions, not SliceThickness: origin = first slice position, direction =
 *    (row, column, normal), slice spacing = the measured step. Uneven spacing or missing slices are
 *    resampled onto a uniform grid (or refused); gantry tilt is resampled onto an orthogonal grid
 *    unless KeepTilt. Every such decision is in LoadedSeries::Decisions.
 * Throws ctp::Error naming the file or folder and the problem. */
LoadedSeries
ReadDicomSeries(const std::string & path, const SeriesReadOptions & options = {});

/** Reads the pixels of one DICOM file (any transfer syntax GDCM decodes: JPEG lossless and lossy,
 *  JPEG-LS, JPEG 2000, RLE, deflate, big endian), rescaled by its own slope and intercept, as a
 *  float image with one slice per frame. Throws ctp::Error(InvalidInput) naming the file. */
FloatImageType::Pointer
ReadDicomFile(const std::string & path);

} // namespace ctp

#endif
