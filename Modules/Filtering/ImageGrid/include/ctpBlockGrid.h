#ifndef ctpBlockGrid_h
#define ctpBlockGrid_h

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace ctp
{
/** \class BlockGrid
 * \brief A grid of blocks over an image grid, for steps that look at anatomy at the centimetre scale.
 *
 * Each block is f0 x f1 x f2 voxels, the factors chosen so that a block is about `blockMm` wide along
 * each axis and at least one voxel (a 1 mm volume with 3 mm blocks has 27 times fewer blocks than
 * voxels; 5 mm slices stay one block thick). The last block along an axis may be partial. Arrays are
 * in ITK order (first axis fastest), for voxels and blocks alike. Pooling and expansion are threaded
 * over the block slices. */
class BlockGrid
{
public:
  using SizeType = std::array<size_t, 3>;
  using SpacingType = std::array<double, 3>;

  BlockGrid(const SizeType & voxels, const SpacingType & spacing, double blockMm)
    : m_Voxels(voxels)
  {
    for (size_t a = 0; a < 3; ++a)
    {
      m_Factors[a] = std::max<size_t>(1, static_cast<size_t>(std::lround(blockMm / spacing[a])));
      m_Size[a] = (voxels[a] + m_Factors[a] - 1) / m_Factors[a];
      m_Spacing[a] = spacing[a] * double(m_Factors[a]);
    }
  }

  /** A grid whose blocks are single voxels of the given size and spacing: a box cut out of another
   *  grid's blocks, to run the same steps on part of it. */
  BlockGrid(const SizeType & blocks, const SpacingType & blockSpacing)
    : m_Voxels(blocks)
    , m_Factors{ 1, 1, 1 }
    , m_Size(blocks)
    , m_Spacing(blockSpacing)
  {}

  /** Blocks per axis. */
  const SizeType &
  GetSize() const
  {
    return m_Size;
  }
  /** Voxels per block along each axis. */
  const SizeType &
  GetFactors() const
  {
    return m_Factors;
  }
  /** Block size in mm along each axis. */
  const SpacingType &
  GetSpacing() const
  {
    return m_Spacing;
  }
  size_t
  GetNumberOfBlocks() const
  {
    return m_Size[0] * m_Size[1] * m_Size[2];
  }
  /** Voxels in block (bi, bj, bk): fewer than the factors' product for the last along an axis. */
  size_t
  VoxelsIn(size_t bi, size_t bj, size_t bk) const
  {
    const size_t index[3] = { bi, bj, bk };
    size_t       count = 1;
    for (size_t a = 0; a < 3; ++a)
    {
      count *= std::min(m_Voxels[a], (index[a] + 1) * m_Factors[a]) - index[a] * m_Factors[a];
    }
    return count;
  }

  /** Volume of a whole block in mL. */
  double
  GetBlockMl() const
  {
    return m_Spacing[0] * m_Spacing[1] * m_Spacing[2] / 1000.0;
  }

  /** Per block, the mean of the voxel values and the OR of flags[label] over its voxels. Only the
   *  blocks meeting the voxel box [low, high) are pooled; the others get mean `outside` and no flags. */
  template <typename TValue>
  void
  Pool(const TValue * values, const uint8_t * labels, const std::array<uint8_t, 256> & flags, std::vector<float> & mean,
       std::vector<uint8_t> & blockFlags, const SizeType & low, const SizeType & high, float outside) const
  {
    mean.assign(GetNumberOfBlocks(), outside);
    blockFlags.assign(GetNumberOfBlocks(), 0);
    SizeType blockLow{}, blockHigh{};
    for (size_t a = 0; a < 3; ++a)
    {
      blockLow[a] = std::min(low[a], m_Voxels[a]) / m_Factors[a];
      blockHigh[a] = std::min(m_Size[a], (std::min(high[a], m_Voxels[a]) + m_Factors[a] - 1) / m_Factors[a]);
      if (blockLow[a] >= blockHigh[a])
      {
        return;
      }
    }
    // Whole blocks: the voxel range of the blocks met.
    const size_t i0 = blockLow[0] * m_Factors[0];
    const size_t i1 = std::min(m_Voxels[0], blockHigh[0] * m_Factors[0]);
    const size_t nx = m_Voxels[0];
    const size_t ny = m_Voxels[1];
    const size_t f0 = m_Factors[0];
    itk::MultiThreaderBase::New()->ParallelizeArray(
      blockLow[2],
      blockHigh[2],
      [&](itk::SizeValueType bk) {
        using Sum = std::conditional_t<std::is_integral_v<TValue>, int64_t, double>;
        std::vector<Sum> sum(m_Size[0] * m_Size[1], 0);
        uint8_t *        f = blockFlags.data() + bk * m_Size[0] * m_Size[1];
        const size_t     k1 = std::min(m_Voxels[2], (bk + 1) * m_Factors[2]);
        const size_t     j0 = blockLow[1] * m_Factors[1];
        const size_t     j1 = std::min(ny, blockHigh[1] * m_Factors[1]);
        for (size_t k = bk * m_Factors[2]; k < k1; ++k)
        {
          for (size_t j = j0; j < j1; ++j)
          {
            const size_t    row = (k * ny + j) * nx;
            const size_t    first = (j / m_Factors[1]) * m_Size[0];
            const TValue *  v = values + row;
            const uint8_t * l = labels + row;
            size_t          i = i0;
            size_t          bi = blockLow[0];
            // Whole blocks along the row (three voxels, the usual case, unrolled), then the last one.
            if (f0 == 3)
            {
              for (; i + 3 <= i1; i += 3, ++bi)
              {
                sum[first + bi] += static_cast<Sum>(v[i]) + static_cast<Sum>(v[i + 1]) + static_cast<Sum>(v[i + 2]);
                f[first + bi] |= flags[l[i]] | flags[l[i + 1]] | flags[l[i + 2]];
              }
            }
            for (; i + f0 <= i1; i += f0, ++bi)
            {
              Sum     s = 0;
              uint8_t bits = 0;
              for (size_t q = 0; q < f0; ++q)
              {
                s += static_cast<Sum>(v[i + q]);
                bits |= flags[l[i + q]];
              }
              sum[first + bi] += s;
              f[first + bi] |= bits;
            }
            for (; i < i1; ++i)
            {
              sum[first + i / f0] += static_cast<Sum>(v[i]);
              f[first + i / f0] |= flags[l[i]];
            }
          }
        }
        float * m = mean.data() + bk * m_Size[0] * m_Size[1];
        for (size_t bj = blockLow[1]; bj < blockHigh[1]; ++bj)
        {
          for (size_t bi = blockLow[0]; bi < blockHigh[0]; ++bi)
          {
            const size_t b = bj * m_Size[0] + bi;
            m[b] = static_cast<float>(double(sum[b]) / double(VoxelsIn(bi, bj, bk)));
          }
        }
      },
      nullptr);
  }

  /** Calls visit(voxel, blockValue) for every voxel (linear index) whose block value is nonzero. Blocks
   *  of one block slice are visited by one thread; `visit` must only write its own voxel. */
  template <typename TVisit>
  void
  ForEachVoxelOfBlocks(const uint8_t * blocks, TVisit visit) const
  {
    const size_t nx = m_Voxels[0];
    const size_t ny = m_Voxels[1];
    itk::MultiThreaderBase::New()->ParallelizeArray(
      0,
      m_Size[2],
      [&](itk::SizeValueType bk) {
        const uint8_t * slice = blocks + bk * m_Size[0] * m_Size[1];
        if (std::none_of(slice, slice + m_Size[0] * m_Size[1], [](uint8_t v) { return v != 0; }))
        {
          return;
        }
        const size_t k1 = std::min(m_Voxels[2], (bk + 1) * m_Factors[2]);
        for (size_t k = bk * m_Factors[2]; k < k1; ++k)
        {
          for (size_t j = 0; j < ny; ++j)
          {
            const uint8_t * row = slice + (j / m_Factors[1]) * m_Size[0];
            for (size_t bi = 0; bi < m_Size[0]; ++bi)
            {
              if (const uint8_t value = row[bi])
              {
                const size_t i1 = std::min(nx, (bi + 1) * m_Factors[0]);
                for (size_t i = bi * m_Factors[0]; i < i1; ++i)
                {
                  visit((k * ny + j) * nx + i, value);
                }
              }
            }
          }
        }
      },
      nullptr);
  }

  /** The block (linear index) holding a voxel. */
  size_t
  BlockOf(size_t i, size_t j, size_t k) const
  {
    return ((k / m_Factors[2]) * m_Size[1] + j / m_Factors[1]) * m_Size[0] + i / m_Factors[0];
  }

private:
  SizeType    m_Voxels{};
  SizeType    m_Factors{};
  SizeType    m_Size{};
  SpacingType m_Spacing{};
};

} // namespace ctp

#endif
