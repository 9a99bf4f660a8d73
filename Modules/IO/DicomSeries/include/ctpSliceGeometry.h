#ifndef ctpSliceGeometry_h
#define ctpSliceGeometry_h

#include "ctpDicomFileInfo.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

namespace ctp
{
using Vector3 = std::array<double, 3>;

inline double
Dot(const Vector3 & a, const Vector3 & b)
{
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

inline Vector3
Cross(const Vector3 & a, const Vector3 & b)
{
  return { a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0] };
}

/** The unit vector along v (v itself when it is zero). */
inline Vector3
Normalized(const Vector3 & v)
{
  const double n = std::sqrt(Dot(v, v));
  return n > 0 ? Vector3{ v[0] / n, v[1] / n, v[2] / n } : v;
}

/** \brief Tolerances of the slice geometry checks (documented in README.md).
 *
 * A step between neighbouring slices is regular when it is within
 * max(RelativeStep x median step, AbsoluteStepMm) of the median step: this absorbs the rounding of
 * ImagePositionPatient in the files, not a real change of spacing. A longer step that is a whole
 * multiple (>= 2) of the median within that tolerance is a gap of missing slices; any other step
 * makes the spacing uneven. A series is tilted when the line through the first and last slice
 * positions leaves the slice normal by more than TiltDegrees. */
struct SliceGeometryTolerances
{
  double RelativeStep{ 0.01 };
  double AbsoluteStepMm{ 0.05 };
  double TiltDegrees{ 0.1 };
};

/** \brief Where the slices of one series lie: sorted along the slice normal, spacing from positions.
 *
 * The normal is row x column of ImageOrientationPatient; slices are ordered by the projection of
 * ImagePositionPatient on it (never by file name or InstanceNumber), and the slice spacing comes
 * from those positions, so a missing or wrong SliceThickness does not matter. */
struct SliceGeometry
{
  Vector3               Row{};            ///< direction of increasing column index (ITK's first axis)
  Vector3               Column{};         ///< direction of increasing row index (ITK's second axis)
  Vector3               Normal{};         ///< Row x Column
  std::array<double, 2> InPlaneSpacing{}; ///< (x, y) = (column spacing, row spacing)
  unsigned int          Columns{ 0 };
  unsigned int          Rows{ 0 };
  std::vector<Vector3>  Positions;       ///< ImagePositionPatient per slice, sorted
  std::vector<double>   NormalPositions; ///< Positions projected on Normal, ascending
  double                MedianStep{ 0.0 };
  double                MinStep{ 0.0 };
  double                MaxStep{ 0.0 };
  size_t                MissingSlices{ 0 }; ///< estimated from gaps that are whole multiples of the median
  size_t                UnevenSteps{ 0 };   ///< steps that are neither regular nor whole multiples
  size_t                DuplicatePositions{ 0 };
  double                TiltDegrees{ 0.0 };
  bool                  Tilted{ false };
  std::optional<double> NominalSliceThickness; ///< SliceThickness of the first file, for the record

  bool
  Uniform() const
  {
    return MissingSlices == 0 && UnevenSteps == 0 && DuplicatePositions == 0;
  }
  /** Is the slice normal closer to the patient's head-feet axis than to any other? */
  bool
  IsAxial() const;
  /** One line: "64 slices, 5 mm apart along the normal" or what is wrong with the spacing. */
  std::string
  DescribeSpacing() const;
};

/** Sorts `files` in place along the slice normal and measures their geometry. All files must share
 *  one orientation and carry ImagePositionPatient (the scanner groups them so). */
SliceGeometry
AnalyzeSliceGeometry(std::vector<DicomFileInfo> & files, const SliceGeometryTolerances & tolerances = {});

/** Angle in degrees between two vectors (0..180). */
double
AngleDegrees(const Vector3 & a, const Vector3 & b);

} // namespace ctp

#endif
