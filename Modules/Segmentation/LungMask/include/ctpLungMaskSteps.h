#ifndef ctpLungMaskSteps_h
#define ctpLungMaskSteps_h

#include "ctpImageTypes.h"

#include "itkMultiThreaderBase.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** \brief The steps of LungMaskImageFilter's segmentation (its stages 1 to 7), one function each;
 * stage 3, the airway, is in ctpAirwayTracking.h.
 *
 * A detail of the filter, not an API: LungMaskImageFilter documents what each stage does and why;
 * these functions work on the raw buffers of the input's grid, in the order the filter calls them. */
namespace lungmask
{
/** What a voxel is to the air stages (1 to 4). */
enum AirState : uint8_t
{
  Tissue = 0,
  InternalAir = 1,
  OutsideAir = 2,
  Labelled = 3 ///< internal air already taken into a component (stage 4)
};

/** The input's grid as the stages use it: sizes of the buffer and the index-to-LPS-x mapping. */
struct VoxelGrid
{
  explicit VoxelGrid(const HUImageType * image);

  size_t                     Nx;
  size_t                     Ny;
  size_t                     Nz;
  size_t                     SliceSize; ///< Nx * Ny
  size_t                     Count;     ///< SliceSize * Nz
  HUImageType::SpacingType   Spacing;
  HUImageType::PointType     Origin;
  HUImageType::DirectionType Direction;

  /** LPS x of the continuous index (i, j, k): the patient's right is -x, left +x. */
  double
  PhysicalX(double i, double j, double k) const
  {
    return Origin[0] + Direction[0][0] * i * Spacing[0] + Direction[0][1] * j * Spacing[1] +
           Direction[0][2] * k * Spacing[2];
  }
};

/** Stages 1 and 2: each voxel Tissue, InternalAir (below `threshold` HU) or OutsideAir (air connected
 *  to its slice's edge). With `tissueClosingRadius` > 0 (the fallback) the tissue is first closed by
 *  that many mm in each slice, sealing channels from the outside into the chest. */
std::vector<uint8_t>
ClassifyAir(const HUImageType * input, const VoxelGrid & grid, double threshold, double tissueClosingRadius,
            itk::MultiThreaderBase * threader);

/** The body: 1 in the largest 6-connected region of voxels that are not outside air, 0 elsewhere. */
MaskImageType::Pointer
BodyMask(const HUImageType * input, const VoxelGrid & grid, const std::vector<uint8_t> & state);

/** A 6-connected component of internal air, kept as the runs along x that the scanline fill made. */
struct AirComponent
{
  struct Run
  {
    uint32_t X0;
    uint32_t X1;
    uint32_t Y;
    uint32_t Z;
  };
  size_t           Voxels{ 0 };
  double           SumI{ 0.0 };
  double           SumJ{ 0.0 };
  double           SumK{ 0.0 };
  std::vector<Run> Runs; ///< empty for noise (fewer than 8 voxels): never a lung

  /** LPS x of the centroid. */
  double
  X(const VoxelGrid & grid) const
  {
    return grid.PhysicalX(SumI / double(Voxels), SumJ / double(Voxels), SumK / double(Voxels));
  }
};

/** Stage 4, first half: the 3D components of the remaining internal air, in scan order; their voxels
 *  become Labelled in `state`. */
std::vector<AirComponent>
AirComponents(const VoxelGrid & grid, std::vector<uint8_t> & state);

/** Stage 4, second half: the largest component is lung, and the second largest when it lies on the
 *  other side of the midline (the trachea's x, else between the two) with at least
 *  `minimumSecondFraction` of the largest's voxels; one component holding both lungs is split at the
 *  trachea's x, else at its own centre. Writes RightLung and LeftLung into `out`; false when there is
 *  no internal air at all. */
bool
LabelLungs(const VoxelGrid & grid, const std::vector<AirComponent> & components, std::optional<double> tracheaX,
           double minimumSecondFraction, MaskPixelType * out);

/** Stage 5: per slice and per lung, a closing by `radius` mm and hole filling, so that vessels and
 *  nodules, on the wall too, belong to the lung. */
void
FillLungs(const VoxelGrid & grid, double radius, itk::MultiThreaderBase * threader, MaskPixelType * out);

/** Stage 6: each lung dilated by `radius` mm in 3D, into the background only. */
void
DilateLungs(const VoxelGrid & grid, double radius, MaskPixelType * out);

/** Voxel counts of the labels the plausibility check weighs. */
struct LungVoxels
{
  size_t Right{ 0 };
  size_t Left{ 0 };
  size_t Airway{ 0 };
};

LungVoxels
CountLungVoxels(const VoxelGrid & grid, const MaskPixelType * out);

/** Stage 7: why lungs of these volumes are implausible (total outside [minimumLitres, maximumLitres],
 *  or one side under 10% of the total), or an empty string when they are plausible. */
std::string
Implausibility(double rightMl, double leftMl, double minimumLitres, double maximumLitres);

} // namespace lungmask
} // namespace ctp

#endif
