#ifndef ctpVolumeFileReader_h
#define ctpVolumeFileReader_h

#include "ctpImageTypes.h"

#include <array>
#include <string>
#include <vector>

namespace ctp
{
/** What a volume file's header says, before any voxel is read. */
struct VolumeFileInfo
{
  std::string           Format;    ///< "MetaImage", "NIfTI" or "NRRD"
  std::string           PixelType; ///< as ITK names the stored component type: "short", "unsigned_short", "float", ...
  std::array<size_t, 3> Size{};
  std::array<double, 3> Spacing{};
};

/** A CT volume read from a file into int16 HU. */
struct LoadedVolume
{
  HUImageType::Pointer     Image;
  VolumeFileInfo           Info;
  std::vector<std::string> Decisions;
  std::vector<std::string> Warnings;
};

/** The path is a volume file CTPrep reads (not a folder of DICOM): a regular file ending in .mhd,
 *  .mha, .nii, .nii.gz, .nrrd or .nhdr (any case). */
bool
IsVolumeFile(const std::string & path);

/** A volume file's name without its extension (.mhd, .nii.gz, ...): LUNA16's
 *  `1.3.6.1.4.1.14519.5.2.1.6279.6001.100.mhd` is the seriesuid `1.3.6.1.4.1.14519.5.2.1.6279.6001.100`. */
std::string
VolumeFileStem(const std::string & path);

/** \brief The header of a volume file, read with ITK's own image IO (MetaImage, NIfTI, NRRD).
 *
 * Throws ctp::Error(InvalidInput) naming the file when it cannot be read, is not one 3-D scalar
 * volume (2-D, 4-D, vector or RGB pixels), or declares no voxel. */
VolumeFileInfo
ReadVolumeFileInfo(const std::string & path);

/** \brief A volume file into HU: read with ITK's image IO (geometry from the header as ITK reads it:
 * origin, spacing, direction, MetaImage's TransformMatrix, NIfTI's qform/sform, in LPS), `huOffset`
 * added, rounded and clamped to int16. An axis stored reversed (direction diagonal, negative: dcm2niix
 * writes an axial series' rows bottom-up) is flipped, so the volume lies on its DICOM series' grid.
 *
 * Values outside int16 are clamped (a warning says how many). Throws ctp::Error(InvalidInput) as
 * ReadVolumeFileInfo does. */
LoadedVolume
ReadVolumeFile(const std::string & path, double huOffset = 0.0);

} // namespace ctp

#endif
