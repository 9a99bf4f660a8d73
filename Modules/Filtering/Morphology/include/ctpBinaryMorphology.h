#ifndef ctpBinaryMorphology_h
#define ctpBinaryMorphology_h

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace ctp
{
/** \brief Exact Euclidean binary morphology on raw 2D/3D masks with anisotropic spacing.
 *
 * Dilation and erosion by a ball of radius R millimetres are thresholds of the squared Euclidean
 * distance transform (Felzenszwalb and Huttenlocher's lower envelope of parabolas, linear in the
 * number of voxels whatever R is), so a 6 mm closing costs the same as a 1 mm one. Masks are
 * contiguous uint8 arrays in ITK order (x fastest); nonzero is "in". The lines of each pass are split
 * between ITK's threads (the global default number). */
class BinaryMorphology
{
public:
  /** dims: (nx, ny) or (nx, ny, nz); spacing in mm for each axis. */
  BinaryMorphology(std::vector<size_t> dims, std::vector<double> spacing);

  /** mask := mask dilated by a ball of `radius` mm. */
  void
  Dilate(uint8_t * mask, double radius);
  /** mask := mask eroded by a ball of `radius` mm (voxels outside the array count as "out"). */
  void
  Erode(uint8_t * mask, double radius);
  /** Dilation then erosion: fills gaps and bays narrower than the ball. */
  void
  Close(uint8_t * mask, double radius);
  /** Closing by a line segment along one axis: along every line of voxels parallel to `axis`, a run of
   *  "out" voxels between two "in" voxels becomes "in" when it is at most `gap` mm long. */
  void
  CloseGaps(uint8_t * mask, size_t axis, double gap);

  /** Squared distance (mm^2) from every voxel to the nearest voxel where `seed` is nonzero; exact up to
   *  `maximum`, beyond it some value above `maximum` (infinity), which spares the passes the far voxels. */
  void
  SquaredDistance(const uint8_t * seed, std::vector<float> & distance,
                  float maximum = std::numeric_limits<float>::infinity());

private:
  std::vector<size_t> m_Dims;
  std::vector<double> m_Spacing;
  size_t              m_Count{ 1 };
  std::vector<float>  m_Distance;
};

/** Fills the holes of a 2D mask: "out" pixels not connected (4-neighbourhood) to the border become "in". */
void
FillHoles2D(uint8_t * mask, size_t nx, size_t ny);

} // namespace ctp

#endif
