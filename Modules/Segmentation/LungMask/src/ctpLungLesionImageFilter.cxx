#include "ctpLungLesionImageFilter.h"
#include "ctpBinaryMorphology.h"
#include "ctpBlockMasks.h"
#include "ctpChestBlocks.h"
#include "ctpLesionBlocks.h"
#include "ctpSliceFill.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace ctp
{
namespace
{
/** \brief The largest extent of a set of points: the longest distance between the extreme points along
 * 49 directions spread over a half sphere (a Fibonacci lattice); within 2% of the true diameter. */
class ExtentMeter
{
public:
  ExtentMeter()
  {
    const double golden = M_PI * (3.0 - std::sqrt(5.0));
    for (size_t n = 0; n < Directions; ++n)
    {
      const double z = 1.0 - (double(n) + 0.5) / double(Directions); // (0, 1]: one hemisphere
      const double r = std::sqrt(std::max(0.0, 1.0 - z * z));
      m_Direction[n] = { r * std::cos(golden * double(n)), r * std::sin(golden * double(n)), z };
      m_Low[n] = std::numeric_limits<double>::infinity();
      m_High[n] = -std::numeric_limits<double>::infinity();
    }
  }

  void
  Add(const std::array<double, 3> & point)
  {
    for (size_t d = 0; d < Directions; ++d)
    {
      const double p = point[0] * m_Direction[d][0] + point[1] * m_Direction[d][1] + point[2] * m_Direction[d][2];
      if (p < m_Low[d])
      {
        m_Low[d] = p;
        m_Extreme[2 * d] = point;
      }
      if (p > m_High[d])
      {
        m_High[d] = p;
        m_Extreme[2 * d + 1] = point;
      }
    }
  }

  double
  Largest() const
  {
    double largest = 0.0;
    for (size_t a = 0; a < m_Extreme.size(); ++a)
    {
      for (size_t b = a + 1; b < m_Extreme.size(); ++b)
      {
        largest = std::max(largest,
                           std::hypot(m_Extreme[a][0] - m_Extreme[b][0],
                                      m_Extreme[a][1] - m_Extreme[b][1],
                                      m_Extreme[a][2] - m_Extreme[b][2]));
      }
    }
    return largest;
  }

private:
  static constexpr size_t                           Directions = 49;
  std::array<std::array<double, 3>, Directions>     m_Direction{};
  std::array<double, Directions>                    m_Low{};
  std::array<double, Directions>                    m_High{};
  std::array<std::array<double, 3>, 2 * Directions> m_Extreme{};
};

/** The 6-connected voxels holding `label` from `start`, each marked `mark` in `out` as it is met. */
void
CollectRegion(MaskPixelType * out, const itk::Size<3> & size, size_t start, MaskPixelType label, MaskPixelType mark,
              std::vector<size_t> & members)
{
  const size_t        nx = size[0], ny = size[1], nz = size[2];
  std::vector<size_t> stack{ start };
  members.clear();
  out[start] = mark;
  while (!stack.empty())
  {
    const size_t v = stack.back();
    stack.pop_back();
    members.push_back(v);
    const size_t i = v % nx, j = (v / nx) % ny, k = v / (nx * ny);
    const size_t neighbours[6] = { i > 0 ? v - 1 : v,       i + 1 < nx ? v + 1 : v,  j > 0 ? v - nx : v,
                                   j + 1 < ny ? v + nx : v, k > 0 ? v - nx * ny : v, k + 1 < nz ? v + nx * ny : v };
    for (const size_t n : neighbours)
    {
      if (out[n] == label)
      {
        out[n] = mark;
        stack.push_back(n);
      }
    }
  }
}
} // namespace

LungLesionImageFilter::LungLesionImageFilter()
{
  this->SetNumberOfRequiredInputs(2);
}

LungLesionImageFilter::~LungLesionImageFilter() = default;

void
LungLesionImageFilter::SetLabels(const MaskImageType * labels)
{
  this->SetNthInput(1, const_cast<MaskImageType *>(labels));
}

const MaskImageType *
LungLesionImageFilter::GetLabels() const
{
  return itkDynamicCastInDebugMode<const MaskImageType *>(this->itk::ProcessObject::GetInput(1));
}

void
LungLesionImageFilter::GenerateInputRequestedRegion()
{
  Superclass::GenerateInputRequestedRegion();
  for (unsigned int i = 0; i < this->GetNumberOfIndexedInputs(); ++i)
  {
    if (auto * input = this->itk::ProcessObject::GetInput(i))
    {
      const_cast<itk::DataObject *>(static_cast<const itk::DataObject *>(input))
        ->SetRequestedRegionToLargestPossibleRegion();
    }
  }
}

void
LungLesionImageFilter::EnlargeOutputRequestedRegion(itk::DataObject * output)
{
  Superclass::EnlargeOutputRequestedRegion(output);
  output->SetRequestedRegionToLargestPossibleRegion();
}

void
LungLesionImageFilter::VerifyParameters() const
{
  const std::pair<const char *, double> positive[] = {
    { "GridSpacing", m_GridSpacing },
    { "EnvelopeRadius", m_EnvelopeRadius },
    { "EnclosureLength", m_EnclosureLength },
    { "BronchogramProbe", m_BronchogramProbe },
  };
  for (const auto & [name, value] : positive)
  {
    if (!(value > 0.0))
    {
      itkExceptionMacro(<< name << " " << value << " must be > 0");
    }
  }
  const std::pair<const char *, double> nonNegative[] = {
    { "BronchogramReach", m_BronchogramReach },
    { "ContralateralDepth", m_ContralateralDepth },
    { "MinimumVolume", m_MinimumVolume },
    { "CoreGrowth", m_CoreGrowth },
    { "Completion", m_Completion },
    { "FillClosingRadius", m_FillClosingRadius },
  };
  for (const auto & [name, value] : nonNegative)
  {
    if (!(value >= 0.0))
    {
      itkExceptionMacro(<< name << " " << value << " must be >= 0");
    }
  }
  if (!(m_DenseLower < m_DenseUpper))
  {
    itkExceptionMacro(<< "DenseLower " << m_DenseLower << " must be below DenseUpper " << m_DenseUpper);
  }
  if (!(m_BronchogramTissueFraction > 0.0 && m_BronchogramTissueFraction <= 1.0) ||
      !(m_MinimumLungContact >= 0.0 && m_MinimumLungContact <= 1.0))
  {
    itkExceptionMacro(<< "BronchogramTissueFraction " << m_BronchogramTissueFraction << " and MinimumLungContact "
                      << m_MinimumLungContact << " must be fractions (0..1)");
  }
}

void
LungLesionImageFilter::GenerateData()
{
  VerifyParameters();
  const HUImageType *   hu = this->GetInput();
  const MaskImageType * labels = this->GetLabels();
  if (m_InPlace)
  {
    this->GraftOutput(const_cast<MaskImageType *>(labels)); // the labels' buffer becomes the output
  }
  else
  {
    MaskImageType * output = this->GetOutput();
    output->SetBufferedRegion(output->GetRequestedRegion());
    output->Allocate();
    const size_t count = hu->GetLargestPossibleRegion().GetNumberOfPixels();
    std::copy(labels->GetBufferPointer(), labels->GetBufferPointer() + count, output->GetBufferPointer());
  }
  m_Lesions.clear();
  m_Decisions.clear();
  m_Chest.reset();
  m_RightLesionMl = m_LeftLesionMl = 0.0;
  const auto & D = hu->GetDirection();
  if (std::abs(D[0][0]) < 0.9 || std::abs(D[1][1]) < 0.9 || std::abs(D[2][2]) < 0.9)
  {
    m_Decisions.push_back("dense tissue not taken into the lungs: the slices are not axial (oblique image axes)");
    return;
  }
  // 1. The chest's blocks, out to where the steps reach from the lungs.
  const double reach =
    std::max({ m_EnvelopeRadius, m_CoreGrowth + m_Completion, m_BronchogramReach }) + 2.0 * m_GridSpacing;
  m_Chest = std::make_unique<ChestBlocks>(hu, labels, m_GridSpacing, reach);
  const BlockGrid & grid = m_Chest->Grid;
  const LungBlocks  blocks = MakeLungBlocks(*m_Chest, m_DenseLower, m_DenseUpper);
  const auto        midline = LungMidline(blocks.Lung[1], blocks.Lung[2], grid);
  if (midline.empty())
  {
    m_Decisions.push_back("dense tissue not taken into the lungs: no slice holds both lungs");
    return;
  }
  // 2-6. Each lung's regions of blocks.
  LesionBlockParameters parameters;
  parameters.EnvelopeRadius = m_EnvelopeRadius;
  parameters.EnclosureLength = m_EnclosureLength;
  parameters.BronchogramProbe = m_BronchogramProbe;
  parameters.BronchogramTissueFraction = m_BronchogramTissueFraction;
  parameters.BronchogramReach = m_BronchogramReach;
  parameters.MidlineMargin = m_MidlineMargin;
  parameters.MinimumVolume = m_MinimumVolume;
  parameters.MinimumLungContact = m_MinimumLungContact;
  parameters.CoreGrowth = m_CoreGrowth;
  parameters.Completion = m_Completion;
  const auto & gs = grid.GetSpacing();
  const auto   depth =
    static_cast<unsigned int>(std::lround(m_ContralateralDepth / *std::min_element(gs.begin(), gs.end())));
  BlockMask regions(grid.GetNumberOfBlocks(), 0);
  BlockMask bronchogramBlocks(grid.GetNumberOfBlocks(), 0);
  for (const MaskPixelType side : { 1, 2 })
  {
    BlockMask region, bronchograms;
    LesionRegion(
      blocks, side, DeepInside(blocks.Lung[3 - side], grid, depth), midline, grid, parameters, region, bronchograms);
    for (size_t b = 0; b < regions.size(); ++b)
    {
      regions[b] = region[b] && !regions[b] ? static_cast<uint8_t>(side) : regions[b];
      bronchogramBlocks[b] = bronchograms[b] ? static_cast<uint8_t>(side) : bronchogramBlocks[b];
    }
  }
  // 7. Full resolution.
  FullResolution(regions, bronchogramBlocks, grid);
  std::ostringstream text;
  text.precision(3);
  text << "dense tissue taken into the lungs (masses, consolidation): " << m_Lesions.size() << " region(s), right "
       << m_RightLesionMl << " mL, left " << m_LeftLesionMl << " mL";
  m_Decisions.push_back(text.str());
}

void
LungLesionImageFilter::FullResolution(const std::vector<uint8_t> & regions,
                                      const std::vector<uint8_t> & bronchogramBlocks, const BlockGrid & grid)
{
  // One voxel box per region of blocks: the margin is filled, and the regions measured, there only.
  const auto            size = this->GetInput()->GetLargestPossibleRegion().GetSize();
  std::vector<size_t>   sizes;
  const auto            component = LabelComponents(regions, grid, sizes);
  std::vector<VoxelBox> boxes(sizes.size(), VoxelBox{ { size[0], size[1], size[2] }, { 0, 0, 0 } });
  const auto &          f = grid.GetFactors();
  const auto &          blocks = grid.GetSize();
  for (size_t b = 0; b < component.size(); ++b)
  {
    if (const uint32_t c = component[b])
    {
      const size_t index[3] = { b % blocks[0], (b / blocks[0]) % blocks[1], b / (blocks[0] * blocks[1]) };
      for (size_t a = 0; a < 3; ++a)
      {
        boxes[c].Low[a] = std::min<size_t>(boxes[c].Low[a], index[a] * f[a]);
        boxes[c].High[a] = std::max<size_t>(boxes[c].High[a], std::min<size_t>(size[a], (index[a] + 1) * f[a]));
      }
    }
  }
  if (sizes.size() <= 1)
  {
    return;
  }
  PaintRegions(regions, grid);
  VoxelBox all{ { size[0], size[1], size[2] }, { 0, 0, 0 } };
  for (size_t c = 1; c < sizes.size(); ++c)
  {
    const VoxelBox window = RefillSlices(boxes[c]);
    for (size_t a = 0; a < 3; ++a)
    {
      all.Low[a] = std::min(all.Low[a], window.Low[a]);
      all.High[a] = std::max(all.High[a], window.High[a]);
    }
  }
  MeasureLesions(bronchogramBlocks, grid, all);
}

void
LungLesionImageFilter::PaintRegions(const std::vector<uint8_t> & regions, const BlockGrid & grid)
{
  const HUPixelType * hu = this->GetInput()->GetBufferPointer();
  MaskPixelType *     out = this->GetOutput()->GetBufferPointer();
  const double        threshold = m_LungThreshold;
  grid.ForEachVoxelOfBlocks(regions.data(), [&](size_t voxel, uint8_t side) {
    if (out[voxel] == 0 && double(hu[voxel]) >= threshold)
    {
      out[voxel] = static_cast<MaskPixelType>(side + 3);
    }
  });
}

LungLesionImageFilter::VoxelBox
LungLesionImageFilter::RefillSlices(const VoxelBox & lesions)
{
  MaskImageType * output = this->GetOutput();
  const auto      size = output->GetLargestPossibleRegion().GetSize();
  const auto      spacing = output->GetSpacing();
  const size_t    plane = size[0] * size[1];
  MaskPixelType * out = output->GetBufferPointer();
  // The closing reaches its radius beyond the lesions and takes back as much: a window of twice it.
  VoxelBox window = lesions;
  for (size_t a = 0; a < 2; ++a)
  {
    const auto margin = static_cast<size_t>(std::ceil(2.0 * m_FillClosingRadius / spacing[a])) + 2;
    window.Low[a] = lesions.Low[a] > margin ? lesions.Low[a] - margin : 0;
    window.High[a] = std::min<size_t>(size[a], lesions.High[a] + margin);
  }
  if (m_FillClosingRadius <= 0.0)
  {
    return window;
  }
  auto threader = itk::MultiThreaderBase::New();
  threader->SetNumberOfWorkUnits(this->GetNumberOfWorkUnits());
  threader->ParallelizeArray(
    window.Low[2],
    window.High[2],
    [&](itk::SizeValueType k) {
      for (const MaskPixelType side : { 1, 2 })
      {
        // Nothing happens in a slice without this side's lesion.
        FillAroundLesionInSlice(out + k * plane,
                                size[0],
                                window.Low[0],
                                window.High[0] - 1,
                                window.Low[1],
                                window.High[1] - 1,
                                spacing[0],
                                spacing[1],
                                side,
                                static_cast<MaskPixelType>(side + 3),
                                m_FillClosingRadius);
      }
    },
    nullptr);
  return window;
}

void
LungLesionImageFilter::MeasureLesions(const std::vector<uint8_t> & bronchogramBlocks, const BlockGrid & grid,
                                      const VoxelBox & box)
{
  MaskImageType * output = this->GetOutput();
  const auto      size = output->GetLargestPossibleRegion().GetSize();
  const auto      spacing = output->GetSpacing();
  const size_t    nx = size[0], ny = size[1], nz = size[2];
  MaskPixelType * out = output->GetBufferPointer();
  const double    voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  // Voxels already measured are marked Seen + label in the output itself, and unmarked at the end.
  constexpr MaskPixelType Seen = 100;
  std::vector<size_t>     members;
  auto                    forEachInBox = [&](auto visit) {
    for (size_t k = box.Low[2]; k < box.High[2]; ++k)
    {
      for (size_t j = box.Low[1]; j < box.High[1]; ++j)
      {
        for (size_t i = box.Low[0]; i < box.High[0]; ++i)
        {
          visit((k * ny + j) * nx + i);
        }
      }
    }
  };
  forEachInBox([&](size_t start) {
    const MaskPixelType label = out[start];
    if (label != RightLesion && label != LeftLesion)
    {
      return;
    }
    CollectRegion(out, size, start, label, Seen + label, members);
    // Crumbs (voxels of the painted blocks touching the region only at an edge) go back to background.
    if (double(members.size()) * voxelMl < 0.05 * m_MinimumVolume)
    {
      for (const size_t v : members)
      {
        out[v] = Seen; // background once unmarked
      }
      return;
    }
    LungLesion lesion;
    lesion.Side = static_cast<MaskPixelType>(label - 3);
    lesion.VolumeMl = double(members.size()) * voxelMl;
    ExtentMeter   extent;
    double        sum[3] = { 0.0, 0.0, 0.0 };
    const uint8_t lungFlag = lesion.Side == 1 ? ChestBlocks::RightLung : ChestBlocks::LeftLung;
    for (const size_t v : members)
    {
      const size_t index[3] = { v % nx, (v / nx) % ny, v / (nx * ny) };
      for (size_t a = 0; a < 3; ++a)
      {
        sum[a] += double(index[a]);
      }
      const size_t block = grid.BlockOf(index[0], index[1], index[2]);
      m_Chest->Flags[block] |= lungFlag; // later stages on the blocks see the lesion as lung
      lesion.AirBronchograms = lesion.AirBronchograms || bronchogramBlocks[block] == lesion.Side;
      // The extreme points along any direction lie on the region's boundary.
      const bool inner = index[0] > 0 && index[0] + 1 < nx && index[1] > 0 && index[1] + 1 < ny && index[2] > 0 &&
                         index[2] + 1 < nz && out[v - 1] == Seen + label && out[v + 1] == Seen + label &&
                         out[v - nx] == Seen + label && out[v + nx] == Seen + label &&
                         out[v - nx * ny] == Seen + label && out[v + nx * ny] == Seen + label;
      if (!inner)
      {
        extent.Add({ index[0] * spacing[0], index[1] * spacing[1], index[2] * spacing[2] });
      }
    }
    lesion.DiameterMm = extent.Largest();
    itk::ContinuousIndex<double, 3> centre;
    for (size_t a = 0; a < 3; ++a)
    {
      centre[a] = sum[a] / double(members.size());
      lesion.CentroidIndex[a] = centre[a];
    }
    HUImageType::PointType point;
    output->TransformContinuousIndexToPhysicalPoint(centre, point);
    lesion.CentroidLPS = { point[0], point[1], point[2] };
    (lesion.Side == 1 ? m_RightLesionMl : m_LeftLesionMl) += lesion.VolumeMl;
    m_Lesions.push_back(lesion);
  });
  forEachInBox([&](size_t v) { out[v] = out[v] >= Seen ? static_cast<MaskPixelType>(out[v] - Seen) : out[v]; });
  std::sort(m_Lesions.begin(), m_Lesions.end(), [](const LungLesion & a, const LungLesion & b) {
    return a.VolumeMl > b.VolumeMl;
  });
}

void
LungLesionImageFilter::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "LungThreshold: " << m_LungThreshold << " HU" << std::endl;
  os << indent << "GridSpacing: " << m_GridSpacing << " mm" << std::endl;
  os << indent << "Dense: " << m_DenseLower << " .. " << m_DenseUpper << " HU" << std::endl;
  os << indent << "EnvelopeRadius: " << m_EnvelopeRadius << " mm" << std::endl;
  os << indent << "EnclosureLength: " << m_EnclosureLength << " mm" << std::endl;
  os << indent << "Bronchograms: probe " << m_BronchogramProbe << " mm, tissue fraction " << m_BronchogramTissueFraction
     << ", reach " << m_BronchogramReach << " mm" << std::endl;
  os << indent << "ContralateralDepth: " << m_ContralateralDepth << " mm" << std::endl;
  os << indent << "Seeds: at least " << m_MinimumVolume << " mL, lung contact " << m_MinimumLungContact << std::endl;
  os << indent << "CoreGrowth: " << m_CoreGrowth << " mm, Completion: " << m_Completion << " mm" << std::endl;
  os << indent << "FillClosingRadius: " << m_FillClosingRadius << " mm" << std::endl;
}

} // namespace ctp
