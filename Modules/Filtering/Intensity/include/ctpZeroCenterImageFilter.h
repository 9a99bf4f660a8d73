#ifndef ctpZeroCenterImageFilter_h
#define ctpZeroCenterImageFilter_h

#include "ctpImageTypes.h"

#include "itkUnaryFunctorImageFilter.h"

namespace ctp
{
namespace Functor
{
/** v - mean. */
template <typename TInput, typename TOutput>
class SubtractMean
{
public:
  double Mean{ 0.25 };

  bool
  operator==(const SubtractMean & other) const
  {
    return Mean == other.Mean;
  }
  bool
  operator!=(const SubtractMean & other) const
  {
    return !(*this == other);
  }
  TOutput
  operator()(const TInput & value) const
  {
    return static_cast<TOutput>(static_cast<double>(value) - Mean);
  }
};
} // namespace Functor

/** \class ZeroCenterImageFilter
 * \brief Subtracts a fixed dataset mean (0.25 by default, LUNA16's mean normalized pixel).
 *
 * Zero-centering must use one mean for the whole dataset, computed once over the training cohort
 * (`ctprep batch --compute-mean`), never the mean of each image: a per-image mean would shift every
 * scan differently and erase real differences in density between patients.
 *
 * \par Streaming
 * Pixel-wise functor filter: threaded, streamable, and can run in place.
 */
template <typename TInputImage = FloatImageType, typename TOutputImage = TInputImage>
class ZeroCenterImageFilter
  : public itk::UnaryFunctorImageFilter<
      TInputImage, TOutputImage,
      Functor::SubtractMean<typename TInputImage::PixelType, typename TOutputImage::PixelType>>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(ZeroCenterImageFilter);

  using Self = ZeroCenterImageFilter;
  using FunctorType = Functor::SubtractMean<typename TInputImage::PixelType, typename TOutputImage::PixelType>;
  using Superclass = itk::UnaryFunctorImageFilter<TInputImage, TOutputImage, FunctorType>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(ZeroCenterImageFilter, UnaryFunctorImageFilter);

  void
  SetMean(double mean)
  {
    if (mean != this->GetFunctor().Mean)
    {
      this->GetFunctor().Mean = mean;
      this->Modified();
    }
  }
  double
  GetMean() const
  {
    return this->GetFunctor().Mean;
  }

protected:
  ZeroCenterImageFilter() = default;
  ~ZeroCenterImageFilter() override = default;

  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override
  {
    Superclass::PrintSelf(os, indent);
    os << indent << "Mean: " << GetMean() << std::endl;
  }
};

} // namespace ctp

#endif
