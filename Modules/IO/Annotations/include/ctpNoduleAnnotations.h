#ifndef ctpNoduleAnnotations_h
#define ctpNoduleAnnotations_h

#include "ctpImageTypes.h"

#include <array>
#include <string>
#include <vector>

namespace ctp
{
/** One row of a LUNA16-style annotation file: a point in world coordinates (LPS mm, as ITK reads the
 *  scan) with its diameter (annotations.csv) or class (candidates.csv). */
struct NoduleAnnotation
{
  std::string           SeriesId;
  std::array<double, 3> PointLPS{};
  double                DiameterMm{ -1.0 }; ///< -1: not given (candidates.csv)
  int                   Class{ -1 };        ///< -1: not given (annotations.csv)
  size_t                Row{ 0 };           ///< line in the file, 2 = the first after the header
};

/** The rows of a LUNA16-style CSV (header `seriesuid,coordX,coordY,coordZ` and `diameter_mm` and/or
 *  `class`, in any column order) whose seriesuid is `seriesId`. Throws ctp::Error(InvalidInput) naming
 *  the file and line when it cannot be read, misses a column or holds a value that is not a number. */
std::vector<NoduleAnnotation>
ReadNoduleAnnotations(const std::string & path, const std::string & seriesId);

/** An annotation placed on an output grid. */
struct MappedNodule
{
  NoduleAnnotation      Annotation;
  std::array<double, 3> ContinuousIndexXYZ{}; ///< ITK's (x, y, z) continuous index
  std::array<long, 3>   IndexXYZ{};           ///< the nearest voxel (x, y, z); input.npy's is (z, y, x)
  std::array<double, 3> DiameterVoxelsXYZ{};  ///< the diameter in voxels along each axis (-1 without one)
  bool                  InsideVolume{ false };
  bool                  InsideLungs{ false }; ///< its voxel holds a label `isLung` calls lung
};

/** Every annotation on the grid of `labels` (the output lungmask: its geometry is the output grid's);
 *  `isLung` says which labels are lung (LungMaskImageFilter::IsLung: 1, 2, 4, 5). */
std::vector<MappedNodule>
MapNodules(const std::vector<NoduleAnnotation> & annotations, const MaskImageType * labels,
           bool (*isLung)(MaskPixelType));

/** nodules.csv: per annotation its LPS position, voxel index in input.npy's (z, y, x) and ITK's
 *  (x, y, z) order, diameter in voxels, and whether it lies inside the volume and the lungs. Atomic. */
void
WriteNodulesCsv(const std::vector<MappedNodule> & nodules, const std::string & path);

/** nodules.mrk.json: a 3D Slicer markups file (points, LPS), one control point per annotation inside
 *  the volume, so the nodules show over hu.nrrd in Slicer. Atomic. */
void
WriteNodulesMarkups(const std::vector<MappedNodule> & nodules, const std::string & path);

} // namespace ctp

#endif
