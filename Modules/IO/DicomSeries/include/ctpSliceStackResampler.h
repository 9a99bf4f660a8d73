#ifndef ctpSliceStackResampler_h
#define ctpSliceStackResampler_h

#include "ctpImageTypes.h"
#include "ctpSliceGeometry.h"

namespace ctp
{
/** A regular output grid in LPS millimetres. */
struct OutputGrid
{
  HUImageType::PointType     Origin;
  HUImageType::SpacingType   Spacing;
  HUImageType::DirectionType Direction;
  HUImageType::SizeType      Size;
};

/** How a slice stack is put on a regular grid. */
enum class StackMapping
{
  /** Physical: output voxels are placed in patient space and sampled from the slices that bracket them
   *  along the slice normal, each at the orthogonal projection of the voxel into its plane. Removes
   *  gantry-tilt shear; the grid is orthogonal. */
  Physical,
  /** Stack: voxel (i, j) of every slice keeps its in-plane index, only the slice axis is resampled;
   *  the gantry-tilt shear stays (what --keep-tilt asks for). */
  Stack
};

/** \brief The grid a slice stack is resampled onto.
 *
 * Slice axis: uniform step = the median step, adjusted so that the first and last slice positions
 * are both grid planes (the physical extent of the series is kept). Physical mapping of a tilted
 * series: axes (row, stacking x row, stacking), where stacking is the unit vector from the first to
 * the last slice position and row is made orthogonal to it; the in-plane extent covers every pixel
 * centre of every slice. Otherwise: the slices' own row, column and normal. */
OutputGrid
PlanUniformGrid(const SliceGeometry & geometry, StackMapping mapping);

/** \brief Resamples a stack of slices (slice k = k-th position of `geometry`) onto `grid` with linear
 * interpolation (bilinear in-plane, linear between the two bracketing slices along the normal).
 * Voxels that no slice covers get `outside`. Multithreaded over output slices. */
HUImageType::Pointer
ResampleSliceStack(const HUImageType * stack, const SliceGeometry & geometry, const OutputGrid & grid,
                   StackMapping mapping, HUPixelType outside);

} // namespace ctp

#endif
