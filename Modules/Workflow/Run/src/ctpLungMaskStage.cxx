#include "ctpLungCrop.h"
#include "ctpLungMaskImageFilter.h"
#include "ctpRunStages.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace ctp
{
namespace
{
LungMaskImageFilter::Pointer
LungMaskFor(const HUImageType * hu, const RunOptions & options)
{
  auto lungMask = LungMaskImageFilter::New();
  lungMask->SetInput(hu);
  lungMask->SetLungThreshold(options.LungThreshold);
  lungMask->SetFill(options.Fill);
  lungMask->SetFillClosingRadius(options.FillClosingMm);
  lungMask->SetDilationRadius(options.DilateMm);
  lungMask->SetFallbackClosingRadius(options.FallbackClosingMm);
  lungMask->SetComputeBodyMask(options.Mesh);
  lungMask->SetCaptureLesions(options.Lesions);
  lungMask->SetLesionEnvelopeRadius(options.LesionEnvelopeMm);
  lungMask->SetLesionEnclosureLength(options.LesionEnclosureMm);
  lungMask->SetLesionBronchogramReach(options.LesionBronchogramMm);
  lungMask->SetLesionContralateralDepth(options.LesionContralateralMm);
  lungMask->SetLesionMinimumVolume(options.LesionMinimumMl);
  lungMask->SetLesionGrowth(options.LesionGrowthMm);
  lungMask->SetLesionCompletion(options.LesionCompletionMm);
  lungMask->SetLabelEffusion(options.LabelEffusion);
  lungMask->SetEffusionLower(options.EffusionLowerHU);
  lungMask->SetEffusionUpper(options.EffusionUpperHU);
  return lungMask;
}

LungsRecord
LungsOf(const LungMaskImageFilter & lungMask, bool labelEffusion)
{
  LungsRecord lungs;
  lungs.RightAeratedMl = lungMask.GetRightVolumeMl();
  lungs.LeftAeratedMl = lungMask.GetLeftVolumeMl();
  lungs.RightDenseMl = lungMask.GetRightLesionMl();
  lungs.LeftDenseMl = lungMask.GetLeftLesionMl();
  lungs.AirwaysMl = lungMask.GetAirwayVolumeMl();
  for (const auto & lesion : lungMask.GetLesions())
  {
    lungs.DenseRegions.push_back(
      { lesion.Side == 1 ? 4 : 5, lesion.AirBronchograms, lesion.VolumeMl, lesion.CentroidLPS, lesion.DiameterMm });
  }
  lungs.RightEffusionMl = lungMask.GetRightEffusionMl();
  lungs.LeftEffusionMl = lungMask.GetLeftEffusionMl();
  lungs.EffusionLabelled = labelEffusion;
  lungs.Plausible = lungMask.GetPlausible();
  lungs.FallbackUsed = lungMask.GetUsedFallback();
  return lungs;
}

} // namespace

/** Mean of input.npy before zero-centering when voxels where `keep` is 0 take the pad HU. */
double
MaskedNormalizedMean(const HUImageType * hu, const MaskImageType * keep, const RunOptions & options)
{
  const size_t          n = hu->GetBufferedRegion().GetNumberOfPixels();
  const HUPixelType *   h = hu->GetBufferPointer();
  const MaskPixelType * k = keep->GetBufferPointer();
  const double          pad = Normalized(std::lround(options.MaskPadHU), options);
  const unsigned int    parts = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  std::vector<double>   sums(parts, 0.0);
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    parts,
    [&](itk::SizeValueType part) {
      double sum = 0.0;
      for (size_t v = n * part / parts; v < n * (part + 1) / parts; ++v)
      {
        sum += k[v] ? Normalized(h[v], options) : pad;
      }
      sums[part] = sum;
    },
    nullptr);
  return n ? std::accumulate(sums.begin(), sums.end(), 0.0) / double(n) : 0.0;
}
double
Normalized(double hu, const RunOptions & options)
{
  return std::clamp((hu - options.NormalizeLower) / (options.NormalizeUpper - options.NormalizeLower), 0.0, 1.0);
}

LungMaskStageOutput
LungMaskStage(const HUImageType * hu, const RunOptions & options, RunRecord & record)
{
  auto lungMask = LungMaskFor(hu, options);
  lungMask->Update();
  record.Take(lungMask->GetDecisions(), lungMask->GetWarnings());
  record.Lungs = LungsOf(*lungMask, options.LabelEffusion);
  LungMaskStageOutput output;
  output.Mask = lungMask->GetOutput();
  output.Mask->DisconnectPipeline();
  output.BodyMask = lungMask->GetBodyMask();
  if (!lungMask->GetLesions().empty())
  {
    output.LargestLesionLPS = lungMask->GetLesions().front().CentroidLPS;
  }
  record.EndStage("lung_mask");
  return output;
}

NetworkVolumes
CropAndMaskStage(const HUImageType::Pointer & hu, const MaskImageType::Pointer & mask, const RunOptions & options,
                 RunRecord & record)
{
  NetworkVolumes volumes{ hu, mask, nullptr };
  if (options.CropToLungsMm)
  {
    const auto region = LungBoundingRegion(mask, *options.CropToLungsMm, options.Input);
    volumes.HU = CropToRegion(hu.GetPointer(), region);
    volumes.Mask = CropToRegion(mask.GetPointer(), region);
    CropRecord crop;
    crop.MarginMm = *options.CropToLungsMm;
    const auto size = hu->GetLargestPossibleRegion().GetSize();
    for (unsigned int a = 0; a < 3; ++a)
    {
      crop.IndexOffset[a] = region.GetIndex(a);
      crop.Size[a] = region.GetSize(a);
      crop.UncroppedSize[a] = size[a];
    }
    record.Crop = crop;
    std::ostringstream text;
    text << "cropped to the lungs' box grown by " << *options.CropToLungsMm << " mm: " << region.GetSize(0) << " x "
         << region.GetSize(1) << " x " << region.GetSize(2) << " voxels from index (" << region.GetIndex(0) << ", "
         << region.GetIndex(1) << ", " << region.GetIndex(2) << ")";
    record.Decide(text.str());
  }
  if (options.MaskInputMm)
  {
    volumes.Keep = DilatedLungs(volumes.Mask, *options.MaskInputMm);
    record.InputNpy.MaskMarginMm = *options.MaskInputMm;
    record.InputNpy.MaskPadHU = std::lround(options.MaskPadHU);
    record.InputNpy.MaskPadValue = Normalized(std::lround(options.MaskPadHU), options) - options.Mean;
  }
  return volumes;
}

} // namespace ctp
