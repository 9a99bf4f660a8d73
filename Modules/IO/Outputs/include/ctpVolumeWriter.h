#ifndef ctpVolumeWriter_h
#define ctpVolumeWriter_h

#include "ctpImageTypes.h"

#include <string>

namespace ctp
{
/** Options of every volume CTPrep writes. */
struct VolumeWriteOptions
{
  /** ITK copies DICOM tags (PatientName, PatientID, PatientBirthDate, ...) into the image's
   *  metadata dictionary, and the NRRD and NIfTI writers put string entries in the header.
   *  Unless this is set, the dictionary is dropped: no patient data in any output. */
  bool KeepPatientData{ false };
  /** gzip inside the file (NRRD "encoding: gzip", ".nii.gz" always compresses). Off: writing is fast. */
  bool Compress{ false };
};

/** Writes a volume in the format its extension names (.nrrd, .nii, .nii.gz, .mha, .mhd with its .raw),
 *  atomically: under a temporary name in the same folder, renamed when complete. Throws ctp::Error
 *  (OutputNotWritable) naming the file. One overload per pixel type of the pipeline. */
void
WriteVolume(const HUImageType * image, const std::string & path, const VolumeWriteOptions & options = {});
void
WriteVolume(const MaskImageType * image, const std::string & path, const VolumeWriteOptions & options = {});
void
WriteVolume(const FloatImageType * image, const std::string & path, const VolumeWriteOptions & options = {});

} // namespace ctp

#endif
