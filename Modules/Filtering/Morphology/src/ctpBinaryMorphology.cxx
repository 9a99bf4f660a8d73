#include "ctpBinaryMorphology.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ctp
{
namespace
{
constexpr float Infinity = std::numeric_limits<float>::infinity();

/** One pass of the squared distance transform along a line of n samples `stride` apart, positions q * s. */
void
DistanceTransform1D(float * line, size_t n, size_t stride, double s, std::vector<int> & v, std::vector<double> & z,
                    std::vector<float> & f)
{
  f.resize(n);
  v.resize(n);
  z.resize(n + 1);
  bool any = false;
  for (size_t q = 0; q < n; ++q)
  {
    f[q] = line[q * stride];
    any = any || f[q] < Infinity;
  }
  if (!any)
  {
    return;
  }
  int k = -1;
  for (size_t q = 0; q < n; ++q)
  {
    if (!(f[q] < Infinity))
    {
      continue;
    }
    const double xq = double(q) * s;
    while (k >= 0)
    {
      const double xp = double(v[k]) * s;
      const double intersection = ((f[q] + xq * xq) - (f[v[k]] + xp * xp)) / (2.0 * (xq - xp));
      if (intersection <= z[k])
      {
        --k;
      }
      else
      {
        ++k;
        v[k] = static_cast<int>(q);
        z[k] = intersection;
        z[k + 1] = std::numeric_limits<double>::infinity();
        break;
      }
    }
    if (k < 0)
    {
      k = 0;
      v[0] = static_cast<int>(q);
      z[0] = -std::numeric_limits<double>::infinity();
      z[1] = std::numeric_limits<double>::infinity();
    }
  }
  int j = 0;
  for (size_t q = 0; q < n; ++q)
  {
    const double xq = double(q) * s;
    while (z[j + 1] < xq)
    {
      ++j;
    }
    const double d = xq - double(v[j]) * s;
    line[q * stride] = static_cast<float>(d * d + f[v[j]]);
  }
}
/** A bound safely above r2 for SquaredDistance: distances up to it are exact. */
float
Beyond(float r2)
{
  return r2 * 1.001f + 1e-3f;
}

/** Splits `count` lines of `length` voxels into chunks handed to ITK's threads; `work(first, last)` runs
 *  per chunk. Small arrays (under a million voxels, such as the slices the lung mask fills from inside
 *  its own threads) run on the calling thread. */
template <typename TWork>
void
ParallelizeLines(size_t count, size_t length, TWork work)
{
  const size_t threads = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  if (threads == 1 || count * length < (size_t(1) << 20))
  {
    work(size_t(0), count);
    return;
  }
  const size_t chunks = std::min(count, 8 * threads);
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0, chunks, [&](itk::SizeValueType c) { work(count * c / chunks, count * (c + 1) / chunks); }, nullptr);
}
} // namespace

BinaryMorphology::BinaryMorphology(std::vector<size_t> dims, std::vector<double> spacing)
  : m_Dims(std::move(dims))
  , m_Spacing(std::move(spacing))
{
  for (const size_t d : m_Dims)
  {
    m_Count *= d;
  }
}

void
BinaryMorphology::SquaredDistance(const uint8_t * seed, std::vector<float> & distance, float maximum)
{
  distance.resize(m_Count);
  // First axis: the distance to the nearest seed in the same row, by a forward and a backward sweep
  // (what the lower envelope gives for a binary input, at a fraction of the cost).
  const size_t nx = m_Dims[0];
  const double sx = m_Spacing[0];
  ParallelizeLines(m_Count / nx, nx, [&](size_t first, size_t last) {
    for (size_t row = first; row < last; ++row)
    {
      const uint8_t * in = seed + row * nx;
      float *         out = distance.data() + row * nx;
      long            previous = -1;
      for (size_t i = 0; i < nx; ++i)
      {
        if (in[i])
        {
          previous = static_cast<long>(i);
        }
        out[i] = previous < 0 ? Infinity : static_cast<float>((double(i) - double(previous)) * sx);
      }
      previous = -1;
      for (size_t i = nx; i-- > 0;)
      {
        if (in[i])
        {
          previous = static_cast<long>(i);
        }
        if (previous >= 0)
        {
          out[i] = std::min(out[i], static_cast<float>((double(previous) - double(i)) * sx));
        }
        out[i] = out[i] * out[i];
        // Partial sums along the best path never exceed the total: what is beyond `maximum` already
        // cannot come back under it, and the later passes skip it.
        if (out[i] > maximum)
        {
          out[i] = Infinity;
        }
      }
    }
  });
  size_t stride = nx;
  for (size_t axis = 1; axis < m_Dims.size(); ++axis)
  {
    const size_t n = m_Dims[axis];
    ParallelizeLines(m_Count / n, n, [&](size_t first, size_t last) {
      std::vector<int>    v;
      std::vector<double> z;
      std::vector<float>  f;
      for (size_t line = first; line < last; ++line)
      {
        // Start of the line: split the line number into the part below and above this axis.
        const size_t below = line % stride;
        const size_t above = line / stride;
        float *      start = distance.data() + above * stride * n + below;
        DistanceTransform1D(start, n, stride, m_Spacing[axis], v, z, f);
        if (maximum < Infinity)
        {
          for (size_t q = 0; q < n; ++q)
          {
            start[q * stride] = start[q * stride] > maximum ? Infinity : start[q * stride];
          }
        }
      }
    });
    stride *= n;
  }
}

