#ifndef ctpHUConvertImageFilter_hxx
#define ctpHUConvertImageFilter_hxx

#include "ctpHUConvertImageFilter.h"

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIterator.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ctp
{
template <typename TInputImage, typename TOutputImage>
HUConvertImageFilter<TInputImage, TOutputImage>::HUConvertImageFilter()
{
  this->DynamicMultiThreadingOn();
}

template <typename TInputImage, typename TOutputImage>
void
HUConvertImageFilter<TInputImage, TOutputImage>::BeforeThreadedGenerateData()
{
  const auto slices = this->GetInput()->GetLargestPossibleRegion().GetSize(2);
  if (!m_SlicePaddingHU.empty() && m_SlicePaddingHU.size() != slices)
  {
    itkExceptionMacro(<< "SlicePaddingHU has " << m_SlicePaddingHU.size() << " values for " << slices << " slices");
  }
}

template <typename TInputImage, typename TOutputImage>
void
HUConvertImageFilter<TInputImage, TOutputImage>::DynamicThreadedGenerateData(const OutputImageRegionType & outputRegion)
{
  constexpr double lowest = std::numeric_limits<OutputPixelType>::lowest();
  constexpr double highest = std::numeric_limits<OutputPixelType>::max();
  const auto       firstSlice = this->GetInput()->GetLargestPossibleRegion().GetIndex(2);
  const auto *     input = this->GetInput();
  auto *           output = this->GetOutput();

  // One slice at a time: the padding value is constant within a slice.
  OutputImageRegionType slice = outputRegion;
  slice.SetSize(2, 1);
  const auto start = outputRegion.GetIndex(2);
  const auto end = start + static_cast<itk::IndexValueType>(outputRegion.GetSize(2));
  for (auto k = start; k < end; ++k)
  {
    slice.SetIndex(2, k);
    const bool   hasPadding = !m_SlicePaddingHU.empty();
    const double padding = hasPadding ? m_SlicePaddingHU[static_cast<size_t>(k - firstSlice)] : 0.0;
    itk::ImageRegionConstIterator<TInputImage> in(input, slice);
    itk::ImageRegionIterator<TOutputImage>     out(output, slice);
    for (; !in.IsAtEnd(); ++in, ++out)
    {
      const double value = static_cast<double>(in.Get());
      if (value < m_MinimumHU || (hasPadding && std::abs(value - padding) < 0.5))
      {
        out.Set(m_PaddingReplacement);
      }
      else
      {
        out.Set(static_cast<OutputPixelType>(std::clamp(std::nearbyint(value), lowest, highest)));
      }
    }
  }
}

template <typename TInputImage, typename TOutputImage>
void
HUConvertImageFilter<TInputImage, TOutputImage>::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "MinimumHU: " << m_MinimumHU << std::endl;
  os << indent << "PaddingReplacement: " << static_cast<double>(m_PaddingReplacement) << std::endl;
  os << indent << "SlicePaddingHU: " << m_SlicePaddingHU.size() << " values" << std::endl;
}

} // namespace ctp

#endif
