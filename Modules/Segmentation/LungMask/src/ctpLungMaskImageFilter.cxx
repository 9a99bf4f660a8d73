#include "ctpLungMaskImageFilter.h"
#include "ctpBinaryMorphology.h"
#include "ctpLungLesionImageFilter.h"
#include "ctpPleuralEffusion.h"
#include "ctpSliceFill.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <functional>
#include <array>
#include <memory>
#include <cmath>
#include <numeric>
#include <sstream>

namespace ctp
{
namespace
{
enum State : uint8_t
{
  Tissue = 0,
  InternalAir = 1,
  OutsideAir = 2
};

/** A 2D connected component of one slice. */
struct Blob
{
  std::vector<size_t> Pixels;           ///< indices within the slice
  double              CentroidX{ 0.0 }; ///< column index
  bool                OverlapsPrevious{ false };
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

std::string
Litres(double ml)
{
  std::ostringstream text;
  text.precision(3);
  text << ml / 1000.0 << " L";
  return text.str();
}
} // namespace

void
LungMaskImageFilter::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  if (auto * input = const_cast<HUImageType *>(this->GetInput()))
  {
    input->SetRequestedRegionToLargestPossibleRegion();
  }
}

void
LungMaskImageFilter::EnlargeOutputRequestedRegion(itk::DataObject * output)
{
  Superclass::EnlargeOutputRequestedRegion(output);
  output->SetRequestedRegionToLargestPossibleRegion();
}

void
LungMaskImageFilter::GenerateData()
{
  auto * output = this->GetOutput();
  output->SetBufferedRegion(output->GetRequestedRegion());
  output->Allocate();
  m_Warnings.clear();
  m_Decisions.clear();
  m_UsedFallback = false;
  std::string reason;
  m_Plausible = Segment(0.0, reason);
  if (!m_Plausible && m_FallbackClosingRadius > 0.0)
  {
    std::ostringstream text;
    text << "lung mask implausible (" << reason << "): redone with the tissue closed by " << m_FallbackClosingRadius
         << " mm in each slice";
    m_Decisions.push_back(text.str());
    m_UsedFallback = true;
    m_Plausible = Segment(m_FallbackClosingRadius, reason);
  }
  if (!m_Plausible)
  {
    m_Warnings.push_back("lung mask implausible: " + reason);
  }
  m_Lesions.clear();
  m_LesionFilter = nullptr;
  m_RightLesionMl = m_LeftLesionMl = m_RightEffusionMl = m_LeftEffusionMl = 0.0;
  if (m_CaptureLesions && m_Plausible)
  {
    CaptureLesions();
  }
  else if (m_CaptureLesions)
  {
    m_Decisions.push_back("dense tissue not taken into the lungs: the aerated lung mask is implausible");
  }
  if (m_FindEffusion && m_Plausible)
  {
    FindEffusion();
  }
}

void
LungMaskImageFilter::CaptureLesions()
{
  // A mini-pipeline on views of this filter's input and output (ITK's composite filter pattern).
  auto hu = HUImageType::New();
  hu->Graft(this->GetInput());
  auto aerated = MaskImageType::New();
  aerated->Graft(this->GetOutput());
  m_LesionFilter = LungLesionImageFilter::New();
  auto & lesions = m_LesionFilter;
  lesions->SetInput(hu);
  lesions->SetLabels(aerated);
  lesions->SetNumberOfWorkUnits(this->GetNumberOfWorkUnits());
  lesions->SetLungThreshold(m_LungThreshold);
  lesions->SetFillClosingRadius(m_Fill ? m_FillClosingRadius : 0.0);
  lesions->SetEnvelopeRadius(m_LesionEnvelopeRadius);
  lesions->SetEnclosureLength(m_LesionEnclosureLength);
  lesions->SetBronchogramReach(m_LesionBronchogramReach);
  lesions->SetContralateralDepth(m_LesionContralateralDepth);
  lesions->SetMinimumVolume(m_LesionMinimumVolume);
  lesions->SetCoreGrowth(m_LesionGrowth);
  lesions->SetCompletion(m_LesionCompletion);
  lesions->InPlaceOn(); // labels 4 and 5 are written into this filter's output
  lesions->Update();
  m_Lesions = lesions->GetLesions();
  m_RightLesionMl = lesions->GetRightLesionMl();
  m_LeftLesionMl = lesions->GetLeftLesionMl();
  for (const auto & decision : lesions->GetDecisions())
  {
    m_Decisions.push_back(decision);
  }
}

void
LungMaskImageFilter::FindEffusion()
{
  // The blocks the lesion stage pooled (lesions included), or a pooling of its own.
  std::unique_ptr<ChestBlocks> own;
  const ChestBlocks *          chest = m_LesionFilter ? m_LesionFilter->GetChestBlocks() : nullptr;
  if (chest == nullptr)
  {
    own = std::make_unique<ChestBlocks>(this->GetInput(), this->GetOutput(), 3.0, 30.0);
    chest = own.get();
  }
  PleuralEffusion effusion;
  effusion.FluidLower = m_EffusionLower;
  effusion.FluidUpper = m_EffusionUpper;
  effusion.Find(*chest, this->GetInput(), this->GetOutput(), m_LabelEffusion ? Effusion : Background);
  m_RightEffusionMl = effusion.GetRightVolumeMl();
  m_LeftEffusionMl = effusion.GetLeftVolumeMl();
  m_LesionFilter = nullptr; // its blocks are no longer needed
}

bool
LungMaskImageFilter::Segment(double tissueClosingRadius, std::string & reason)
{
  const HUImageType * input = this->GetInput();
  MaskImageType *     output = this->GetOutput();
  const auto          size = input->GetLargestPossibleRegion().GetSize();
  const size_t        nx = size[0];
  const size_t        ny = size[1];
  const size_t        nz = size[2];
  const size_t        sliceSize = nx * ny;
  const size_t        count = sliceSize * nz;
  const auto          spacing = input->GetSpacing();
  const double        voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  const double        pixelMm2 = spacing[0] * spacing[1];
  const HUPixelType * hu = input->GetBufferPointer();
  MaskPixelType *     out = output->GetBufferPointer();
  std::fill(out, out + count, Background);
  auto threader = itk::MultiThreaderBase::New();
  threader->SetNumberOfWorkUnits(this->GetNumberOfWorkUnits());

  // 1-2. Air, and outside air per slice (connected to the slice edge).
  std::vector<uint8_t> state(count);
  threader->ParallelizeArray(
    0,
    nz,
    [&](itk::SizeValueType k) {
      uint8_t *           s = state.data() + k * sliceSize;
      const HUPixelType * h = hu + k * sliceSize;
      for (size_t n = 0; n < sliceSize; ++n)
      {
        s[n] = h[n] < m_LungThreshold ? InternalAir : Tissue;
      }
      if (tissueClosingRadius > 0.0)
      {
        std::vector<uint8_t> tissue(sliceSize);
        for (size_t n = 0; n < sliceSize; ++n)
        {
          tissue[n] = s[n] == Tissue;
        }
        BinaryMorphology({ nx, ny }, { spacing[0], spacing[1] }).Close(tissue.data(), tissueClosingRadius);
        for (size_t n = 0; n < sliceSize; ++n)
        {
          s[n] = tissue[n] ? Tissue : s[n];
        }
      }
      // Flood from the slice edge, a run at a time.
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
    },
    nullptr);

  // The body: the largest region of voxels that are not outside air.
  if (m_ComputeBodyMask)
  {
    m_BodyMask = MaskImageType::New();
    m_BodyMask->CopyInformation(input);
    m_BodyMask->SetRegions(input->GetLargestPossibleRegion());
    m_BodyMask->Allocate();
    MaskPixelType * body = m_BodyMask->GetBufferPointer();
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
      ScanlineFill(
        body, nx, ny, nz, inSlice % nx, inSlice / nx, k, 1, 2, stack, [&](size_t x0, size_t x1, size_t, size_t) {
          size += x1 - x0 + 1;
        });
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
      ScanlineFill(body, nx, ny, nz, inSlice % nx, inSlice / nx, k, 2, 3, stack, [](size_t, size_t, size_t, size_t) {});
    }
    for (size_t n = 0; n < count; ++n)
    {
      body[n] = body[n] == 3 ? 1 : 0;
    }
  }

