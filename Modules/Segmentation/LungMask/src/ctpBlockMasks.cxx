#include "ctpBlockMasks.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <utility>

namespace ctp
{
namespace
{
/** Running sums over a box of half-width r along one axis (in place, counts of the box's blocks). */
void
BoxSumAlongAxis(std::vector<uint32_t> & values, const BlockGrid::SizeType & size, size_t axis, size_t r)
{
  size_t stride = 1;
  for (size_t a = 0; a < axis; ++a)
  {
    stride *= size[a];
  }
  const size_t          n = size[axis];
  const size_t          lines = values.size() / n;
  std::vector<uint32_t> line(n);
  std::vector<uint64_t> prefix(n + 1);
  for (size_t l = 0; l < lines; ++l)
  {
    uint32_t * start = values.data() + (l / stride) * stride * n + l % stride;
    prefix[0] = 0;
    for (size_t q = 0; q < n; ++q)
    {
      prefix[q + 1] = prefix[q] + start[q * stride];
    }
    for (size_t q = 0; q < n; ++q)
    {
      const size_t lo = q >= r ? q - r : 0;
      const size_t hi = std::min(n, q + r + 1);
      start[q * stride] = static_cast<uint32_t>(prefix[hi] - prefix[lo]);
    }
  }
}
} // namespace

BlockBox
BoundingBox(const BlockMask & mask, const BlockGrid & grid, const std::array<size_t, 3> & margin)
{
  const auto & size = grid.GetSize();
  BlockBox     box;
  box.Low = size;
  for (size_t b = 0; b < mask.size(); ++b)
  {
    if (mask[b])
    {
      const size_t index[3] = { b % size[0], (b / size[0]) % size[1], b / (size[0] * size[1]) };
      for (size_t a = 0; a < 3; ++a)
      {
        box.Low[a] = std::min(box.Low[a], index[a]);
        box.High[a] = std::max(box.High[a], index[a] + 1);
      }
    }
  }
  if (box.Low[0] >= box.High[0])
  {
    return box;
  }
  for (size_t a = 0; a < 3; ++a)
  {
    box.Low[a] = box.Low[a] > margin[a] ? box.Low[a] - margin[a] : 0;
    box.High[a] = std::min(size[a], box.High[a] + margin[a]);
  }
  return box;
}

BlockMask
CutBox(const BlockMask & whole, const BlockGrid & grid, const BlockBox & box)
{
  const auto & size = grid.GetSize();
  const size_t w = box.High[0] - box.Low[0];
  const size_t h = box.High[1] - box.Low[1];
  const size_t d = box.High[2] - box.Low[2];
  BlockMask    part(w * h * d);
  for (size_t k = 0; k < d; ++k)
  {
    for (size_t j = 0; j < h; ++j)
    {
      const uint8_t * row = whole.data() + ((box.Low[2] + k) * size[1] + box.Low[1] + j) * size[0] + box.Low[0];
      std::copy(row, row + w, part.data() + (k * h + j) * w);
    }
  }
  return part;
}

void
PasteBox(BlockMask & whole, const BlockMask & part, const BlockGrid & grid, const BlockBox & box)
{
  const auto & size = grid.GetSize();
  const size_t w = box.High[0] - box.Low[0];
  const size_t h = box.High[1] - box.Low[1];
  const size_t d = box.High[2] - box.Low[2];
  for (size_t k = 0; k < d; ++k)
  {
    for (size_t j = 0; j < h; ++j)
    {
      const uint8_t * row = part.data() + (k * h + j) * w;
      std::copy(row, row + w, whole.data() + ((box.Low[2] + k) * size[1] + box.Low[1] + j) * size[0] + box.Low[0]);
    }
  }
}

std::vector<double>
LungMidline(const BlockMask & right, const BlockMask & left, const BlockGrid & grid)
{
  const auto &        size = grid.GetSize();
  const size_t        plane = size[0] * size[1];
  std::vector<double> midline(size[2], std::numeric_limits<double>::quiet_NaN());
  bool                any = false;
  for (size_t k = 0; k < size[2]; ++k)
  {
    double sum[2] = { 0.0, 0.0 };
    size_t count[2] = { 0, 0 };
    size_t low[2] = { size[0], size[0] };
    size_t high[2] = { 0, 0 };
    for (size_t n = 0; n < plane; ++n)
    {
      const size_t i = n % size[0];
      for (int side = 0; side < 2; ++side)
      {
        if ((side == 0 ? right : left)[k * plane + n])
        {
          sum[side] += double(i);
          ++count[side];
          low[side] = std::min(low[side], i);
          high[side] = std::max(high[side], i);
        }
      }
    }
    if (count[0] == 0 || count[1] == 0)
    {
      continue;
    }
    // The outer extent of each lung is the one away from the other lung.
    const bool rightLow = sum[0] / double(count[0]) < sum[1] / double(count[1]);
    midline[k] = rightLow ? 0.5 * double(low[0] + high[1]) : 0.5 * double(high[0] + low[1]);
    any = true;
  }
  if (!any)
  {
    return {};
  }
  std::vector<double> filtered(size[2], std::numeric_limits<double>::quiet_NaN());
  for (size_t k = 0; k < size[2]; ++k)
  {
    std::vector<double> window;
    for (size_t w = k >= 4 ? k - 4 : 0; w < std::min(size[2], k + 5); ++w)
    {
      if (!std::isnan(midline[w]))
      {
        window.push_back(midline[w]);
      }
    }
    if (!window.empty())
    {
      std::nth_element(window.begin(), window.begin() + long(window.size() / 2), window.end());
      filtered[k] = window[window.size() / 2];
    }
  }
  // Slices without both lungs: the nearest slice's midline.
  for (size_t k = 0; k < size[2]; ++k)
  {
    if (!std::isnan(filtered[k]))
    {
      continue;
    }
    for (size_t d = 1; d < size[2]; ++d)
    {
      if (k >= d && !std::isnan(filtered[k - d]))
      {
        filtered[k] = filtered[k - d];
        break;
      }
      if (k + d < size[2] && !std::isnan(filtered[k + d]))
      {
        filtered[k] = filtered[k + d];
        break;
      }
    }
  }
  return filtered;
}

BlockMask
MirrorAcrossMidline(const BlockMask & mask, const std::vector<double> & midline, const BlockGrid & grid)
{
  return MirrorAcrossMidline(mask, midline, grid, { 0, 0, 0 }, grid.GetSize());
}

BlockMask
MirrorAcrossMidline(const BlockMask & mask, const std::vector<double> & midline, const BlockGrid & grid,
                    const std::array<size_t, 3> & low, const std::array<size_t, 3> & high)
{
  const auto & size = grid.GetSize();
  const size_t w = high[0] - low[0];
  const size_t h = high[1] - low[1];
  BlockMask    out(w * h * (high[2] - low[2]), 0);
  if (midline.size() != size[2])
  {
    return out;
  }
  for (size_t k = low[2]; k < high[2]; ++k)
  {
    for (size_t j = low[1]; j < high[1]; ++j)
    {
      const uint8_t * row = mask.data() + (k * size[1] + j) * size[0];
      uint8_t *       target = out.data() + ((k - low[2]) * h + (j - low[1])) * w;
      for (size_t i = low[0]; i < high[0]; ++i)
      {
        const long mirror = std::lround(2.0 * midline[k] - double(i));
        if (mirror >= 0 && mirror < long(size[0]))
        {
          target[i - low[0]] = row[size_t(mirror)];
        }
      }
    }
  }
  return out;
}

BlockMask
AirInsideTissue(const BlockMask & air, const BlockMask & tissue, const BlockGrid & grid, double probe, double fraction)
{
  const auto &          size = grid.GetSize();
  std::vector<uint32_t> inTissue(air.size());
  for (size_t b = 0; b < air.size(); ++b)
  {
    inTissue[b] = tissue[b] ? 1 : 0;
  }
  size_t r[3];
  for (size_t a = 0; a < 3; ++a)
  {
    r[a] = std::max<size_t>(1, static_cast<size_t>(std::lround(probe / grid.GetSpacing()[a])));
    BoxSumAlongAxis(inTissue, size, a, r[a]);
  }
  // Blocks in the box around index q along an axis of n blocks (the box is cut at the grid's faces).
  auto span = [](size_t q, size_t n, size_t radius) {
    return std::min(n, q + radius + 1) - (q >= radius ? q - radius : 0);
  };
  BlockMask out(air.size(), 0);
  for (size_t k = 0, b = 0; k < size[2]; ++k)
  {
    for (size_t j = 0; j < size[1]; ++j)
    {
      const size_t plane = span(k, size[2], r[2]) * span(j, size[1], r[1]);
      for (size_t i = 0; i < size[0]; ++i, ++b)
      {
        out[b] = air[b] && double(inTissue[b]) >= fraction * double(plane * span(i, size[0], r[0])) ? 1 : 0;
      }
    }
  }
  return out;
}

BlockMask
Threads(const BlockMask & mask, const BlockGrid & grid)
{
  const auto & size = grid.GetSize();
  BlockMask    out(mask.size(), 0);
  for (size_t k = 0, b = 0; k < size[2]; ++k)
  {
    for (size_t j = 0; j < size[1]; ++j)
    {
      for (size_t i = 0; i < size[0]; ++i, ++b)
      {
        if (!mask[b])
        {
          continue;
        }
        bool neighbour = false;
        for (long dk = -1; dk <= 1 && !neighbour; ++dk)
        {
          for (long dj = -1; dj <= 1 && !neighbour; ++dj)
          {
            for (long di = -1; di <= 1 && !neighbour; ++di)
            {
              const long kk = long(k) + dk, jj = long(j) + dj, ii = long(i) + di;
              if ((di || dj || dk) && kk >= 0 && jj >= 0 && ii >= 0 && kk < long(size[2]) && jj < long(size[1]) &&
                  ii < long(size[0]))
              {
                neighbour = mask[(size_t(kk) * size[1] + size_t(jj)) * size[0] + size_t(ii)] != 0;
              }
            }
          }
        }
        out[b] = neighbour ? 1 : 0;
      }
    }
  }
  return out;
}

void
GrowWithin(BlockMask & region, const BlockMask & allowed, double distance, const BlockGrid & grid)
{
  if (!(distance > 0.0))
  {
    return;
  }
  const auto &       size = grid.GetSize();
  const auto &       spacing = grid.GetSpacing();
  const size_t       stride[3] = { 1, size[0], size[0] * size[1] };
  std::vector<float> reached(region.size(), std::numeric_limits<float>::infinity());
  using Entry = std::pair<float, size_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<Entry>> queue;
  for (size_t b = 0; b < region.size(); ++b)
  {
    if (region[b])
    {
      reached[b] = 0.0f;
      queue.emplace(0.0f, b);
    }
  }
  while (!queue.empty())
  {
    const auto [d, b] = queue.top();
    queue.pop();
    if (d > reached[b])
    {
      continue;
    }
    const size_t index[3] = { b % size[0], (b / size[0]) % size[1], b / stride[2] };
    for (size_t a = 0; a < 3; ++a)
    {
      const float step = static_cast<float>(spacing[a]);
      for (const int direction : { -1, 1 })
      {
        if ((direction < 0 && index[a] == 0) || (direction > 0 && index[a] + 1 >= size[a]))
        {
          continue;
        }
        const size_t next = direction < 0 ? b - stride[a] : b + stride[a];
        const float  nd = d + step;
        if (allowed[next] && nd <= distance + 1e-3 && nd < reached[next])
        {
          reached[next] = nd;
          region[next] = 1;
          queue.emplace(nd, next);
        }
      }
    }
  }
}

namespace
{
/** One step of 6-neighbourhood erosion (value 0) or dilation (value 1). */
void
NeighbourhoodStep(BlockMask & mask, const BlockGrid & grid, uint8_t value, bool inPlane)
{
  const size_t axes = inPlane ? 2 : 3;
  const auto & size = grid.GetSize();
  const size_t stride[3] = { 1, size[0], size[0] * size[1] };
  BlockMask    out = mask;
  for (size_t k = 0, b = 0; k < size[2]; ++k)
  {
    for (size_t j = 0; j < size[1]; ++j)
    {
      for (size_t i = 0; i < size[0]; ++i, ++b)
      {
        if (mask[b] == value)
        {
          continue;
        }
        const size_t index[3] = { i, j, k };
        bool         change = false;
        for (size_t a = 0; a < axes && !change; ++a)
        {
          const bool lowOut = index[a] == 0;
          const bool highOut = index[a] + 1 >= size[a];
          // Erosion: a neighbour out (or the border) removes the block. Dilation: a neighbour in adds it.
          change = value == 0 ? (lowOut || highOut || !mask[b - stride[a]] || !mask[b + stride[a]])
                              : ((!lowOut && mask[b - stride[a]]) || (!highOut && mask[b + stride[a]]));
        }
        if (change)
        {
          out[b] = value;
        }
      }
    }
  }
  mask.swap(out);
}
} // namespace

void
ShrinkBlocks(BlockMask & mask, const BlockGrid & grid, unsigned int steps, bool inPlane)
{
  for (unsigned int s = 0; s < steps; ++s)
  {
    NeighbourhoodStep(mask, grid, 0, inPlane);
  }
}

void
GrowBlocks(BlockMask & mask, const BlockGrid & grid, unsigned int steps, bool inPlane)
{
  for (unsigned int s = 0; s < steps; ++s)
  {
    NeighbourhoodStep(mask, grid, 1, inPlane);
  }
}

std::vector<uint32_t>
LabelComponents(const BlockMask & mask, const BlockGrid & grid, std::vector<size_t> & sizes)
{
  const auto &          size = grid.GetSize();
  const size_t          stride[3] = { 1, size[0], size[0] * size[1] };
  std::vector<uint32_t> labels(mask.size(), 0);
  sizes.assign(1, 0);
  std::vector<size_t> stack;
  for (size_t start = 0; start < mask.size(); ++start)
  {
    if (!mask[start] || labels[start])
    {
      continue;
    }
    const auto label = static_cast<uint32_t>(sizes.size());
    size_t     count = 0;
    labels[start] = label;
    stack.push_back(start);
    while (!stack.empty())
    {
      const size_t b = stack.back();
      stack.pop_back();
      ++count;
      const size_t index[3] = { b % size[0], (b / size[0]) % size[1], b / stride[2] };
      for (size_t a = 0; a < 3; ++a)
      {
        if (index[a] > 0 && mask[b - stride[a]] && !labels[b - stride[a]])
        {
          labels[b - stride[a]] = label;
          stack.push_back(b - stride[a]);
        }
        if (index[a] + 1 < size[a] && mask[b + stride[a]] && !labels[b + stride[a]])
        {
          labels[b + stride[a]] = label;
          stack.push_back(b + stride[a]);
        }
      }
    }
    sizes.push_back(count);
  }
  return labels;
}

ComponentFaces
CountComponentFaces(const std::vector<uint32_t> & components, size_t count,
                    const std::vector<const BlockMask *> & touching, const BlockGrid & grid)
{
  const auto &   size = grid.GetSize();
  const size_t   stride[3] = { 1, size[0], size[0] * size[1] };
  ComponentFaces faces;
  faces.Faces.assign(count, 0);
  faces.Touching.assign(touching.size(), std::vector<size_t>(count, 0));
  for (size_t b = 0; b < components.size(); ++b)
  {
    const uint32_t c = components[b];
    if (!c)
    {
      continue;
    }
    const size_t index[3] = { b % size[0], (b / size[0]) % size[1], b / stride[2] };
    for (size_t a = 0; a < 3; ++a)
    {
      for (const int d : { -1, 1 })
      {
        if ((d < 0 && index[a] == 0) || (d > 0 && index[a] + 1 >= size[a]))
        {
          continue;
        }
        const size_t n = d < 0 ? b - stride[a] : b + stride[a];
        if (components[n] == c)
        {
          continue;
        }
        ++faces.Faces[c];
        for (size_t m = 0; m < touching.size(); ++m)
        {
          faces.Touching[m][c] += (*touching[m])[n] ? 1 : 0;
        }
      }
    }
  }
  return faces;
}

} // namespace ctp
