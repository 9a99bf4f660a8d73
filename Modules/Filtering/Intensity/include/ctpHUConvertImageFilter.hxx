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
  const auto start = outputRegion.GetIndex(2);
  const auto end = start + static_cast<itk::IndexValueType>(outputRegion.GetSize(2));
  const auto rows = static_cast<itk::IndexValueType>(outputRegion.GetSize(1));
  const auto columns = outputRegion.GetSize(0);
  const auto minimum =
    static_cast<InputPixelType>(std::max<double>(m_MinimumHU, std::numeric_limits<InputPixelType>::lowest()));
  const bool exactMinimum = static_cast<double>(minimum) == m_MinimumHU;
  for (auto k = start; k < end; ++k)
  {
    const bool   hasPadding = !m_SlicePaddingHU.empty();
    const double padding = hasPadding ? m_SlicePaddingHU[static_cast<size_t>(k - firstSlice)] : 0.0;
    // Row by row on the raw buffers (in place when the types match): the compiler vectorizes this.
    auto index = outputRegion.GetIndex();
    index[2] = k;
    for (itk::IndexValueType j = 0; j < rows; ++j)
    {
      index[1] = outputRegion.GetIndex(1) + j;
      const InputPixelType * in = input->GetBufferPointer() + input->ComputeOffset(index);
      OutputPixelType *      out = output->GetBufferPointer() + output->ComputeOffset(index);
      if (!hasPadding && exactMinimum)
      {
        for (size_t i = 0; i < columns; ++i)
        {
          const InputPixelType value = in[i];
          out[i] = value < minimum ? m_PaddingReplacement : ToOutput(value, lowest, highest);
        }
      }
      else
      {
        for (size_t i = 0; i < columns; ++i)
        {
          const double value = static_cast<double>(in[i]);
          out[i] = (value < m_MinimumHU || (hasPadding && std::abs(value - padding) < 0.5))
                     ? m_PaddingReplacement
                     : ToOutput(in[i], lowest, highest);
        }
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
