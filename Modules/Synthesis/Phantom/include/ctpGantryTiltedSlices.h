#ifndef ctpGantryTiltedSlices_h
#define ctpGantryTiltedSlices_h

#include "ctpImageTypes.h"

namespace ctp
{
/** \brief The slices a CT scanner with its gantry tilted by `tiltDegrees` acquires at the table
 * positions of `grid`, sampled from `volume`.
 *
 * A tilted gantry moves the table as usual but images planes rotated about the patient's x axis
 * (left-right): every slice keeps its table position (ImagePositionPatient advances by the table step,
 * x and y fixed), the row axis stays, and the column axis turns by the tilt, as Philips writes it
 * (GantryDetectorTilt +16.5 with ImageOrientationPatient 1\0\0\0\0.9588\0.2840; GE writes the opposite
 * sign of the tilt for the same geometry). Each tilted plane goes through the centre of its slice of
 * `grid` (the isocentre at that table position).
 *
 * The result is a volume with `grid`'s size and spacing and a sheared direction: columns (row, tilted
 * column, slice axis of `grid`), so voxel (i, j, k) is pixel (i, j) of tilted slice k at its physical
 * point, and WriteDicomSeries writes it as the scanner would. Each pixel is the trilinear
 * interpolation of `volume` at that point (the anatomy stays where it physically is); `volume` must
 * cover every tilted slice (ChestPhantomParameters::ExtraSlices), pixels outside it and outside the
 * circle inscribed in each slice (the scanner's field of view) get ChestPhantomTissues::OutOfScan.
 * Throws ctp::Error(Usage) for a tilt of 45 degrees or more. */
HUImageType::Pointer
SampleGantryTiltedSlices(const HUImageType * volume, const HUImageType * grid, double tiltDegrees);

/** How many extra slices (ChestPhantomParameters::ExtraSlices) a phantom needs beyond each end so that
 *  every slice tilted by `tiltDegrees` lies inside it. */
unsigned int
ExtraSlicesForGantryTilt(unsigned int matrix, double pixelSpacing, double sliceSpacing, double tiltDegrees);

} // namespace ctp

#endif
