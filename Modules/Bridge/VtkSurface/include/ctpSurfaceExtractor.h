#ifndef ctpSurfaceExtractor_h
#define ctpSurfaceExtractor_h

#include "ctpImageTypes.h"

#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

namespace ctp
{
/** How a surface is made after contouring. */
struct SurfaceOptions
{
  /** Windowed-sinc smoothing iterations (SmoothWindowedSinc, the filter of
   *  vtkWindowedSincPolyDataFilter); 0: no smoothing. */
  int SmoothingIterations{ 15 };
  /** Its pass band (0..2; lower is smoother). 0.1 removes the voxel staircase, keeps the shape. */
  double PassBand{ 0.1 };
  /** Fraction of triangles removed by vtkQuadricDecimation; 0: none. */
  double Decimation{ 0.0 };
};

/** A surface in LPS millimetres and what it took. */
struct Surface
{
  vtkSmartPointer<vtkPolyData> Mesh;
  size_t                       Triangles{ 0 };
};

/** \brief Surfaces of CT volumes for 3D Slicer, the way Slicer's labelmap-to-surface rule makes them.
 *
 * The volume is padded by one voxel (so the surface closes where the object touches the border),
 * contoured in index space, optionally smoothed (windowed sinc, normalized coordinates) and
 * decimated, then moved to patient LPS millimetres with the full index-to-physical matrix (direction
 * included: never an axis flipped by hand), and given consistent outward normals. */
class SurfaceExtractor
{
public:
  /** Isosurface of HU at `value` (bone: 400 HU) with vtkFlyingEdges3D; with `within`, only inside
   *  that mask (the body: so the patient table, denser than 400 HU on many scanners, is not bone). */
  static Surface
  FromHU(const HUImageType * hu, double value, const SurfaceOptions & options, const MaskImageType * within = nullptr);

  /** Boundary of the voxels whose label is one of `labels` (lungs: 1 and 2), with
   *  vtkDiscreteFlyingEdges3D on the binary padded mask. */
  static Surface
  FromLabels(const MaskImageType * mask, const std::vector<MaskPixelType> & labels, const SurfaceOptions & options);
};

/** Writes a binary STL whose 80-byte header starts "SPACE=LPS" (3D Slicer then reads the coordinates as
 *  LPS), atomically. Throws ctp::Error(OutputNotWritable); refuses (ProcessingFailed) an empty mesh. */
void
WriteStl(vtkPolyData * mesh, const std::string & path, const std::string & description);

/** Enclosed volume (mL) of a closed triangle mesh (divergence theorem). */
double
EnclosedVolumeMl(vtkPolyData * mesh);

/** Number of edges not shared by exactly two triangles (0 for a closed manifold surface). */
size_t
OpenOrNonManifoldEdges(vtkPolyData * mesh);

} // namespace ctp

#endif
