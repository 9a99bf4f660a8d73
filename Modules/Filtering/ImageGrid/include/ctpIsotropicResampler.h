#ifndef ctpIsotropicResampler_h
#define ctpIsotropicResampler_h

#include "ctpImageTypes.h"

#include <array>
#include <string>

namespace ctp
{
enum class Interpolator
{
  Linear,  ///< trilinear: no overshoot, the default
  BSpline, ///< cubic B-spline, as scipy.ndimage.zoom in the classic recipe: sharper, can overshoot
  Nearest  ///< nearest neighbour: keeps the original values
};

/** "linear", "bspline", "nearest"; throws ctp::Error(Usage). */
Interpolator
ParseInterpolator(const std::string & text);
const char *
InterpolatorName(Interpolator interpolator);

/** A regular grid in LPS millimetres. */
struct ImageGrid
{
  HUImageType::PointType     Origin;
  HUImageType::SpacingType   Spacing;
  HUImageType::DirectionType Direction;
  HUImageType::SizeType      Size;
};

/** \brief The grid with about `spacing` mm per axis over the same physical extent and direction.
 *
 * As in the classic recipe, size = round(old size x old spacing / new spacing) per axis; the actual
 * spacing is then old size x old spacing / new size, so the volume's outer faces (voxel edges) stay
 * where they were, and the origin moves by half the difference of the spacings. */
ImageGrid
PlanResampleGrid(const HUImageType * image, const std::array<double, 3> & spacing);

/** \brief HU resampled onto `grid` with the given interpolator, rounded and clamped to int16,
 * anything below -1024 HU (B-spline undershoot, or outside the input) set to `outside`.
 *
 * itk::ResampleImageFilter does the work (streamed in pieces, so only a piece of the float
 * intermediate is in memory), except in the common case of linear interpolation onto a grid with
 * the input's direction (what PlanResampleGrid gives): trilinear interpolation is then three 1D
 * passes, which give ITK's values (within rounding) about four times faster. */
HUImageType::Pointer
ResampleHU(const HUImageType * image, const ImageGrid & grid, Interpolator interpolator, HUPixelType outside = AirHU);

/** Label image resampled onto `grid` by nearest neighbour: labels are never interpolated into each other. */
MaskImageType::Pointer
ResampleLabels(const MaskImageType * labels, const ImageGrid & grid);

} // namespace ctp

#endif
