#ifndef ctpChestPhantomWriter_h
#define ctpChestPhantomWriter_h

#include "ctpChestPhantom.h"
#include "ctpDicomSeriesWriter.h"

#include <string>
#include <utility>
#include <vector>

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
 * Layout: OUT_DIR/dicom/slice_NNNN.dcm, OUT_DIR/truth/{lungs,airways,bone,lesions}.nrrd (uint8 on the slice
 * grid; lungs 1 = right, 2 = left) and OUT_DIR/truth/facts.json (grid, rescale, UIDs, tissue values,
 * nodules, and volumes in mL computed as mask voxel count x voxel volume). facts.json is written
 * last, so its presence means the phantom is complete. */
WrittenChestPhantom
WriteChestPhantom(const ChestPhantomParameters & parameters, const std::string & outputDirectory,
                  const DicomSeriesDescription & description = {}, const std::vector<std::string> & quirks = {});

/** \brief The real-world troubles `ctprep phantom --quirk NAME` can put into the series, and what
 * `ctprep run` must then do ("ok": correct geometry, HU and lung mask; otherwise the exit code).
 *
 * shuffled-names (no extension, names unrelated to position), junk-files (README, a non-DICOM
 * DIRFILE, a PNG, an empty file), two-series (a second, smaller CT series in the folder), localizer
 * (a sagittal scout in the same series), reversed (file names numbered from the top down),
 * varying-intercepts (RescaleIntercept -1024 / -1000 / -1010 by slice), slope (RescaleSlope 2),
 * missing-slice (one inner slice removed), tracheostomy (an air channel from the trachea through the
 * skin in the neck), gantry-tilt (slices imaged with the gantry tilted by
 * DicomSeriesDescription::GantryDetectorTilt, default 15 degrees, sampled from the phantom at their
 * physical place: see SampleGantryTiltedSlices; the truth stays on the table positions' grid),
 * truncated (one file cut short: exit 4), and pathology with ground truth in truth/lesions.nrrd (see
 * ChestPhantomPathology): mass-hilar, mass-paravertebral, consolidation, effusion (the masses and the
 * consolidation are lung, the effusion is not). Feet-first, thick and thin slices are options of their own
 * (--feet-first, --slice-spacing). */
const std::vector<std::pair<std::string, std::string>> &
PhantomQuirks();

} // namespace ctp

#endif
