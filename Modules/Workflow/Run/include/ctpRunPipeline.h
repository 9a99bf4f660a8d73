#ifndef ctpRunPipeline_h
#define ctpRunPipeline_h

#include "ctpRunOptions.h"
#include "ctpRunRecord.h"

namespace ctp
{
/** \brief `ctprep run`: reads the series and writes its outputs into the output folder.
 *
 * The stages of ctpRunStages.h in turn, sharing one RunRecord. Outputs: hu.nrrd and/or hu.nii /
 * hu.nii.gz (int16 HU, LPS geometry, no patient data unless asked), lungmask.*, input.npy, bone.stl,
 * lungs.stl, render.png, preview.png, hu_histogram.png, and ctprep.json (the record: version,
 * parameters, source series, geometry, decisions, warnings, outputs), written last. Every output is
 * written under a temporary name and renamed when complete. Returns the record (its Outputs are file
 * names in the output folder; ctprep.json is not among them). Throws ctp::Error naming the file and
 * the problem. */
RunRecord
RunPipeline(const RunOptions & options);

} // namespace ctp

#endif
