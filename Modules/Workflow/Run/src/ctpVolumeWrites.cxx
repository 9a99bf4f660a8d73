#include "ctpVolumeWrites.h"
#include "ctpNpyWriter.h"
#include "ctpVolumeWriter.h"

#include "itkMultiThreaderBase.h"

#include <cmath>

namespace ctp
{
void
VolumeWrites::Start(const HUImageType * hu, const MaskImageType * keep)
{
  // The writer works on its own image objects sharing the pixels: ITK keeps pipeline state
  // (requested regions) in the image, and the lung mask may read hu at the same time.
  m_HU = HUImageType::New();
  m_HU->Graft(hu);
  m_HU->SetMetaDataDictionary(hu->GetMetaDataDictionary());
  // Every filter of the streamed pipeline is held here: ITK's images hold their source filter weakly.
  auto & normalize = m_Normalize;
  normalize = NormalizeImageFilter<HUImageType, FloatImageType>::New();
  if (keep != nullptr)
  {
    auto keepView = MaskImageType::New();
    keepView->Graft(keep);
    m_Masked = itk::MaskImageFilter<HUImageType, MaskImageType, HUImageType>::New();
    m_Masked->SetInput(m_HU);
    m_Masked->SetMaskImage(keepView);
    m_Masked->SetOutsideValue(static_cast<HUPixelType>(std::lround(m_Options.MaskPadHU)));
    normalize->SetInput(m_Masked->GetOutput());
  }
  else
  {
    normalize->SetInput(m_HU);
  }
  normalize->SetBounds(m_Options.NormalizeLower, m_Options.NormalizeUpper);
  m_Center = ZeroCenterImageFilter<FloatImageType>::New();
  m_Center->SetInput(normalize->GetOutput());
  m_Center->SetMean(m_Options.Mean);
  m_Center->InPlaceOn();
  const bool concurrent = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1;
  m_Written = std::async(concurrent ? std::launch::async : std::launch::deferred, [this]() {
    for (const auto & format : m_Options.VolumeFormats)
    {
      WriteVolume(m_HU.GetPointer(), (m_Out / ("hu." + format)).string(), m_WriteOptions);
    }
    WriteNpyStreamed(m_Center.GetPointer(), (m_Out / "input.npy").string());
  });
  if (!concurrent)
  {
    m_Written.wait(); // runs the deferred writes now; Finish() still reports their errors
  }
}

} // namespace ctp
