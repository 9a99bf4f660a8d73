#ifndef ctpSliceFill_h
#define ctpSliceFill_h

#include "ctpImageTypes.h"

#include <cstddef>
#include <initializer_list>

namespace ctp
{
/** \brief Fills one region of a label slice: the pixels holding any of `inside`, closed by a disk of
 * `radius` mm and with their holes filled; background pixels (0) so gained become `newLabel`.
 *
 * Works in the bounding box of the region grown by the radius, so a slice costs what its lung
 * covers. What the lung mask's fill does for vessels and nodules. Returns the number of pixels
 * labelled. */
size_t
FillLabelsInSlice(MaskPixelType * slice, size_t nx, size_t ny, double spacingX, double spacingY,
                  std::initializer_list<MaskPixelType> inside, MaskPixelType newLabel, double radius);

/** Fills the margin between a lesion and its lung in one slice, within a window (columns [i0, i1],
 *  rows [j0, j1]): the pixels of `lung` and `lesion` closed by a disk of `radius` mm and their holes
 *  filled, where that is within `radius` of the lesion (so that nothing changes away from it, the
 *  window's edge included); background pixels so gained become `lesion`. Returns their number. */
size_t
FillAroundLesionInSlice(MaskPixelType * slice, size_t nx, size_t i0, size_t i1, size_t j0, size_t j1, double spacingX,
                        double spacingY, MaskPixelType lung, MaskPixelType lesion, double radius);

} // namespace ctp

#endif
