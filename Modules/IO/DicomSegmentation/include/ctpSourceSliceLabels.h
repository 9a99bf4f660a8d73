#ifndef ctpSourceSliceLabels_h
#define ctpSourceSliceLabels_h

#include "ctpDicomFileInfo.h"
#include "ctpImageTypes.h"

#include <vector>

namespace ctp
{
/** \brief The labels of `mask` at every pixel of one source slice, by nearest neighbour: what the
 *  mask says on the series' own grid.
 *
 * Pixel (column i, row j) of `slice` lies at ImagePositionPatient + i * column spacing * row direction
 * + j * row spacing * column direction (PS3.3 C.7.6.2.1.1); its label is the mask's voxel whose centre
 * is nearest (continuous index rounded half up, floor(x + 0.5), on each axis), 0 outside the mask's
 * grid. Works for any slice: tilted, unevenly spaced or rotated series are placed by their own
 * positions. Returns Rows x Columns labels, row by row. */
std::vector<MaskPixelType>
LabelsOnSourceSlice(const MaskImageType * mask, const DicomFileInfo & slice);

} // namespace ctp

#endif
