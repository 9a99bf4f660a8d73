#include "ctpSurfaceExtractor.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpItkToVtkImage.h"
#include "ctpWindowedSincSmoother.h"

#include <vtkCellArray.h>
#include <vtkDiscreteFlyingEdges3D.h>
#include <vtkFlyingEdges3D.h>
#include <vtkFloatArray.h>
#include <vtkImageConstantPad.h>
#include <vtkMatrix4x4.h>
#include <vtkPoints.h>
#include <vtkQuadricDecimation.h>
#include <vtkTransform.h>
#include <vtkTransformPolyDataFilter.h>
#include <vtkWindowedSincPolyDataFilter.h>

#include "itkMultiThreaderBase.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>

namespace ctp
{
namespace
{
/** Signed volume (mm^3) enclosed by the triangles: positive when they face outwards. */
double
SignedVolume(vtkPolyData * mesh)
{
  vtkPoints *       points = mesh->GetPoints();
  vtkCellArray *    polys = mesh->GetPolys();
  double            volume = 0.0;
  vtkIdType         n = 0;
  const vtkIdType * ids = nullptr;
  polys->InitTraversal();
  while (polys->GetNextCell(n, ids))
  {
    double a[3];
    double b[3];
    double c[3];
    points->GetPoint(ids[0], a);
    for (vtkIdType t = 1; t + 1 < n; ++t)
    {
      points->GetPoint(ids[t], b);
      points->GetPoint(ids[t + 1], c);
      volume +=
        a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    }
  }
  return volume / 6.0;
}

/** The contour at `value` of an index-space image (flying edges; the discrete variant for labels). */
template <typename TContour>
vtkSmartPointer<vtkPolyData>
Contour(vtkImageData * image, vtkAlgorithmOutput * port, double value)
{
  auto contour = vtkSmartPointer<TContour>::New();
  if (port != nullptr)
  {
    contour->SetInputConnection(port);
  }
  else
  {
    contour->SetInputData(image);
  }
  contour->SetValue(0, value);
  contour->ComputeNormalsOff();
  contour->ComputeGradientsOff();
  contour->ComputeScalarsOff();
  contour->Update();
  return contour->GetOutput();
}

/** Windowed-sinc smoothing: the threaded SmoothWindowedSinc for triangle meshes (what contouring
 * makes), vtkWindowedSincPolyDataFilter for anything else. */
vtkSmartPointer<vtkPolyData>
Smooth(vtkPolyData * mesh, const SurfaceOptions & options)
{
  vtkCellArray * polys = mesh->GetPolys();
  auto *         coordinates = vtkFloatArray::SafeDownCast(mesh->GetPoints()->GetData());
  if (polys->IsHomogeneous() == 3 && coordinates != nullptr && mesh->GetNumberOfLines() == 0 &&
      mesh->GetNumberOfStrips() == 0)
  {
    std::vector<int64_t> triangles(static_cast<size_t>(polys->GetNumberOfConnectivityIds()));
    if (polys->IsStorage64Bit())
    {
      const auto * ids = polys->GetConnectivityArray64()->GetPointer(0);
      std::copy(ids, ids + triangles.size(), triangles.begin());
    }
    else
    {
      const auto * ids = polys->GetConnectivityArray32()->GetPointer(0);
      std::copy(ids, ids + triangles.size(), triangles.begin());
    }
    const float *      in = coordinates->GetPointer(0);
    std::vector<float> points(in, in + 3 * mesh->GetNumberOfPoints());
    SmoothWindowedSinc(points, triangles, options.SmoothingIterations, options.PassBand);
    auto smoothed = vtkSmartPointer<vtkFloatArray>::New();
    smoothed->SetNumberOfComponents(3);
    smoothed->SetNumberOfTuples(mesh->GetNumberOfPoints());
    std::copy(points.begin(), points.end(), smoothed->GetPointer(0));
    auto newPoints = vtkSmartPointer<vtkPoints>::New();
    newPoints->SetData(smoothed);
    auto output = vtkSmartPointer<vtkPolyData>::New();
    output->ShallowCopy(mesh);
    output->SetPoints(newPoints);
    return output;
  }
  auto smoother = vtkSmartPointer<vtkWindowedSincPolyDataFilter>::New();
  smoother->SetInputData(mesh);
  smoother->SetNumberOfIterations(options.SmoothingIterations);
  smoother->SetPassBand(options.PassBand);
  smoother->NormalizeCoordinatesOn();
  smoother->BoundarySmoothingOff();
  smoother->FeatureEdgeSmoothingOff();
  smoother->NonManifoldSmoothingOn();
  smoother->Update();
  return smoother->GetOutput();
}

/** Smoothing, decimation, index -> LPS transform, outward orientation. */
Surface
Finish(vtkPolyData * contour, const std::array<double, 16> & indexToPhysical, const SurfaceOptions & options)
{
  vtkSmartPointer<vtkPolyData> mesh = contour;
  if (options.SmoothingIterations > 0 && mesh->GetNumberOfPolys() > 0)
  {
    mesh = Smooth(mesh, options);
  }
  if (options.Decimation > 0.0 && mesh->GetNumberOfPolys() > 0)
  {
    auto decimate = vtkSmartPointer<vtkQuadricDecimation>::New();
    decimate->SetInputData(mesh);
    decimate->SetTargetReduction(options.Decimation);
    decimate->VolumePreservationOn();
    decimate->Update();
    mesh = decimate->GetOutput();
  }
  auto matrix = vtkSmartPointer<vtkMatrix4x4>::New();
  matrix->DeepCopy(indexToPhysical.data());
  auto transform = vtkSmartPointer<vtkTransform>::New();
  transform->SetMatrix(matrix);
  auto toPhysical = vtkSmartPointer<vtkTransformPolyDataFilter>::New();
  toPhysical->SetInputData(mesh);
  toPhysical->SetTransform(transform);
  toPhysical->SetOutputPointsPrecision(vtkAlgorithm::SINGLE_PRECISION);
  toPhysical->Update();
  Surface surface;
  surface.Mesh = toPhysical->GetOutput();
  surface.Triangles = static_cast<size_t>(surface.Mesh->GetNumberOfPolys());
  // Flying edges orients every triangle consistently; only the whole surface may face inwards (the
  // contour convention, or a mirroring direction matrix). The signed enclosed volume says which.
  if (SignedVolume(surface.Mesh) < 0.0)
  {
    vtkCellArray * polys = surface.Mesh->GetPolys();
    for (vtkIdType cell = 0; cell < polys->GetNumberOfCells(); ++cell)
    {
      polys->ReverseCellAtId(cell);
    }
    polys->Modified();
  }
  return surface;
}
} // namespace

Surface
SurfaceExtractor::FromHU(const HUImageType * hu, double value, const SurfaceOptions & options,
                         const MaskImageType * within)
{
  const double outside = std::min(value - 1000.0, double(AirHU));
  if (within != nullptr)
  {
    // HU inside the mask, air elsewhere, padded by a voxel of air on every side.
    const auto size = hu->GetLargestPossibleRegion().GetSize();
    auto       image = vtkSmartPointer<vtkImageData>::New();
    image->SetExtent(-1, int(size[0]), -1, int(size[1]), -1, int(size[2]));
    image->AllocateScalars(VTK_SHORT, 1);
    auto *       out = static_cast<int16_t *>(image->GetScalarPointer());
    const size_t px = size_t(size[0]) + 2;
    const size_t py = size_t(size[1]) + 2;
    std::fill(out, out + px * py * (size_t(size[2]) + 2), static_cast<int16_t>(outside));
    const HUPixelType *   in = hu->GetBufferPointer();
    const MaskPixelType * mask = within->GetBufferPointer();
    itk::MultiThreaderBase::New()->ParallelizeArray(
      0,
      size[2],
      [&](itk::SizeValueType k) {
        for (size_t j = 0; j < size[1]; ++j)
        {
          const size_t row = (k * size[1] + j) * size[0];
          int16_t *    dst = out + ((k + 1) * py + (j + 1)) * px + 1;
          for (size_t i = 0; i < size[0]; ++i)
          {
            dst[i] = mask[row + i] ? in[row + i] : static_cast<int16_t>(outside);
          }
        }
      },
      nullptr);
    return Finish(Contour<vtkFlyingEdges3D>(image, nullptr, value), IndexToPhysicalMatrix(hu), options);
  }
  ItkToVtkImage<HUImageType> view(hu);
  // Index space: origin 0, spacing 1, no direction; the padding is one voxel of air around.
  auto image = vtkSmartPointer<vtkImageData>::New();
  image->ShallowCopy(view.GetOutput());
  image->SetOrigin(0.0, 0.0, 0.0);
  image->SetSpacing(1.0, 1.0, 1.0);
  image->SetDirectionMatrix(1, 0, 0, 0, 1, 0, 0, 0, 1);
  int extent[6];
  image->GetExtent(extent);
  auto pad = vtkSmartPointer<vtkImageConstantPad>::New();
  pad->SetInputData(image);
  pad->SetOutputWholeExtent(extent[0] - 1, extent[1] + 1, extent[2] - 1, extent[3] + 1, extent[4] - 1, extent[5] + 1);
  pad->SetConstant(outside);
  return Finish(Contour<vtkFlyingEdges3D>(nullptr, pad->GetOutputPort(), value), IndexToPhysicalMatrix(hu), options);
}

Surface
SurfaceExtractor::FromLabels(const MaskImageType * mask, const std::vector<MaskPixelType> & labels,
                             const SurfaceOptions & options)
{
  // The selected labels as one binary image, padded by a voxel of background on every side.
  const auto size = mask->GetLargestPossibleRegion().GetSize();
  auto       image = vtkSmartPointer<vtkImageData>::New();
  image->SetExtent(-1, int(size[0]), -1, int(size[1]), -1, int(size[2]));
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 1);
  auto *     out = static_cast<uint8_t *>(image->GetScalarPointer());
  const auto px = size_t(size[0]) + 2;
  const auto py = size_t(size[1]) + 2;
  std::fill(out, out + px * py * (size_t(size[2]) + 2), uint8_t(0));
  bool select[256] = {};
  for (const auto l : labels)
  {
    select[l] = true;
  }
  const MaskPixelType * in = mask->GetBufferPointer();
  for (size_t k = 0; k < size[2]; ++k)
  {
    for (size_t j = 0; j < size[1]; ++j)
    {
      const MaskPixelType * row = in + (k * size[1] + j) * size[0];
      uint8_t *             dst = out + ((k + 1) * py + (j + 1)) * px + 1;
      for (size_t i = 0; i < size[0]; ++i)
      {
        dst[i] = select[row[i]] ? 1 : 0;
      }
    }
  }
  return Finish(Contour<vtkDiscreteFlyingEdges3D>(image, nullptr, 1.0), IndexToPhysicalMatrix(mask), options);
}

