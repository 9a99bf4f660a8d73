// SmoothWindowedSinc against its reference, vtkWindowedSincPolyDataFilter (same settings as CTPrep's:
// boundary and feature-edge smoothing off, non-manifold smoothing on), on contour meshes.
#include "ctpWindowedSincSmoother.h"

#include <gtest/gtest.h>
#include <vtkCellArray.h>
#include <vtkFloatArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkPointData.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include <cmath>
#include <iostream>

namespace
{
/** A blobby closed surface (two overlapping ellipsoids, a bump) contoured with flying edges. */
vtkSmartPointer<vtkPolyData>
Blob(int size, bool cutOpen = false)
{
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->SetDimensions(size, size, size);
  image->AllocateScalars(VTK_FLOAT, 1);
  auto *       v = static_cast<float *>(image->GetScalarPointer());
  const double c = 0.5 * (size - 1);
  for (int k = 0; k < size; ++k)
  {
    for (int j = 0; j < size; ++j)
    {
      for (int i = 0; i < size; ++i)
      {
        const double x = (i - c) / c;
        const double y = (j - c) / c;
        // Cut open: the blob is moved up so the volume's top face cuts it; flying edges leaves the
        // surface open there (boundary edges).
        const double z = (k - c) / c - (cutOpen ? 0.6 : 0.0);
        const double a = x * x / 0.5 + y * y / 0.2 + z * z / 0.3;
        const double b = (x - 0.3) * (x - 0.3) / 0.1 + (y + 0.2) * (y + 0.2) / 0.4 + z * z / 0.2;
        v[(size_t(k) * size + j) * size + i] = float(std::min(a, b));
      }
    }
  }
  auto contour = vtkSmartPointer<vtkFlyingEdges3D>::New();
  contour->SetInputData(image);
  contour->SetValue(0, 1.0);
  contour->ComputeNormalsOff();
  contour->ComputeScalarsOff();
  contour->Update();
  return contour->GetOutput();
}

/** Largest distance between matching points of VTK's result and ours, and the mesh's size. */
void
Compare(vtkPolyData * mesh, int iterations, double passBand, double & worst, double & size)
{
  auto vtk = vtkSmartPointer<vtkWindowedSincPolyDataFilter>::New();
  vtk->SetInputData(mesh);
  vtk->SetNumberOfIterations(iterations);
  vtk->SetPassBand(passBand);
  vtk->NormalizeCoordinatesOn();
  vtk->BoundarySmoothingOff();
  vtk->FeatureEdgeSmoothingOff();
  vtk->NonManifoldSmoothingOn();
  vtk->Update();

  auto * coordinates = vtkFloatArray::SafeDownCast(mesh->GetPoints()->GetData());
  ASSERT_NE(coordinates, nullptr);
  std::vector<float>   points(coordinates->GetPointer(0), coordinates->GetPointer(0) + 3 * mesh->GetNumberOfPoints());
  std::vector<int64_t> triangles;
  auto *               polys = mesh->GetPolys();
  ASSERT_EQ(polys->IsHomogeneous(), 3);
  vtkIdType         n = 0;
  const vtkIdType * ids = nullptr;
  for (polys->InitTraversal(); polys->GetNextCell(n, ids);)
  {
    triangles.insert(triangles.end(), ids, ids + n);
  }
  ctp::SmoothWindowedSinc(points, triangles, iterations, passBand);

  double bounds[6];
  mesh->GetBounds(bounds);
  size = std::max({ bounds[1] - bounds[0], bounds[3] - bounds[2], bounds[5] - bounds[4] });
  worst = 0.0;
  double moved = 0.0;
  for (vtkIdType p = 0; p < mesh->GetNumberOfPoints(); ++p)
  {
    double reference[3];
    double original[3];
    vtk->GetOutput()->GetPoint(p, reference);
    mesh->GetPoint(p, original);
    double d2 = 0.0;
    double m2 = 0.0;
    for (int k = 0; k < 3; ++k)
    {
      d2 += (reference[k] - points[3 * size_t(p) + size_t(k)]) * (reference[k] - points[3 * size_t(p) + size_t(k)]);
      m2 += (reference[k] - original[k]) * (reference[k] - original[k]);
    }
    worst = std::max(worst, std::sqrt(d2));
    moved = std::max(moved, std::sqrt(m2));
  }
  EXPECT_GT(moved, 1e-3 * size) << "the reference did not smooth at all: the comparison would prove nothing";
}
} // namespace

TEST(WindowedSincSmoother, EqualsVtkOnAClosedContour)
{
  const auto mesh = Blob(48);
  ASSERT_GT(mesh->GetNumberOfPolys(), 1000);
  for (const int iterations : { 1, 2, 15, 30 })
  {
    double worst = 0.0;
    double size = 0.0;
    Compare(mesh, iterations, 0.1, worst, size);
    EXPECT_LT(worst, 1e-4 * size) << iterations << " iterations";
    std::cout << iterations << " iterations: largest difference " << worst << " of size " << size << std::endl;
  }
  double worst = 0.0;
  double size = 0.0;
  Compare(mesh, 15, 0.01, worst, size);
  EXPECT_LT(worst, 1e-4 * size) << "pass band 0.01";
}

// CTPrep's surfaces are always closed (padded before contouring); on an open mesh the boundary
// vertices stay where they are, as vtkWindowedSincPolyDataFilter documents for BoundarySmoothing off.
// (Debian's VTK 9.1 filter was seen moving them all the same; this test checks the documented rule.)
TEST(WindowedSincSmoother, BoundaryVerticesStay)
{
  const auto mesh = Blob(40, true);
  ASSERT_GT(mesh->GetNumberOfPolys(), 1000);
  auto *               coordinates = vtkFloatArray::SafeDownCast(mesh->GetPoints()->GetData());
  std::vector<float>   points(coordinates->GetPointer(0), coordinates->GetPointer(0) + 3 * mesh->GetNumberOfPoints());
  const auto           original = points;
  std::vector<int64_t> triangles;
  vtkIdType            n = 0;
  const vtkIdType *    ids = nullptr;
  auto *               polys = mesh->GetPolys();
  for (polys->InitTraversal(); polys->GetNextCell(n, ids);)
  {
    triangles.insert(triangles.end(), ids, ids + n);
  }
  ctp::SmoothWindowedSinc(points, triangles, 15, 0.1);
  size_t onTop = 0;
  size_t inside = 0;
  size_t movedInside = 0;
  for (size_t v = 0; v < original.size() / 3; ++v)
  {
    const bool moved = points[3 * v] != original[3 * v] || points[3 * v + 1] != original[3 * v + 1] ||
                       points[3 * v + 2] != original[3 * v + 2];
    if (original[3 * v + 2] == 39.0f) // on the volume's top face: the open boundary
    {
      ++onTop;
      EXPECT_FALSE(moved) << "boundary vertex " << v << " moved";
    }
    else
    {
      ++inside;
      movedInside += moved ? 1 : 0;
    }
  }
  EXPECT_GT(onTop, 20u);
  EXPECT_GT(movedInside, inside * 9 / 10);
}

TEST(WindowedSincSmoother, NothingToDo)
{
  std::vector<float> points{ 0, 0, 0, 1, 0, 0, 0, 1, 0 };
  const auto         copy = points;
  ctp::SmoothWindowedSinc(points, { 0, 1, 2 }, 0, 0.1);
  EXPECT_EQ(points, copy);
  ctp::SmoothWindowedSinc(points, {}, 15, 0.1);
  EXPECT_EQ(points, copy);
}