void
BinaryMorphology::Dilate(uint8_t * mask, double radius)
{
  if (radius <= 0.0)
  {
    return;
  }
  const float r2 = static_cast<float>(radius * radius);
  SquaredDistance(mask, m_Distance, Beyond(r2));
  for (size_t n = 0; n < m_Count; ++n)
  {
    mask[n] = m_Distance[n] <= r2 ? 1 : 0;
  }
}

void
BinaryMorphology::Erode(uint8_t * mask, double radius)
{
  if (radius <= 0.0)
  {
    return;
  }
  // Distance to the nearest "out" voxel, the outside of the array included: erode the complement's
  // dilation. The array border counts as "out" so that erosion shrinks masks touching it.
  std::vector<uint8_t> out(m_Count);
  for (size_t n = 0; n < m_Count; ++n)
  {
    out[n] = mask[n] ? 0 : 1;
  }
  const float r2 = static_cast<float>(radius * radius);
  SquaredDistance(out.data(), m_Distance, Beyond(r2));
  for (size_t n = 0; n < m_Count; ++n)
  {
    float  border = Infinity;
    size_t rest = n;
    for (size_t axis = 0; axis < m_Dims.size(); ++axis)
    {
      const size_t i = rest % m_Dims[axis];
      rest /= m_Dims[axis];
      const double toLow = (double(i) + 1.0) * m_Spacing[axis];
      const double toHigh = (double(m_Dims[axis] - i)) * m_Spacing[axis];
      border = std::min(border, static_cast<float>(std::min(toLow, toHigh) * std::min(toLow, toHigh)));
    }
    mask[n] = (mask[n] && m_Distance[n] > r2 && border > r2) ? 1 : 0;
  }
}

void
BinaryMorphology::Close(uint8_t * mask, double radius)
{
  if (radius <= 0.0)
  {
    return;
  }
  Dilate(mask, radius);
  // The erosion must not eat masks at the array border that the dilation pushed there.
  std::vector<uint8_t> out(m_Count);
  for (size_t n = 0; n < m_Count; ++n)
  {
    out[n] = mask[n] ? 0 : 1;
  }
  const float r2 = static_cast<float>(radius * radius);
  SquaredDistance(out.data(), m_Distance, Beyond(r2));
  for (size_t n = 0; n < m_Count; ++n)
  {
    mask[n] = (mask[n] && m_Distance[n] > r2) ? 1 : 0;
  }
}

void
BinaryMorphology::CloseGaps(uint8_t * mask, size_t axis, double gap)
{
  if (axis >= m_Dims.size() || !(gap > 0.0))
  {
    return;
  }
  size_t stride = 1;
  for (size_t a = 0; a < axis; ++a)
  {
    stride *= m_Dims[a];
  }
  const size_t n = m_Dims[axis];
  const auto   longest = static_cast<size_t>(std::floor(gap / m_Spacing[axis] + 1e-9)); // voxels
  ParallelizeLines(m_Count / n, n, [&](size_t first, size_t last) {
    for (size_t line = first; line < last; ++line)
    {
      uint8_t * start = mask + (line / stride) * stride * n + line % stride;
      long      previous = -1; // last "in" voxel on the line
      for (size_t q = 0; q < n; ++q)
      {
        if (!start[q * stride])
        {
          continue;
        }
        const size_t run = previous < 0 ? 0 : q - size_t(previous) - 1;
        if (run > 0 && run <= longest)
        {
          for (size_t r = size_t(previous) + 1; r < q; ++r)
          {
            start[r * stride] = 1;
          }
        }
        previous = static_cast<long>(q);
      }
    }
  });
}

void
FillHoles2D(uint8_t * mask, size_t nx, size_t ny)
{
  // 0: out, not reached; 1: in; 2: out, reached from the border. Scanline fill, one seed per run.
  std::vector<std::pair<size_t, size_t>> stack;
  auto                                   fill = [&](size_t sx, size_t sy) {
    stack.clear();
    stack.emplace_back(sx, sy);
    while (!stack.empty())
    {
      const auto [x, y] = stack.back();
      stack.pop_back();
      uint8_t * row = mask + y * nx;
      if (row[x] != 0)
      {
        continue;
      }
      size_t x0 = x;
      size_t x1 = x;
      while (x0 > 0 && row[x0 - 1] == 0)
      {
        --x0;
      }
      while (x1 + 1 < nx && row[x1 + 1] == 0)
      {
        ++x1;
      }
      std::fill(row + x0, row + x1 + 1, uint8_t(2));
      for (const long dy : { -1L, 1L })
      {
        const long yy = long(y) + dy;
        if (yy < 0 || yy >= long(ny))
        {
          continue;
        }
        const uint8_t * other = mask + size_t(yy) * nx;
        for (size_t xx = x0; xx <= x1; ++xx)
        {
          if (other[xx] == 0 && (xx == x0 || other[xx - 1] != 0))
          {
            stack.emplace_back(xx, size_t(yy));
          }
        }
      }
    }
  };
  for (size_t i = 0; i < nx; ++i)
  {
    fill(i, 0);
    fill(i, ny - 1);
  }
  for (size_t j = 0; j < ny; ++j)
  {
    fill(0, j);
    fill(nx - 1, j);
  }
  for (size_t n = 0; n < nx * ny; ++n)
  {
    mask[n] = mask[n] == 2 ? 0 : 1;
  }
}

} // namespace ctp
