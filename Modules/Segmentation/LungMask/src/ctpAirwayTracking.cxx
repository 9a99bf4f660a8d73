#include "ctpAirwayTracking.h"
#include "ctpLungMaskImageFilter.h"

#include <algorithm>
#include <cmath>

namespace ctp
{
namespace lungmask
{
namespace
{
/** mm^2: a trachea is 15-25 mm wide; a lung slice is far larger. */
constexpr double MaximumAirwayArea = 900.0;

/** A 2D connected component of one slice. */
struct Blob
{
  std::vector<size_t> Pixels;           ///< indices within the slice
  double              CentroidX{ 0.0 }; ///< column index
};

/** 4-connected components of the pixels where `in(n)` holds, in one slice. */
template <typename TPredicate>
std::vector<Blob>
Blobs2D(size_t nx, size_t ny, TPredicate in)
{
  std::vector<Blob>    blobs;
  std::vector<uint8_t> seen(nx * ny, 0);
  std::vector<size_t>  stack;
  for (size_t start = 0; start < nx * ny; ++start)
  {
    if (seen[start] || !in(start))
    {
      continue;
    }
    Blob blob;
    seen[start] = 1;
    stack.push_back(start);
    double sumX = 0.0;
    while (!stack.empty())
    {
      const size_t n = stack.back();
      stack.pop_back();
      blob.Pixels.push_back(n);
      const size_t i = n % nx;
      const size_t j = n / nx;
      sumX += double(i);
      const size_t neighbours[4] = {
        i > 0 ? n - 1 : n, i + 1 < nx ? n + 1 : n, j > 0 ? n - nx : n, j + 1 < ny ? n + nx : n
      };
      for (const size_t m : neighbours)
      {
        if (!seen[m] && in(m))
        {
          seen[m] = 1;
          stack.push_back(m);
        }
      }
    }
    blob.CentroidX = sumX / double(blob.Pixels.size());
    blobs.push_back(std::move(blob));
  }
  return blobs;
}

/** The airway's voxels so far: labelled in the output, no longer lung candidates, and their mean x. */
struct AirwayMarker
{
  const VoxelGrid & Grid;
  double            SumX{ 0.0 };
  size_t            Pixels{ 0 };

  void
  Mark(size_t k, size_t n, uint8_t * s, MaskPixelType * o)
  {
    o[n] = LungMaskImageFilter::Airway;
    s[n] = Tissue; // no longer a lung candidate
    SumX += Grid.PhysicalX(double(n % Grid.Nx), double(n / Grid.Nx), double(k));
    ++Pixels;
  }
};

/** The trachea in one of the most superior slices: the air region of 40 to 900 mm^2 nearest the
 *  centre of the body's extent, within 15% of its width. Its pixels, or none. */
std::vector<size_t>
FindTracheaInSlice(const VoxelGrid & grid, const uint8_t * s)
{
  const size_t nx = grid.Nx;
  const double pixelMm2 = grid.Spacing[0] * grid.Spacing[1];
  // Body extent in this slice (columns holding tissue).
  size_t minI = nx;
  size_t maxI = 0;
  for (size_t n = 0; n < grid.SliceSize; ++n)
  {
    if (s[n] == Tissue)
    {
      minI = std::min(minI, n % nx);
      maxI = std::max(maxI, n % nx);
    }
  }
  if (minI >= maxI)
  {
    return {};
  }
  const double centre = 0.5 * double(minI + maxI);
  const double width = double(maxI - minI);
  auto         blobs = Blobs2D(nx, grid.Ny, [&](size_t n) { return s[n] == InternalAir; });
  Blob *       best = nullptr;
  for (auto & blob : blobs)
  {
    const double area = double(blob.Pixels.size()) * pixelMm2;
    if (area >= 40.0 && area <= MaximumAirwayArea && std::abs(blob.CentroidX - centre) < 0.15 * width &&
        (best == nullptr || std::abs(blob.CentroidX - centre) < std::abs(best->CentroidX - centre)))
    {
      best = &blob;
    }
  }
  return best == nullptr ? std::vector<size_t>{} : std::move(best->Pixels);
}

/** The airway in slice k below the previous one: the air regions overlapping the previous slice's
 *  airway that stay small (a bronchus entering the lung grows past 3x its area, or 900 mm^2). Marks
 *  them, sets `current` to 1 on them and returns their area (0: the airway ends here). */
double
FollowAirwayInSlice(const VoxelGrid & grid, size_t k, uint8_t * s, MaskPixelType * o,
                    const std::vector<uint8_t> & previous, double previousArea, std::vector<uint8_t> & current,
                    AirwayMarker & marker)
{
  const double pixelMm2 = grid.Spacing[0] * grid.Spacing[1];
  auto         blobs = Blobs2D(grid.Nx, grid.Ny, [&](size_t n) { return s[n] == InternalAir; });
  double       currentArea = 0.0;
  for (const auto & blob : blobs)
  {
    bool overlaps = false;
    for (const size_t n : blob.Pixels)
    {
      if (previous[n])
      {
        overlaps = true;
        break;
      }
    }
    const double area = double(blob.Pixels.size()) * pixelMm2;
    if (!overlaps || area > MaximumAirwayArea || area > 3.0 * previousArea + 50.0)
    {
      continue; // not the airway, or the bronchus has entered the lung
    }
    for (const size_t n : blob.Pixels)
    {
      current[n] = 1;
      marker.Mark(k, n, s, o);
    }
    currentArea += area;
  }
  return currentArea;
}
} // namespace

std::optional<double>
LabelAirway(const VoxelGrid & grid, std::vector<uint8_t> & state, MaskPixelType * out)
{
  if (!(std::abs(grid.Direction[2][2]) > 0.7 && grid.Nz > 2))
  {
    return std::nullopt;
  }
  const size_t         nz = grid.Nz;
  const size_t         sliceSize = grid.SliceSize;
  const double         pixelMm2 = grid.Spacing[0] * grid.Spacing[1];
  const bool           ascending = grid.Direction[2][2] > 0.0;
  AirwayMarker         marker{ grid };
  std::vector<uint8_t> previous(sliceSize, 0);
  bool                 tracking = false;
  double               previousArea = 0.0;
  const size_t         searchSlices = std::max<size_t>(1, static_cast<size_t>(std::ceil(30.0 / grid.Spacing[2])));
  for (size_t step = 0; step < nz; ++step)
  {
    const size_t    k = ascending ? nz - 1 - step : step;
    uint8_t *       s = state.data() + k * sliceSize;
    MaskPixelType * o = out + k * sliceSize;
    if (!tracking)
    {
      if (step >= searchSlices)
      {
        break;
      }
      const auto trachea = FindTracheaInSlice(grid, s);
      if (trachea.empty())
      {
        continue;
      }
      tracking = true;
      std::fill(previous.begin(), previous.end(), 0);
      for (const size_t n : trachea)
      {
        previous[n] = 1;
        marker.Mark(k, n, s, o);
      }
      previousArea = double(trachea.size()) * pixelMm2;
      continue;
    }
    std::vector<uint8_t> current(sliceSize, 0);
    const double         currentArea = FollowAirwayInSlice(grid, k, s, o, previous, previousArea, current, marker);
    if (currentArea == 0.0)
    {
      break;
    }
    previous.swap(current);
    previousArea = currentArea;
  }
  if (marker.Pixels == 0)
  {
    return std::nullopt;
  }
  return marker.SumX / double(marker.Pixels); // the body's midline
}

} // namespace lungmask
} // namespace ctp
