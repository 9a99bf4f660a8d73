#ifndef ctpWindowedSincSmoother_h
#define ctpWindowedSincSmoother_h

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ctp
{
/** \brief Windowed-sinc smoothing of a triangle mesh (Taubin, Zhang and Golub, "Optimal surface
 * smoothing as filter design", IBM RC-20404, 1996), threaded.
 *
 * The filter of vtkWindowedSincPolyDataFilter (Hamming window, Chebyshev recurrence, the offset sigma
 * found by Newton's method so the pass band gains 1), computed with the same recurrence but on a
 * compressed neighbour list and over all cores: VTK 9.1's filter runs on one core and spends most of
 * its time in per-vertex vtkIdLists (1.3 s of CPU for A0001's 2.5 million triangles at 15
 * iterations). Neighbours are the vertices sharing an edge; vertices on boundary edges (used by one
 * triangle) stay where they are, as VTK's with BoundarySmoothing off; non-manifold vertices are
 * smoothed like any other (NonManifoldSmoothing on; VTK counts a neighbour across a non-manifold
 * edge once per triangle, this once). Feature-edge smoothing is not offered. On manifold meshes, open
 * or closed, the result equals VTK's up to float rounding (tested).
 *
 * `points` holds x, y, z per vertex (smoothed in place); `triangles` three vertex indices each. */
void
SmoothWindowedSinc(std::vector<float> & points, const std::vector<int64_t> & triangles, int iterations,
                   double passBand);

/** The Chebyshev coefficients c[0..iterations] of the windowed-sinc low-pass filter (with the
 *  window and the offset applied), as the smoother uses them. */
std::vector<double>
WindowedSincCoefficients(int iterations, double passBand);

} // namespace ctp

#endif
