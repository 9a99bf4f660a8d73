#include "ctpIsotropicResampler.h"
#include "ctpError.h"
#include "ctpHUConvertImageFilter.h"

#include "itkBSplineInterpolateImageFunction.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkStreamingImageFilter.h"

#include <cmath>

namespace ctp
{
Interpolator
ParseInterpolator(const std::string & text)
{
  if (text == "linear")
  {
    return Interpolator::Linear;
  }
  if (text == "bspline")
  {
    return Interpolator::BSpline;
  }
  if (text == "nearest")
  {
    return Interpolator::Nearest;
  }
  throw Error(ErrorKind::Usage, "--interpolator: '" + text + "' is not one of linear, bspline, nearest");
}

const char *
InterpolatorName(Interpolator interpolator)
{
  switch (interpolator)
  {
    case Interpolator::Linear:
      return "linear";
    case Interpolator::BSpline:
      return "bspline";
    case Interpolator::Nearest:
      return "nearest";
  }
  return "?";
}

ImageGrid
PlanResampleGrid(const HUImageType * image, const std::array<double, 3> & spacing)
{
  ImageGrid  grid;
  const auto size = image->GetLargestPossibleRegion().GetSize();
  const auto oldSpacing = image->GetSpacing();
  grid.Direction = image->GetDirection();
  HUImageType::PointType origin = image->GetOrigin();
  for (unsigned int axis = 0; axis < 3; ++axis)
  {
    if (!(spacing[axis] > 0.0))
    {
      throw Error(ErrorKind::Usage, "--spacing: " + std::to_string(spacing[axis]) + " mm is not positive");
    }
    const double extent = double(size[axis]) * oldSpacing[axis];
    grid.Size[axis] =
      std::max<itk::SizeValueType>(1, static_cast<itk::SizeValueType>(std::llround(extent / spacing[axis])));
    grid.Spacing[axis] = extent / double(grid.Size[axis]);
    // First voxel centre half a new voxel inside the old first voxel's outer face.
    const double shift = 0.5 * (grid.Spacing[axis] - oldSpacing[axis]);
    for (unsigned int r = 0; r < 3; ++r)
    {
      origin[r] += grid.Direction[r][axis] * shift;
    }
  }
  grid.Origin = origin;
  return grid;
}

HUImageType::Pointer
ResampleHU(const HUImageType * image, const ImageGrid & grid, Interpolator interpolator, HUPixelType outside)
{
  using ResampleType = itk::ResampleImageFilter<HUImageType, FloatImageType, double>;
  auto resample = ResampleType::New();
  resample->SetInput(image);
  resample->SetOutputOrigin(grid.Origin);
  resample->SetOutputSpacing(grid.Spacing);
  resample->SetOutputDirection(grid.Direction);
  resample->SetSize(grid.Size);
  resample->SetDefaultPixelValue(static_cast<float>(outside));
  unsigned int pieces = 8;
  switch (interpolator)
  {
    case Interpolator::Linear:
      resample->SetInterpolator(itk::LinearInterpolateImageFunction<HUImageType, double>::New());
      break;
    case Interpolator::Nearest:
      resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<HUImageType, double>::New());
      break;
    case Interpolator::BSpline: {
      auto bspline = itk::BSplineInterpolateImageFunction<HUImageType, double, double>::New();
      bspline->SetSplineOrder(3);
      resample->SetInterpolator(bspline);
      pieces = 1; // the coefficients are computed for the whole input at every piece
      break;
    }
  }
  auto convert = HUConvertImageFilter<FloatImageType, HUImageType>::New();
  convert->SetInput(resample->GetOutput());
  convert->SetPaddingReplacement(outside);
  auto streamer = itk::StreamingImageFilter<HUImageType, HUImageType>::New();
  streamer->SetInput(convert->GetOutput());
  streamer->SetNumberOfStreamDivisions(pieces);
  streamer->Update();
  HUImageType::Pointer output = streamer->GetOutput();
  output->DisconnectPipeline();
  return output;
}

MaskImageType::Pointer
ResampleLabels(const MaskImageType * labels, const ImageGrid & grid)
{
  auto resample = itk::ResampleImageFilter<MaskImageType, MaskImageType, double>::New();
  resample->SetInput(labels);
  resample->SetOutputOrigin(grid.Origin);
  resample->SetOutputSpacing(grid.Spacing);
  resample->SetOutputDirection(grid.Direction);
  resample->SetSize(grid.Size);
  resample->SetDefaultPixelValue(0);
  resample->SetInterpolator(itk::NearestNeighborInterpolateImageFunction<MaskImageType, double>::New());
  resample->Update();
  MaskImageType::Pointer output = resample->GetOutput();
  output->DisconnectPipeline();
  return output;
}

} // namespace ctp