void
WriteStl(vtkPolyData * mesh, const std::string & path, const std::string & description)
{
  if (mesh == nullptr || mesh->GetNumberOfPolys() == 0)
  {
    throw Error(ErrorKind::ProcessingFailed, path, "empty surface: nothing to write");
  }
  // Binary STL: 80-byte header ("SPACE=LPS" first, as 3D Slicer reads it), uint32 count, then per
  // triangle 12 float32 (normal, three vertices) and a uint16. Assembled in memory, written at once
  // (vtkSTLWriter writes field by field and is several times slower on millions of triangles).
  std::vector<std::array<vtkIdType, 3>> triangles;
  triangles.reserve(static_cast<size_t>(mesh->GetNumberOfPolys()));
  vtkCellArray *    polys = mesh->GetPolys();
  vtkIdType         n = 0;
  const vtkIdType * ids = nullptr;
  polys->InitTraversal();
  while (polys->GetNextCell(n, ids))
  {
    for (vtkIdType t = 1; t + 1 < n; ++t)
    {
      triangles.push_back({ ids[0], ids[t], ids[t + 1] });
    }
  }
  std::string header = "SPACE=LPS " + description;
  header.resize(80, ' ');
  std::vector<char> buffer(84 + 50 * triangles.size());
  std::memcpy(buffer.data(), header.data(), 80);
  const auto count = static_cast<uint32_t>(triangles.size());
  std::memcpy(buffer.data() + 80, &count, 4);
  vtkPoints * points = mesh->GetPoints();
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    triangles.size(),
    [&](itk::SizeValueType t) {
      double p[3][3];
      for (int v = 0; v < 3; ++v)
      {
        points->GetPoint(triangles[t][static_cast<size_t>(v)], p[v]);
      }
      const double u[3] = { p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2] };
      const double w[3] = { p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2] };
      double       normal[3] = { u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0] };
      const double length = std::sqrt(normal[0] * normal[0] + normal[1] * normal[1] + normal[2] * normal[2]);
      float        record[12];
      for (int a = 0; a < 3; ++a)
      {
        record[a] = length > 0.0 ? static_cast<float>(normal[a] / length) : 0.f;
        for (int v = 0; v < 3; ++v)
        {
          record[3 + 3 * v + a] = static_cast<float>(p[v][a]);
        }
      }
      char * out = buffer.data() + 84 + 50 * t;
      std::memcpy(out, record, 48);
      out[48] = out[49] = 0;
    },
    nullptr);
  AtomicOutputFile file(path);
  {
    std::ofstream out(file.TemporaryPath(), std::ios::binary | std::ios::trunc);
    out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    out.flush();
    if (!out)
    {
      throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write STL: ") + std::strerror(errno));
    }
  }
  file.Commit();
}

double
EnclosedVolumeMl(vtkPolyData * mesh)
{
  return SignedVolume(mesh) / 1000.0;
}

size_t
OpenOrNonManifoldEdges(vtkPolyData * mesh)
{
  std::map<std::pair<vtkIdType, vtkIdType>, int> edges;
  auto                                           polys = mesh->GetPolys();
  polys->InitTraversal();
  vtkIdType         n = 0;
  const vtkIdType * ids = nullptr;
  while (polys->GetNextCell(n, ids))
  {
    for (vtkIdType e = 0; e < n; ++e)
    {
      const vtkIdType a = ids[e];
      const vtkIdType b = ids[(e + 1) % n];
      ++edges[{ std::min(a, b), std::max(a, b) }];
    }
  }
  size_t bad = 0;
  for (const auto & [edge, count] : edges)
  {
    bad += count != 2;
  }
  return bad;
}

} // namespace ctp
