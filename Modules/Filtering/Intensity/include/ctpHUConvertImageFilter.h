#ifndef ctpHUConvertImageFilter_h
#define ctpHUConvertImageFilter_h

#include "ctpImageTypes.h"

#include "itkInPlaceImageFilter.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <vector>

namespace ctp
{
/** \class HUConvertImageFilter
 * \brief Turns rescaled CT values into int16 Hounsfield units with out-of-scan padding set to air.
 *
 * The input already holds stored x RescaleSlope + RescaleIntercept of each slice: itk::GDCMImageIO
 * applies every file's own rescale while reading, so this filter never rescales again. What it does:
 * - padding: scanners fill the region outside the reconstructed field of view with a marker, given
 *   by PixelPaddingValue (stored units, so per slice it maps to padding x slope + intercept HU) or,
 *   without that tag, by stored values far below air (-2000 stored with intercept -1024). Both become
 *   `PaddingReplacement` (air, -1024 HU): left as they are, they would dominate intensity
 *   statistics, normalization and the lung mask's "outside air".
 * - anything below `MinimumHU` (-1024: nothing in a body is less dense than air) is treated as padding;
 * - values are rounded to the nearest integer and clamped to the int16 range.
 *
 * Per-slice padding values are given in HU, indexed by the slice index (the third index) relative
 * to the start of the largest possible region.
 *
 * The input may be float (any rescale) or already integer HU (DicomSliceStackSource rounds while it
 * rescales); with int16 in and out the filter can run in place (InPlaceOn()).
 *
 * \par Streaming
 * Pixel-wise: threaded over the requested output region and streamable.
 */
template <typename TInputImage, typename TOutputImage = HUImageType>
class HUConvertImageFilter : public itk::InPlaceImageFilter<TInputImage, TOutputImage>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(HUConvertImageFilter);

  using Self = HUConvertImageFilter;
  using Superclass = itk::InPlaceImageFilter<TInputImage, TOutputImage>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;
  using InputImageType = TInputImage;
  using OutputImageType = TOutputImage;
  using InputPixelType = typename TInputImage::PixelType;
  using OutputPixelType = typename TOutputImage::PixelType;
  using OutputImageRegionType = typename TOutputImage::RegionType;

  itkNewMacro(Self);
  itkTypeMacro(HUConvertImageFilter, InPlaceImageFilter);

  /** Values below this (HU) are padding; default -1024. */
  itkSetMacro(MinimumHU, double);
  itkGetConstMacro(MinimumHU, double);
  /** What padding becomes; default -1024 HU (air). */
  itkSetMacro(PaddingReplacement, OutputPixelType);
  itkGetConstMacro(PaddingReplacement, OutputPixelType);

  /** PixelPaddingValue of each slice, already mapped to HU; empty when the files have none. */
  void
  SetSlicePaddingHU(const std::vector<double> & values)
  {
    if (values != m_SlicePaddingHU)
    {
      m_SlicePaddingHU = values;
      this->Modified();
    }
  }
  const std::vector<double> &
  GetSlicePaddingHU() const
  {
    return m_SlicePaddingHU;
  }

protected:
  HUConvertImageFilter();
  ~HUConvertImageFilter() override = default;

  void
  BeforeThreadedGenerateData() override;
  void
  DynamicThreadedGenerateData(const OutputImageRegionType & outputRegion) override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  double m_MinimumHU{ -1024.0 };
  /** Nearest integer, clamped to the output type (integers of the output type pass unchanged). */
  static OutputPixelType
  ToOutput(InputPixelType value, double lowest, double highest)
  {
    if constexpr (std::is_same_v<InputPixelType, OutputPixelType> && std::is_integral_v<InputPixelType>)
    {
      return value;
    }
    else if constexpr (std::is_integral_v<InputPixelType>)
    {
      return static_cast<OutputPixelType>(std::clamp<double>(value, lowest, highest));
    }
    else
    {
      return static_cast<OutputPixelType>(
        std::clamp<double>(std::nearbyint(static_cast<double>(value)), lowest, highest));
    }
  }

  OutputPixelType     m_PaddingReplacement{ static_cast<OutputPixelType>(AirHU) };
  std::vector<double> m_SlicePaddingHU;
};

} // namespace ctp

#ifndef ITK_MANUAL_INSTANTIATION
#  include "ctpHUConvertImageFilter.hxx"
#endif

#endif
