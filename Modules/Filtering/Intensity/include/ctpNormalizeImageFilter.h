#ifndef ctpNormalizeImageFilter_h
#define ctpNormalizeImageFilter_h

#include "ctpImageTypes.h"

#include "itkUnaryFunctorImageFilter.h"

#include <algorithm>

namespace ctp
{
namespace Functor
{
/** (v - lower) / (upper - lower), clipped to [0, 1]. */
template <typename TInput, typename TOutput>
class NormalizeHU
{
public:
  double Lower{ -1000.0 };
  double Upper{ 400.0 };
  double Scale{ 1.0 / 1400.0 }; ///< 1 / (Upper - Lower), kept with them by SetBounds

  bool
  operator==(const NormalizeHU & other) const
  {
    return Lower == other.Lower && Upper == other.Upper;
  }
  bool
  operator!=(const NormalizeHU & other) const
  {
    return !(*this == other);
  }
  TOutput
  operator()(const TInput & value) const
  {
    return static_cast<TOutput>(std::clamp((static_cast<double>(value) - Lower) * Scale, 0.0, 1.0));
  }
};
} // namespace Functor

/** \class NormalizeImageFilter
 * \brief Maps Hounsfield units to [0, 1]: Lower (-1000, air) to 0, Upper (400, bone) to 1, clipped.
 *
 * The classic lung-CT recipe's normalization: the HU range that matters for lung nodules, with
 * everything denser than bone and less dense than air clipped, so one network input scale serves
 * every scanner. Bounds are fixed parameters, never taken from the image.
 *
 * \par Streaming
 * Pixel-wise functor filter: threaded and streamable.
 */
template <typename TInputImage = HUImageType, typename TOutputImage = FloatImageType>
class NormalizeImageFilter
  : public itk::UnaryFunctorImageFilter<
      TInputImage, TOutputImage,
      Functor::NormalizeHU<typename TInputImage::PixelType, typename TOutputImage::PixelType>>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(NormalizeImageFilter);

  using Self = NormalizeImageFilter;
  using FunctorType = Functor::NormalizeHU<typename TInputImage::PixelType, typename TOutputImage::PixelType>;
  using Superclass = itk::UnaryFunctorImageFilter<TInputImage, TOutputImage, FunctorType>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(NormalizeImageFilter, UnaryFunctorImageFilter);

  /** HU that maps to 0 and to 1. Throws when lower >= upper. */
  void
  SetBounds(double lower, double upper)
  {
    if (!(lower < upper))
    {
      itkExceptionMacro(<< "lower bound " << lower << " must be below upper bound " << upper);
    }
    if (lower != this->GetFunctor().Lower || upper != this->GetFunctor().Upper)
    {
      this->GetFunctor().Lower = lower;
      this->GetFunctor().Upper = upper;
      this->GetFunctor().Scale = 1.0 / (upper - lower);
      this->Modified();
    }
  }
  double
  GetLower() const
  {
    return this->GetFunctor().Lower;
  }
  double
  GetUpper() const
  {
    return this->GetFunctor().Upper;
  }

protected:
  NormalizeImageFilter() = default;
  ~NormalizeImageFilter() override = default;

  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override
  {
    Superclass::PrintSelf(os, indent);
    os << indent << "Lower: " << GetLower() << " HU" << std::endl;
    os << indent << "Upper: " << GetUpper() << " HU" << std::endl;
  }
};

} // namespace ctp

#endif
