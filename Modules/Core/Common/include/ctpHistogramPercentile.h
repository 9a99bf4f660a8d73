#ifndef ctpHistogramPercentile_h
#define ctpHistogramPercentile_h

#include <cmath>
#include <cstddef>
#include <vector>

namespace ctp
{
/** The value below which `fraction` of `total` counted voxels lie, in a full int16 histogram (bin
 *  index = HU + 32768): the value of the voxel at rank floor(fraction * (total - 1)). 0: the minimum,
 *  1: the maximum. */
inline double
HistogramPercentile(const std::vector<size_t> & histogram, size_t total, double fraction)
{
  const size_t target = static_cast<size_t>(std::floor(fraction * double(total - 1)));
  size_t       seen = 0;
  for (size_t b = 0; b < histogram.size(); ++b)
  {
    seen += histogram[b];
    if (seen > target)
    {
      return double(b) - 32768.0;
    }
  }
  return 0.0;
}

} // namespace ctp

#endif
