#ifndef ctpChestPhantomWriter_h
#define ctpChestPhantomWriter_h

#include "ctpChestPhantom.h"
#include "ctpDicomSeriesWriter.h"

#include <string>

namespace ctp
{
/** What WriteChestPhantom wrote. */
struct WrittenChestPhantom
{
  std::string DicomDirectory; ///< OUT_DIR/dicom: the CT series, one file per slice
  std::string TruthDirectory; ///< OUT_DIR/truth: lungs.nrrd, airways.nrrd, bone.nrrd, facts.json
  std::string FactsFile;
  double      LungVolumeMl{ 0.0 };
};

/** \brief Generates a ChestPhantom and writes it as a DICOM series with its ground truth.
 *
 * Layout: OUT_DIR/dicom/slice_NNNN.dcm, OUT_DIR/truth/{lungs,airways,bone}.nrrd (uint8 on the slice
 * grid; lungs 1 = right, 2 = left) and OUT_DIR/truth/facts.json (grid, rescale, UIDs, tissue values,
 * nodules, and volumes in mL computed as mask voxel count x voxel volume). facts.json is written
 * last, so its presence means the phantom is complete. */
WrittenChestPhantom
WriteChestPhantom(const ChestPhantomParameters & parameters, const std::string & outputDirectory,
                  const DicomSeriesDescription & description = {});

} // namespace ctp

#endif
