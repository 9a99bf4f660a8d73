#include "ctpSliceStackResampler.h"
#include "ctpError.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ctp
{
namespace
{
void
SetColumns(HUImageType::DirectionType & direction, const Vector3 & a, const Vector3 & b, const Vector3 & c)
{
  for (unsigned int r = 0; r < 3; ++r)
  {
    direction[r][0] = a[r];
    direction[r][1] = b[r];
    direction[r][2] = c[r];
  }
}

/** Number of planes from first to last at about `step`, and the exact step that hits both. */
std::pair<itk::SizeValueType, double>
UniformPlanes(double span, double step)
{
  if (!(step > 0.0) || !(span > 0.0))
  {
    return { 1, step > 0.0 ? step : 1.0 };
  }
  const auto count = static_cast<itk::SizeValueType>(std::llround(span / step)) + 1;
  return { count, span / static_cast<double>(count - 1) };
}
} // namespace

OutputGrid
PlanUniformGrid(const SliceGeometry & g, StackMapping mapping)
{
  if (g.Positions.size() < 2)
  {
    throw Error(ErrorKind::InvalidInput, "a slice stack needs at least two slices");
  }
  OutputGrid   grid;
  const double sx = g.InPlaneSpacing[0];
  const double sy = g.InPlaneSpacing[1];
  if (mapping == StackMapping::Stack || !g.Tilted)
  {
    const double span = g.NormalPositions.back() - g.NormalPositions.front();
    const auto [count, step] = UniformPlanes(span, g.MedianStep);
    SetColumns(grid.Direction, g.Row, g.Column, g.Normal);
    grid.Spacing[0] = sx;
    grid.Spacing[1] = sy;
    grid.Spacing[2] = step;
    grid.Size[0] = g.Columns;
    grid.Size[1] = g.Rows;
    grid.Size[2] = count;
    for (unsigned int r = 0; r < 3; ++r)
    {
      grid.Origin[r] = g.Positions.front()[r];
    }
    return grid;
  }

  // Tilted, physical: orthogonal axes around the stacking direction.
  const Vector3 w = Normalized({ g.Positions.back()[0] - g.Positions.front()[0],
                                 g.Positions.back()[1] - g.Positions.front()[1],
                                 g.Positions.back()[2] - g.Positions.front()[2] });
  const double  rw = Dot(g.Row, w);
  const Vector3 u = Normalized({ g.Row[0] - rw * w[0], g.Row[1] - rw * w[1], g.Row[2] - rw * w[2] });
  const Vector3 v = Cross(w, u);
  // The box around every pixel of every slice: along w too, since a tilted slice reaches beyond its
  // first pixel's position along the table by up to (rows x spacing x sin(tilt)) (90 mm for 512 rows
  // at 15 degrees). The wedges no slice reaches are filled as padding.
  double minU = 1e300, maxU = -1e300, minV = 1e300, maxV = -1e300, minW = 1e300, maxW = -1e300;
  for (const auto & p : g.Positions)
  {
    for (const double i : { 0.0, double(g.Columns - 1) })
    {
      for (const double j : { 0.0, double(g.Rows - 1) })
      {
        const Vector3 corner{ p[0] + i * sx * g.Row[0] + j * sy * g.Column[0],
                              p[1] + i * sx * g.Row[1] + j * sy * g.Column[1],
                              p[2] + i * sx * g.Row[2] + j * sy * g.Column[2] };
        minU = std::min(minU, Dot(corner, u));
        maxU = std::max(maxU, Dot(corner, u));
        minV = std::min(minV, Dot(corner, v));
        maxV = std::max(maxV, Dot(corner, v));
        minW = std::min(minW, Dot(corner, w));
        maxW = std::max(maxW, Dot(corner, w));
      }
    }
  }
  std::vector<double> along;
  for (const auto & p : g.Positions)
  {
    along.push_back(Dot(p, w));
  }
  std::vector<double> steps;
  for (size_t k = 0; k + 1 < along.size(); ++k)
  {
    if (along[k + 1] - along[k] > 1e-6)
    {
      steps.push_back(along[k + 1] - along[k]);
    }
  }
  std::nth_element(steps.begin(), steps.begin() + steps.size() / 2, steps.end());
  // Planes at the table step through the first and the last slice position, as many more on each
  // side as reaching every pixel takes.
  const auto [stackPlanes, step] = UniformPlanes(along.back() - along.front(), steps[steps.size() / 2]);
  const auto before = static_cast<itk::SizeValueType>(std::max(0.0, std::ceil((along.front() - minW) / step - 1e-6)));
  const auto after = static_cast<itk::SizeValueType>(std::max(0.0, std::ceil((maxW - along.back()) / step - 1e-6)));
  const itk::SizeValueType count = stackPlanes + before + after;
  const double             firstW = along.front() - double(before) * step;
  SetColumns(grid.Direction, u, v, w);
  grid.Spacing[0] = sx;
  grid.Spacing[1] = sy;
  grid.Spacing[2] = step;
  grid.Size[0] = static_cast<itk::SizeValueType>(std::floor((maxU - minU) / sx + 1e-6)) + 1;
  grid.Size[1] = static_cast<itk::SizeValueType>(std::floor((maxV - minV) / sy + 1e-6)) + 1;
  grid.Size[2] = count;
  for (unsigned int r = 0; r < 3; ++r)
  {
    grid.Origin[r] = minU * u[r] + minV * v[r] + firstW * w[r];
  }
  return grid;
}

HUImageType::Pointer
ResampleSliceStack(const HUImageType * stack, const SliceGeometry & g, const OutputGrid & grid, StackMapping mapping,
                   HUPixelType outside)
{
  const auto stackSize = stack->GetLargestPossibleRegion().GetSize();
  if (stackSize[2] != g.Positions.size() || stackSize[0] != g.Columns || stackSize[1] != g.Rows)
  {
    throw Error(ErrorKind::ProcessingFailed, "slice stack does not match its geometry");
  }
  auto output = HUImageType::New();
  output->SetRegions(grid.Size);
  output->SetOrigin(grid.Origin);
  output->SetSpacing(grid.Spacing);
  output->SetDirection(grid.Direction);
  output->Allocate();

  const HUPixelType * in = stack->GetBufferPointer();
  HUPixelType *       out = output->GetBufferPointer();
  const size_t        columns = g.Columns;
  const size_t        rows = g.Rows;
  const size_t        sliceSize = columns * rows;
  const double        sx = g.InPlaneSpacing[0];
  const double        sy = g.InPlaneSpacing[1];
  const auto &        d = g.NormalPositions;
  constexpr double    eps = 1e-4;

  // Bilinear sample of slice k at continuous index (ci, cj); false when outside the slice.
  auto sample = [&](size_t k, double ci, double cj, double & value) {
    if (ci < -eps || cj < -eps || ci > double(columns - 1) + eps || cj > double(rows - 1) + eps)
    {
      return false;
    }
    ci = std::clamp(ci, 0.0, double(columns - 1));
    cj = std::clamp(cj, 0.0, double(rows - 1));
    const size_t        i0 = std::min(static_cast<size_t>(ci), columns - 1);
    const size_t        j0 = std::min(static_cast<size_t>(cj), rows - 1);
    const size_t        i1 = std::min(i0 + 1, columns - 1);
    const size_t        j1 = std::min(j0 + 1, rows - 1);
    const double        fi = ci - double(i0);
    const double        fj = cj - double(j0);
    const HUPixelType * s = in + k * sliceSize;
    value = (1 - fj) * ((1 - fi) * s[j0 * columns + i0] + fi * s[j0 * columns + i1]) +
            fj * ((1 - fi) * s[j1 * columns + i0] + fi * s[j1 * columns + i1]);
    return true;
  };

  const auto & D = grid.Direction;
  auto         work = [&](itk::SizeValueType kk) {
    HUPixelType * o = out + kk * grid.Size[0] * grid.Size[1];
    for (itk::SizeValueType j = 0; j < grid.Size[1]; ++j)
    {
      for (itk::SizeValueType i = 0; i < grid.Size[0]; ++i, ++o)
      {
        const double  a = i * grid.Spacing[0];
        const double  b = j * grid.Spacing[1];
        const double  c = kk * grid.Spacing[2];
        const Vector3 p{ grid.Origin[0] + D[0][0] * a + D[0][1] * b + D[0][2] * c,
                         grid.Origin[1] + D[1][0] * a + D[1][1] * b + D[1][2] * c,
                         grid.Origin[2] + D[2][0] * a + D[2][1] * b + D[2][2] * c };
        const double  along = mapping == StackMapping::Stack ? d.front() + c : Dot(p, g.Normal);
        if (along < d.front() - eps || along > d.back() + eps)
        {
          *o = outside;
          continue;
        }
        size_t k1 = static_cast<size_t>(std::upper_bound(d.begin(), d.end(), along) - d.begin());
        k1 = std::clamp<size_t>(k1, 1, d.size() - 1);
        const size_t k0 = k1 - 1;
        const double t = std::clamp((along - d[k0]) / (d[k1] - d[k0]), 0.0, 1.0);
        double       v0 = 0.0;
        double       v1 = 0.0;
        bool         ok = true;
        for (const auto [k, value] : { std::pair<size_t, double *>{ k0, &v0 }, std::pair<size_t, double *>{ k1, &v1 } })
        {
          if ((k == k0 && t == 1.0) || (k == k1 && t == 0.0))
          {
            continue;
          }
          double ci = double(i);
          double cj = double(j);
          if (mapping == StackMapping::Physical)
          {
            const Vector3 q{ p[0] - g.Positions[k][0], p[1] - g.Positions[k][1], p[2] - g.Positions[k][2] };
            ci = Dot(q, g.Row) / sx;
            cj = Dot(q, g.Column) / sy;
          }
          ok = ok && sample(k, ci, cj, *value);
        }
        *o = ok ? static_cast<HUPixelType>(std::lround((1 - t) * v0 + t * v1)) : outside;
      }
    }
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, grid.Size[2], work, nullptr);
  return output;
}

} // namespace ctp