  // 3. Trachea and main bronchi, followed down from the most superior slices.
  const auto & D = input->GetDirection();
  const auto & origin = input->GetOrigin();
  double       tracheaX = 0.0; // physical x of the trachea
  size_t       tracheaPixels = 0;
  double       tracheaSumX = 0.0;
  auto         physicalX = [&](size_t i, size_t j, size_t k) {
    return origin[0] + D[0][0] * double(i) * spacing[0] + D[0][1] * double(j) * spacing[1] +
           D[0][2] * double(k) * spacing[2];
  };
  auto markAirway = [&](size_t k, size_t n, uint8_t * s, MaskPixelType * o) {
    o[n] = Airway;
    s[n] = Tissue; // no longer a lung candidate
    tracheaSumX += physicalX(n % nx, n / nx, k);
    ++tracheaPixels;
  };
  if (m_LabelAirways && std::abs(D[2][2]) > 0.7 && nz > 2)
  {
    const bool           ascending = D[2][2] > 0.0;
    const double         maxArea = 900.0; // mm^2: a trachea is 15-25 mm wide; a lung slice is far larger
    std::vector<uint8_t> previous(sliceSize, 0);
    bool                 tracking = false;
    double               previousArea = 0.0;
    const size_t         searchSlices = std::max<size_t>(1, static_cast<size_t>(std::ceil(30.0 / spacing[2])));
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
        // Body extent in this slice (columns holding tissue).
        size_t minI = nx;
        size_t maxI = 0;
        for (size_t n = 0; n < sliceSize; ++n)
        {
          if (s[n] == Tissue)
          {
            minI = std::min(minI, n % nx);
            maxI = std::max(maxI, n % nx);
          }
        }
        if (minI >= maxI)
        {
          continue;
        }
        const double centre = 0.5 * double(minI + maxI);
        const double width = double(maxI - minI);
        auto         blobs = Blobs2D(nx, ny, [&](size_t n) { return s[n] == InternalAir; });
        const Blob * best = nullptr;
        for (const auto & blob : blobs)
        {
          const double area = double(blob.Pixels.size()) * pixelMm2;
          if (area >= 40.0 && area <= maxArea && std::abs(blob.CentroidX - centre) < 0.15 * width &&
              (best == nullptr || std::abs(blob.CentroidX - centre) < std::abs(best->CentroidX - centre)))
          {
            best = &blob;
          }
        }
        if (best == nullptr)
        {
          continue;
        }
        tracking = true;
        std::fill(previous.begin(), previous.end(), 0);
        for (const size_t n : best->Pixels)
        {
          previous[n] = 1;
          markAirway(k, n, s, o);
        }
        previousArea = double(best->Pixels.size()) * pixelMm2;
        continue;
      }
      auto                 blobs = Blobs2D(nx, ny, [&](size_t n) { return s[n] == InternalAir; });
      std::vector<uint8_t> current(sliceSize, 0);
      double               currentArea = 0.0;
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
        if (!overlaps || area > maxArea || area > 3.0 * previousArea + 50.0)
        {
          continue; // not the airway, or the bronchus has entered the lung
        }
        for (const size_t n : blob.Pixels)
        {
          current[n] = 1;
          markAirway(k, n, s, o);
        }
        currentArea += area;
      }
      if (currentArea == 0.0)
      {
        break;
      }
      previous.swap(current);
      previousArea = currentArea;
    }
    if (tracheaPixels > 0)
    {
      tracheaX = tracheaSumX / double(tracheaPixels); // the body's midline
    }
  }

  // 4. 3D components of the remaining internal air (6-connected); the lungs are the largest.
  // Each component is filled a run at a time; its runs are kept to label its voxels afterwards.
  constexpr uint8_t Labelled = 3;
  struct Run
  {
    uint32_t X0;
    uint32_t X1;
    uint32_t Y;
    uint32_t Z;
  };
  struct Component
  {
    size_t           Voxels{ 0 };
    double           SumI{ 0.0 };
    double           SumJ{ 0.0 };
    double           SumK{ 0.0 };
    std::vector<Run> Runs;
    double
    X(const std::function<double(double, double, double)> & toX) const
    {
      return toX(SumI / double(Voxels), SumJ / double(Voxels), SumK / double(Voxels));
    }
  };
  std::vector<Component> components(1);
  {
    std::vector<std::array<uint32_t, 3>> stack;
    for (size_t k = 0; k < nz; ++k)
    {
      for (size_t start = k * sliceSize; start < (k + 1) * sliceSize; ++start)
      {
        if (state[start] != InternalAir)
        {
          continue;
        }
        Component    component;
        const size_t inSlice = start - k * sliceSize;
        ScanlineFill(state.data(),
                     nx,
                     ny,
                     nz,
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
  }
  const std::function<double(double, double, double)> toX = [&](double i, double j, double k) {
    return origin[0] + D[0][0] * i * spacing[0] + D[0][1] * j * spacing[1] + D[0][2] * k * spacing[2];
  };
  std::vector<uint32_t> order(components.size() - 1);
  std::iota(order.begin(), order.end(), 1u);
  std::sort(
    order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return components[a].Voxels > components[b].Voxels; });
  if (order.empty())
  {
    reason = "no air inside the body below " + std::to_string(int(m_LungThreshold)) + " HU";
    m_RightVolumeMl = m_LeftVolumeMl = 0.0;
    return false;
  }
  const uint32_t first = order[0];
  const double   firstX = components[first].X(toX);
  uint32_t       second = 0;
  double         split = tracheaPixels > 0 ? tracheaX : firstX;
  if (order.size() > 1)
  {
    const uint32_t candidate = order[1];
    const double   candidateX = components[candidate].X(toX);
    const double   mid = tracheaPixels > 0 ? tracheaX : 0.5 * (firstX + candidateX);
    if (double(components[candidate].Voxels) >= m_MinimumSecondFraction * double(components[first].Voxels) &&
        (firstX - mid) * (candidateX - mid) < 0.0)
    {
      second = candidate;
      split = mid;
    }
  }
  if (second == 0 && tracheaPixels == 0)
  {
    split = firstX; // one component holding both lungs: split at its own centre
  }
  // Sides: patient right is -x in LPS.
  const MaskPixelType firstSide = firstX < split ? RightLung : LeftLung;
  const MaskPixelType secondSide = firstSide == RightLung ? LeftLung : RightLung;
  for (const auto & run : components[first].Runs)
  {
    MaskPixelType * row = out + size_t(run.Z) * sliceSize + size_t(run.Y) * nx;
    if (second != 0)
    {
      std::fill(row + run.X0, row + run.X1 + 1, firstSide);
      continue;
    }
    for (size_t i = run.X0; i <= run.X1; ++i)
    {
      row[i] = toX(double(i), double(run.Y), double(run.Z)) < split ? RightLung : LeftLung;
    }
  }
  if (second != 0)
  {
    for (const auto & run : components[second].Runs)
    {
      MaskPixelType * row = out + size_t(run.Z) * sliceSize + size_t(run.Y) * nx;
      std::fill(row + run.X0, row + run.X1 + 1, secondSide);
    }
  }
  components.clear();
  state.clear();
  state.shrink_to_fit();

  // 5. Fill: per slice and per lung, closing and hole filling.
  if (m_Fill)
  {
    threader->ParallelizeArray(
      0,
      nz,
      [&](itk::SizeValueType k) {
        for (const MaskPixelType side : { RightLung, LeftLung })
        {
          FillLabelsInSlice(out + k * sliceSize, nx, ny, spacing[0], spacing[1], { side }, side, m_FillClosingRadius);
        }
      },
      nullptr);
  }

  // 6. Optional dilation of each lung, in 3D.
  if (m_DilationRadius > 0.0)
  {
    BinaryMorphology     morphology({ nx, ny, nz }, { spacing[0], spacing[1], spacing[2] });
    std::vector<uint8_t> mask(count);
    for (const MaskPixelType side : { RightLung, LeftLung })
    {
      for (size_t n = 0; n < count; ++n)
      {
        mask[n] = out[n] == side;
      }
      morphology.Dilate(mask.data(), m_DilationRadius);
      for (size_t n = 0; n < count; ++n)
      {
        if (mask[n] && out[n] == Background)
        {
          out[n] = side;
        }
      }
    }
  }

  // 7. Volumes and plausibility.
  size_t right = 0, left = 0, airway = 0;
  for (size_t n = 0; n < count; ++n)
  {
    right += out[n] == RightLung;
    left += out[n] == LeftLung;
    airway += out[n] == Airway;
  }
  m_RightVolumeMl = double(right) * voxelMl;
  m_LeftVolumeMl = double(left) * voxelMl;
  m_AirwayVolumeMl = double(airway) * voxelMl;
  const double       total = m_RightVolumeMl + m_LeftVolumeMl;
  std::ostringstream why;
  if (total < m_MinimumVolumeLitres * 1000.0 || total > m_MaximumVolumeLitres * 1000.0)
  {
    why << "total lung volume " << Litres(total) << " outside " << m_MinimumVolumeLitres << ".."
        << m_MaximumVolumeLitres << " L";
  }
  else if (m_RightVolumeMl < 0.1 * total || m_LeftVolumeMl < 0.1 * total)
  {
    why << "one lung missing or small (right " << Litres(m_RightVolumeMl) << ", left " << Litres(m_LeftVolumeMl) << ")";
  }
  reason = why.str();
  return reason.empty();
}

void
LungMaskImageFilter::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "LungThreshold: " << m_LungThreshold << " HU" << std::endl;
  os << indent << "Fill: " << m_Fill << " (closing " << m_FillClosingRadius << " mm)" << std::endl;
  os << indent << "DilationRadius: " << m_DilationRadius << " mm" << std::endl;
  os << indent << "LabelAirways: " << m_LabelAirways << std::endl;
  os << indent << "MinimumSecondFraction: " << m_MinimumSecondFraction << std::endl;
  os << indent << "Volume range: " << m_MinimumVolumeLitres << " .. " << m_MaximumVolumeLitres << " L" << std::endl;
  os << indent << "FallbackClosingRadius: " << m_FallbackClosingRadius << " mm" << std::endl;
  os << indent << "ComputeBodyMask: " << m_ComputeBodyMask << std::endl;
  os << indent << "CaptureLesions: " << m_CaptureLesions << " (envelope " << m_LesionEnvelopeRadius << " mm, enclosure "
     << m_LesionEnclosureLength << " mm, bronchogram reach " << m_LesionBronchogramReach << " mm, contralateral depth "
     << m_LesionContralateralDepth << " mm, at least " << m_LesionMinimumVolume << " mL, growth " << m_LesionGrowth
     << " mm, completion " << m_LesionCompletion << " mm)" << std::endl;
  os << indent << "FindEffusion: " << m_FindEffusion << " (" << m_EffusionLower << " .. " << m_EffusionUpper
     << " HU), LabelEffusion: " << m_LabelEffusion << std::endl;
}

} // namespace ctp
