#include "ctpLungMaskSteps.h"
#include "ctpBinaryMorphology.h"
#include "ctpLungMaskImageFilter.h"
#include "ctpSliceFill.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <sstream>

namespace ctp
{
namespace lungmask
{
namespace
{
/** \brief Scanline flood fill: the region of `from` voxels connected to (x, y, z) through faces
 * (4-connected in a slice, 6-connected in a volume) becomes `to`, one run along x at a time.
 *
 * Pushes one seed per run instead of one per voxel; `onRun(x0, x1, y, z)` sees every filled run. */
template <typename TOnRun>
void
ScanlineFill(uint8_t * s, size_t nx, size_t ny, size_t nz, size_t x, size_t y, size_t z, uint8_t from, uint8_t to,
             std::vector<std::array<uint32_t, 3>> & stack, TOnRun onRun)
{
  const size_t slice = nx * ny;
  stack.clear();
  stack.push_back({ static_cast<uint32_t>(x), static_cast<uint32_t>(y), static_cast<uint32_t>(z) });
  while (!stack.empty())
  {
    const auto [sx, sy, sz] = stack.back();
    stack.pop_back();
    uint8_t * row = s + sz * slice + size_t(sy) * nx;
    if (row[sx] != from)
    {
      continue;
    }
    size_t x0 = sx;
    size_t x1 = sx;
    while (x0 > 0 && row[x0 - 1] == from)
    {
      --x0;
    }
    while (x1 + 1 < nx && row[x1 + 1] == from)
    {
      ++x1;
    }
    std::fill(row + x0, row + x1 + 1, to);
    onRun(x0, x1, size_t(sy), size_t(sz));
    auto scan = [&](size_t yy, size_t zz) {
      const uint8_t * other = s + zz * slice + yy * nx;
      for (size_t xx = x0; xx <= x1; ++xx)
      {
        if (other[xx] == from && (xx == x0 || other[xx - 1] != from))
        {
          stack.push_back({ static_cast<uint32_t>(xx), static_cast<uint32_t>(yy), static_cast<uint32_t>(zz) });
        }
      }
    };
    if (sy > 0)
      scan(sy - 1, sz);
    if (sy + 1 < ny)
      scan(sy + 1, sz);
    if (sz > 0)
      scan(sy, sz - 1);
    if (sz + 1 < nz)
      scan(sy, sz + 1);
  }
}

/** Stage 2 in one slice: the internal air connected to the slice's edge becomes outside air. The
 *  table and the field-of-view edge split the outside air into several parts, so every edge pixel
 *  seeds, not one corner. */
void
MarkOutsideAirInSlice(uint8_t * s, size_t nx, size_t ny)
{
  std::vector<std::array<uint32_t, 3>> stack;
  auto                                 noRun = [](size_t, size_t, size_t, size_t) {};
  for (size_t i = 0; i < nx; ++i)
  {
    ScanlineFill(s, nx, ny, 1, i, 0, 0, InternalAir, OutsideAir, stack, noRun);
    ScanlineFill(s, nx, ny, 1, i, ny - 1, 0, InternalAir, OutsideAir, stack, noRun);
  }
  for (size_t j = 0; j < ny; ++j)
  {
    ScanlineFill(s, nx, ny, 1, 0, j, 0, InternalAir, OutsideAir, stack, noRun);
    ScanlineFill(s, nx, ny, 1, nx - 1, j, 0, InternalAir, OutsideAir, stack, noRun);
  }
}

std::string
Litres(double ml)
{
  std::ostringstream text;
  text.precision(3);
  text << ml / 1000.0 << " L";
  return text.str();
}
} // namespace

VoxelGrid::VoxelGrid(const HUImageType * image)
  : Spacing(image->GetSpacing())
  , Origin(image->GetOrigin())
  , Direction(image->GetDirection())
{
  const auto size = image->GetLargestPossibleRegion().GetSize();
  Nx = size[0];
  Ny = size[1];
  Nz = size[2];
  SliceSize = Nx * Ny;
  Count = SliceSize * Nz;
}

std::vector<uint8_t>
ClassifyAir(const HUImageType * input, const VoxelGrid & grid, double threshold, double tissueClosingRadius,
            itk::MultiThreaderBase * threader)
{
  const size_t         sliceSize = grid.SliceSize;
  const HUPixelType *  hu = input->GetBufferPointer();
  std::vector<uint8_t> state(grid.Count);
  threader->ParallelizeArray(
    0,
    grid.Nz,
    [&](itk::SizeValueType k) {
      uint8_t *           s = state.data() + k * sliceSize;
      const HUPixelType * h = hu + k * sliceSize;
      for (size_t n = 0; n < sliceSize; ++n)
      {
        s[n] = h[n] < threshold ? InternalAir : Tissue;
      }
      if (tissueClosingRadius > 0.0)
      {
        std::vector<uint8_t> tissue(sliceSize);
        for (size_t n = 0; n < sliceSize; ++n)
        {
          tissue[n] = s[n] == Tissue;
        }
        BinaryMorphology({ grid.Nx, grid.Ny }, { grid.Spacing[0], grid.Spacing[1] })
          .Close(tissue.data(), tissueClosingRadius);
        for (size_t n = 0; n < sliceSize; ++n)
        {
          s[n] = tissue[n] ? Tissue : s[n];
        }
      }
      MarkOutsideAirInSlice(s, grid.Nx, grid.Ny);
    },
    nullptr);
  return state;
}

MaskImageType::Pointer
BodyMask(const HUImageType * input, const VoxelGrid & grid, const std::vector<uint8_t> & state)
{
  const size_t nx = grid.Nx;
  const size_t sliceSize = grid.SliceSize;
  const size_t count = grid.Count;
  auto         mask = MaskImageType::New();
  mask->CopyInformation(input);
  mask->SetRegions(input->GetLargestPossibleRegion());
  mask->Allocate();
  MaskPixelType * body = mask->GetBufferPointer();
  for (size_t n = 0; n < count; ++n)
  {
    body[n] = state[n] == OutsideAir ? 0 : 1;
  }
  std::vector<std::array<uint32_t, 3>> stack;
  size_t                               bestSize = 0;
  size_t                               bestSeed = 0;
  for (size_t n = 0; n < count; ++n)
  {
    if (body[n] != 1)
    {
      continue;
    }
    size_t       size = 0;
    const size_t k = n / sliceSize;
    const size_t inSlice = n - k * sliceSize;
    ScanlineFill(body,
                 nx,
                 grid.Ny,
                 grid.Nz,
                 inSlice % nx,
                 inSlice / nx,
                 k,
                 1,
                 2,
                 stack,
                 [&](size_t x0, size_t x1, size_t, size_t) { size += x1 - x0 + 1; });
    if (size > bestSize)
    {
      bestSize = size;
      bestSeed = n;
    }
  }
  if (bestSize > 0)
  {
    const size_t k = bestSeed / sliceSize;
    const size_t inSlice = bestSeed - k * sliceSize;
    ScanlineFill(
      body, nx, grid.Ny, grid.Nz, inSlice % nx, inSlice / nx, k, 2, 3, stack, [](size_t, size_t, size_t, size_t) {});
  }
  for (size_t n = 0; n < count; ++n)
  {
    body[n] = body[n] == 3 ? 1 : 0;
  }
  return mask;
}

std::vector<AirComponent>
AirComponents(const VoxelGrid & grid, std::vector<uint8_t> & state)
{
  // Each component is filled a run at a time; its runs are kept to label its voxels afterwards.
  const size_t                         nx = grid.Nx;
  const size_t                         sliceSize = grid.SliceSize;
  std::vector<AirComponent>            components;
  std::vector<std::array<uint32_t, 3>> stack;
  for (size_t k = 0; k < grid.Nz; ++k)
  {
    for (size_t start = k * sliceSize; start < (k + 1) * sliceSize; ++start)
    {
      if (state[start] != InternalAir)
      {
        continue;
      }
      AirComponent component;
      const size_t inSlice = start - k * sliceSize;
      ScanlineFill(state.data(),
                   nx,
                   grid.Ny,
                   grid.Nz,
                   inSlice % nx,
                   inSlice / nx,
                   k,
                   InternalAir,
                   Labelled,
                   stack,
                   [&](size_t x0, size_t x1, size_t y, size_t z) {
                     const double length = double(x1 - x0 + 1);
                     component.Voxels += x1 - x0 + 1;
                     component.SumI += 0.5 * double(x0 + x1) * length;
                     component.SumJ += double(y) * length;
                     component.SumK += double(z) * length;
                     component.Runs.push_back({ static_cast<uint32_t>(x0),
                                                static_cast<uint32_t>(x1),
                                                static_cast<uint32_t>(y),
                                                static_cast<uint32_t>(z) });
                   });
      if (component.Voxels < 8)
      {
        component.Runs.clear(); // noise: never a lung, no need to keep its runs
        component.Runs.shrink_to_fit();
      }
      components.push_back(std::move(component));
    }
  }
  return components;
}

bool
LabelLungs(const VoxelGrid & grid, const std::vector<AirComponent> & components, std::optional<double> tracheaX,
           double minimumSecondFraction, MaskPixelType * out)
{
  constexpr MaskPixelType RightLung = LungMaskImageFilter::RightLung;
  constexpr MaskPixelType LeftLung = LungMaskImageFilter::LeftLung;
  std::vector<size_t>     order(components.size());
  std::iota(order.begin(), order.end(), size_t(0));
  std::sort(
    order.begin(), order.end(), [&](size_t a, size_t b) { return components[a].Voxels > components[b].Voxels; });
  if (order.empty())
  {
    return false;
  }
  const AirComponent & first = components[order[0]];
  const double         firstX = first.X(grid);
  const AirComponent * second = nullptr;
  double               split = tracheaX ? *tracheaX : firstX;
  if (order.size() > 1)
  {
    const AirComponent & candidate = components[order[1]];
    const double         candidateX = candidate.X(grid);
    const double         mid = tracheaX ? *tracheaX : 0.5 * (firstX + candidateX);
    if (double(candidate.Voxels) >= minimumSecondFraction * double(first.Voxels) &&
        (firstX - mid) * (candidateX - mid) < 0.0)
    {
      second = &candidate;
      split = mid;
    }
  }
  if (second == nullptr && !tracheaX)
  {
    split = firstX; // one component holding both lungs: split at its own centre
  }
  // Sides: patient right is -x in LPS.
  const MaskPixelType firstSide = firstX < split ? RightLung : LeftLung;
  const MaskPixelType secondSide = firstSide == RightLung ? LeftLung : RightLung;
  for (const auto & run : first.Runs)
  {
    MaskPixelType * row = out + size_t(run.Z) * grid.SliceSize + size_t(run.Y) * grid.Nx;
    if (second != nullptr)
    {
      std::fill(row + run.X0, row + run.X1 + 1, firstSide);
      continue;
    }
    for (size_t i = run.X0; i <= run.X1; ++i)
    {
      row[i] = grid.PhysicalX(double(i), double(run.Y), double(run.Z)) < split ? RightLung : LeftLung;
    }
  }
  if (second != nullptr)
  {
    for (const auto & run : second->Runs)
    {
      MaskPixelType * row = out + size_t(run.Z) * grid.SliceSize + size_t(run.Y) * grid.Nx;
      std::fill(row + run.X0, row + run.X1 + 1, secondSide);
    }
  }
  return true;
}

void
FillLungs(const VoxelGrid & grid, double radius, itk::MultiThreaderBase * threader, MaskPixelType * out)
{
  threader->ParallelizeArray(
    0,
    grid.Nz,
    [&](itk::SizeValueType k) {
      for (const MaskPixelType side : { LungMaskImageFilter::RightLung, LungMaskImageFilter::LeftLung })
      {
        FillLabelsInSlice(
          out + k * grid.SliceSize, grid.Nx, grid.Ny, grid.Spacing[0], grid.Spacing[1], { side }, side, radius);
      }
    },
    nullptr);
}

void
DilateLungs(const VoxelGrid & grid, double radius, MaskPixelType * out)
{
  const size_t         count = grid.Count;
  BinaryMorphology     morphology({ grid.Nx, grid.Ny, grid.Nz }, { grid.Spacing[0], grid.Spacing[1], grid.Spacing[2] });
  std::vector<uint8_t> mask(count);
  for (const MaskPixelType side : { LungMaskImageFilter::RightLung, LungMaskImageFilter::LeftLung })
  {
    for (size_t n = 0; n < count; ++n)
    {
      mask[n] = out[n] == side;
    }
    morphology.Dilate(mask.data(), radius);
    for (size_t n = 0; n < count; ++n)
    {
      if (mask[n] && out[n] == LungMaskImageFilter::Background)
      {
        out[n] = side;
      }
    }
  }
}

LungVoxels
CountLungVoxels(const VoxelGrid & grid, const MaskPixelType * out)
{
  LungVoxels voxels;
  for (size_t n = 0; n < grid.Count; ++n)
  {
    voxels.Right += out[n] == LungMaskImageFilter::RightLung;
    voxels.Left += out[n] == LungMaskImageFilter::LeftLung;
    voxels.Airway += out[n] == LungMaskImageFilter::Airway;
  }
  return voxels;
}

std::string
Implausibility(double rightMl, double leftMl, double minimumLitres, double maximumLitres)
{
  const double       total = rightMl + leftMl;
  std::ostringstream why;
  if (total < minimumLitres * 1000.0 || total > maximumLitres * 1000.0)
  {
    why << "total lung volume " << Litres(total) << " outside " << minimumLitres << ".." << maximumLitres << " L";
  }
  else if (rightMl < 0.1 * total || leftMl < 0.1 * total)
  {
    why << "one lung missing or small (right " << Litres(rightMl) << ", left " << Litres(leftMl) << ")";
  }
  return why.str();
}

} // namespace lungmask
} // namespace ctp