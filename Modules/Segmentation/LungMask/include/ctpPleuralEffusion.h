#ifndef ctpPleuralEffusion_h
#define ctpPleuralEffusion_h

#include "ctpChestBlocks.h"
#include "ctpImageTypes.h"

#include <iosfwd>

namespace ctp
{
/** \class PleuralEffusion
 * \brief Finds pleural effusion, fluid lying against the back of a lung outside it, and measures it
 * per side; labels it on request.
 *
 * On the chest's blocks (ChestBlocks, 3 mm), with the lung mask (1, 4 right lung; 2, 5 left; 3 airways):
 * 1. Fluid: blocks outside the lungs and airways whose mean HU is within [FluidLower, FluidUpper]
 *    (-20..30: water, not fat, and not muscle, blood or the heart, at 40 HU and more), opened by one
 *    block (where fat meets muscle in the chest wall the means pass too, in a thin layer).
 * 2. Regions (6-connected) of at least MinimumVolume (5 mL) whose faces touch a lung at
 *    MinimumLungContact (10%) or more, lying behind that lung's centre, reaching MinimumLateralReach
 *    (50 mm) from the midline: fluid settles at the back of a patient lying on the table and spreads
 *    along the chest wall; the heart and the pericardium are in front, the descending aorta (30-40 HU,
 *    so in the range on a soft kernel) lies by the spine.
 * 3. Full resolution: in those blocks and the blocks next to them (where the fluid meets the lung, a
 *    block holds both), voxels outside the lung mask at or above the fluid range's lower end lowered by
 *    FluidMargin (30 HU: noise; fat is far below) whose 3 x 3 in-slice mean is at most its upper end
 *    (muscle, at 40-60 HU, is not) are the effusion of the lung the region touches most.
 * The lung mask keeps effusion out by itself (the lung's surface against it is convex: no envelope
 * fills it); this step says how much there is. */
class PleuralEffusion
{
public:
  double FluidLower{ -20.0 };
  double FluidUpper{ 30.0 };
  double FluidMargin{ 30.0 };
  double MinimumVolume{ 5.0 };
  double MinimumLungContact{ 0.1 };
  double MinimumLateralReach{ 50.0 };

  /** Finds the effusion of `labels` (which `chest` was pooled from, lesions included); writes `label`
   *  into its voxels unless `label` is 0. Throws std::invalid_argument for parameters out of range. */
  void
  Find(const ChestBlocks & chest, const HUImageType * hu, MaskImageType * labels, MaskPixelType label);

  double
  GetRightVolumeMl() const
  {
    return m_RightVolumeMl;
  }
  double
  GetLeftVolumeMl() const
  {
    return m_LeftVolumeMl;
  }

  void
  Print(std::ostream & os) const;

private:
  double m_RightVolumeMl{ 0.0 };
  double m_LeftVolumeMl{ 0.0 };
};

} // namespace ctp

#endif
