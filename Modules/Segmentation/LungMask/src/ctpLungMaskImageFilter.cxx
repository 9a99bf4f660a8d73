#include "ctpLungMaskImageFilter.h"
#include "ctpAirwayTracking.h"
#include "ctpLungLesionImageFilter.h"
#include "ctpLungMaskSteps.h"
#include "ctpPleuralEffusion.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <memory>
#include <optional>
#include <sstream>

namespace ctp
{
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
  const HUImageType *       input = this->GetInput();
  MaskPixelType *           out = this->GetOutput()->GetBufferPointer();
  const lungmask::VoxelGrid grid(input);
  std::fill(out, out + grid.Count, Background);
  auto threader = itk::MultiThreaderBase::New();
  threader->SetNumberOfWorkUnits(this->GetNumberOfWorkUnits());

  // 1-2. Air, and outside air per slice (connected to the slice edge).
  std::vector<uint8_t> state = lungmask::ClassifyAir(input, grid, m_LungThreshold, tissueClosingRadius, threader);
  if (m_ComputeBodyMask)
  {
    m_BodyMask = lungmask::BodyMask(input, grid, state);
  }

  // 3. Trachea and main bronchi, followed down from the most superior slices.
  std::optional<double> tracheaX; // the body's midline
  if (m_LabelAirways)
  {
    tracheaX = lungmask::LabelAirway(grid, state, out);
  }

  // 4. 3D components of the remaining internal air (6-connected); the lungs are the largest.
  {
    const std::vector<lungmask::AirComponent> components = lungmask::AirComponents(grid, state);
    if (!lungmask::LabelLungs(grid, components, tracheaX, m_MinimumSecondFraction, out))
    {
      reason = "no air inside the body below " + std::to_string(int(m_LungThreshold)) + " HU";
      m_RightVolumeMl = m_LeftVolumeMl = 0.0;
      return false;
    }
  }
  state.clear();
  state.shrink_to_fit();

  // 5. Fill: per slice and per lung, closing and hole filling.
  if (m_Fill)
  {
    lungmask::FillLungs(grid, m_FillClosingRadius, threader, out);
  }

  // 6. Optional dilation of each lung, in 3D.
  if (m_DilationRadius > 0.0)
  {
    lungmask::DilateLungs(grid, m_DilationRadius, out);
  }

  // 7. Volumes and plausibility.
  const double               voxelMl = grid.Spacing[0] * grid.Spacing[1] * grid.Spacing[2] / 1000.0;
  const lungmask::LungVoxels voxels = lungmask::CountLungVoxels(grid, out);
  m_RightVolumeMl = double(voxels.Right) * voxelMl;
  m_LeftVolumeMl = double(voxels.Left) * voxelMl;
  m_AirwayVolumeMl = double(voxels.Airway) * voxelMl;
  reason = lungmask::Implausibility(m_RightVolumeMl, m_LeftVolumeMl, m_MinimumVolumeLitres, m_MaximumVolumeLitres);
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
