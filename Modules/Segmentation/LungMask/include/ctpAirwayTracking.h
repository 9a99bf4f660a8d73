#ifndef ctpAirwayTracking_h
#define ctpAirwayTracking_h

#include "ctpLungMaskSteps.h"

#include <optional>
#include <vector>

namespace ctp
{
namespace lungmask
{
/** Stage 3: the trachea, found as a small air region near the body's midline in the most superior
 *  30 mm, and the main bronchi, followed down slice by slice while they stay small. Their voxels are
 *  labelled Airway in `out` and become Tissue in `state`. Returns the airway's mean LPS x (the body's
 *  midline), or nothing when no airway was found or the slices are not axial. */
std::optional<double>
LabelAirway(const VoxelGrid & grid, std::vector<uint8_t> & state, MaskPixelType * out);

} // namespace lungmask
} // namespace ctp

#endif
