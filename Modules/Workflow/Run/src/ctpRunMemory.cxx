#include "ctpRunMemory.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"
#include "ctpPhysicalMemory.h"
#include "ctpSliceStackResampler.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <sstream>

namespace ctp
{
namespace
{
/** 6 bytes per original voxel, 14 per output voxel, 0.2 GiB (see EstimateRunMemoryGiB). */
double
EstimateFromGrid(double original, const double extent[3], const std::optional<std::array<double, 3>> & spacing)
{
  double output = original;
  if (spacing)
  {
    output = 1.0;
    for (int a = 0; a < 3; ++a)
    {
      output *= std::max(1.0, std::round(extent[a] / (*spacing)[static_cast<size_t>(a)]));
    }
  }
  return (6.0 * original + 14.0 * output) / (1024.0 * 1024.0 * 1024.0) + 0.2;
}
} // namespace

double
EstimateRunMemoryGiB(const DicomSeriesInfo & series, const std::optional<std::array<double, 3>> & spacing)
{
  if (!series.Geometry)
  {
    return 0.0;
  }
  const auto & g = *series.Geometry;
  double       original = double(g.Columns) * g.Rows * double(series.Files.size());
  double       extent[3] = { g.Columns * g.InPlaneSpacing[0],
                             g.Rows * g.InPlaneSpacing[1],
                             series.Files.size() * std::max(g.MedianStep, 1e-3) };
  if (g.Tilted && g.Positions.size() >= 2)
  {
    // The tilt-corrected grid holds every pixel of every slice: larger than the stack (1.8 times for
    // 512 rows of 0.7 mm over 200 mm at 20 degrees). --keep-tilt needs less; this is the bound.
    const OutputGrid grid = PlanUniformGrid(g, StackMapping::Physical);
    original = std::max(original, double(grid.Size[0]) * double(grid.Size[1]) * double(grid.Size[2]));
    for (unsigned int a = 0; a < 3; ++a)
    {
      extent[a] = double(grid.Size[a]) * grid.Spacing[a];
    }
  }
  return EstimateFromGrid(original, extent, spacing);
}

double
EstimateRunMemoryGiB(const std::array<size_t, 3> & size, const std::array<double, 3> & voxelSpacing,
                     const std::optional<std::array<double, 3>> & spacing)
{
  // The volume read as float and its HU copy (6 bytes per voxel), as the DICOM stack and its copy.
  const double extent[3] = { size[0] * voxelSpacing[0], size[1] * voxelSpacing[1], size[2] * voxelSpacing[2] };
  return EstimateFromGrid(double(size[0]) * double(size[1]) * double(size[2]), extent, spacing);
}

void
CheckRunMemory(double estimate, double limitGiB, const std::string & input)
{
  // A few kilobytes of compressed slices may declare a 65535 x 65535 matrix: better a clear refusal
  // than the kernel's out-of-memory killer.
  const double limit = limitGiB > 0.0 ? limitGiB : PhysicalMemoryGiB();
  if (estimate > limit)
  {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2) << "estimated peak memory " << estimate << " GiB exceeds "
         << (limitGiB > 0.0 ? SpellParameter("max_memory_gib") + " " : std::string("this machine's memory ")) << limit
         << " GiB; nothing was read";
    throw Error(ErrorKind::MemoryLimit, input, text.str());
  }
}

} // namespace ctp
