#include "ctpIsotropicResampler.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"
#include "ctpHUConvertImageFilter.h"

#include "itkBSplineInterpolateImageFunction.h"
#include "itkLinearInterpolateImageFunction.h"
#include "itkNearestNeighborInterpolateImageFunction.h"
#include "itkResampleImageFilter.h"
#include "itkStreamingImageFilter.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

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
  throw Error(ErrorKind::Usage,
              SpellParameter("interpolator") + ": '" + text + "' is not one of linear, bspline, nearest");
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
      throw Error(ErrorKind::Usage,
                  SpellParameter("spacing_mm") + ": " + std::to_string(spacing[axis]) + " mm is not positive");
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

namespace
{
/** Where output sample o falls between input samples I[o] and I[o] + 1 (weight W[o] on the latter). */
struct AxisWeights
{
  std::vector<size_t> I;
  std::vector<float>  W;
  std::vector<bool>   Inside;
};

AxisWeights
Weights(size_t inputSize, size_t outputSize, double first, double step)
{
  AxisWeights a;
  a.I.resize(outputSize);
  a.W.resize(outputSize);
  a.Inside.resize(outputSize);
  for (size_t o = 0; o < outputSize; ++o)
  {
    const double c = first + double(o) * step;
    // ITK's rule: inside the image means within half a voxel of the first and last voxel centres;
    // between a centre and the outer face the edge voxel's value is used.
    a.Inside[o] = c >= -0.5 && c <= double(inputSize) - 0.5;
    const double clamped = std::clamp(c, 0.0, double(inputSize - 1));
    const size_t i = std::min(static_cast<size_t>(clamped), inputSize > 1 ? inputSize - 2 : 0);
    a.I[o] = i;
    a.W[o] = inputSize > 1 ? static_cast<float>(clamped - double(i)) : 0.f;
  }
  return a;
}

/** Trilinear interpolation as three 1D passes (x, then y, then z): the same values as ITK's linear
 *  ResampleImageFilter when the output grid keeps the input's direction, a few times faster. */
HUImageType::Pointer
ResampleLinearSeparable(const HUImageType * image, const ImageGrid & grid, HUPixelType outside)
{
  const auto   in = image->GetLargestPossibleRegion().GetSize();
  const auto & out = grid.Size;
  AxisWeights  axes[3];
  for (unsigned int a = 0; a < 3; ++a)
  {
    double projection = 0.0;
    for (unsigned int r = 0; r < 3; ++r)
    {
      projection += grid.Direction[r][a] * (grid.Origin[r] - image->GetOrigin()[r]);
    }
    axes[a] = Weights(in[a], out[a], projection / image->GetSpacing()[a], grid.Spacing[a] / image->GetSpacing()[a]);
  }
  auto                threader = itk::MultiThreaderBase::New();
  const HUPixelType * source = image->GetBufferPointer();
  // x: in[0] -> out[0] for every input row.
  std::vector<float> tx(out[0] * in[1] * in[2]);
  threader->ParallelizeArray(
    0,
    in[2],
    [&](itk::SizeValueType k) {
      for (size_t j = 0; j < in[1]; ++j)
      {
        const HUPixelType * row = source + (k * in[1] + j) * in[0];
        float *             dst = tx.data() + (k * in[1] + j) * out[0];
        for (size_t o = 0; o < out[0]; ++o)
        {
          const size_t i = axes[0].I[o];
          const float  w = axes[0].W[o];
          dst[o] = (1.f - w) * row[i] + w * row[std::min(i + 1, in[0] - 1)];
        }
      }
    },
    nullptr);
  // y: in[1] -> out[1] for every input slice.
  std::vector<float> ty(out[0] * out[1] * in[2]);
  threader->ParallelizeArray(
    0,
    in[2],
    [&](itk::SizeValueType k) {
      for (size_t o = 0; o < out[1]; ++o)
      {
        const size_t  j = axes[1].I[o];
        const float   w = axes[1].W[o];
        const float * a = tx.data() + (k * in[1] + j) * out[0];
        const float * b = tx.data() + (k * in[1] + std::min(j + 1, in[1] - 1)) * out[0];
        float *       dst = ty.data() + (k * out[1] + o) * out[0];
        for (size_t i = 0; i < out[0]; ++i)
        {
          dst[i] = (1.f - w) * a[i] + w * b[i];
        }
      }
    },
    nullptr);
  tx.clear();
  tx.shrink_to_fit();
  // z: in[2] -> out[2], rounded and clamped into HU.
  auto output = HUImageType::New();
  output->SetRegions(grid.Size);
  output->SetOrigin(grid.Origin);
  output->SetSpacing(grid.Spacing);
  output->SetDirection(grid.Direction);
  output->Allocate();
  const size_t  plane = out[0] * out[1];
  HUPixelType * target = output->GetBufferPointer();
  const bool    allInPlane = std::all_of(axes[0].Inside.begin(), axes[0].Inside.end(), [](bool b) { return b; }) &&
                          std::all_of(axes[1].Inside.begin(), axes[1].Inside.end(), [](bool b) { return b; });
  threader->ParallelizeArray(
    0,
    out[2],
    [&](itk::SizeValueType o) {
      const size_t  k = axes[2].I[o];
      const float   w = axes[2].W[o];
      const float * a = ty.data() + k * plane;
      const float * b = ty.data() + std::min(k + 1, in[2] - 1) * plane;
      HUPixelType * dst = target + o * plane;
      if (!axes[2].Inside[o])
      {
        std::fill(dst, dst + plane, outside);
        return;
      }
      for (size_t n = 0; n < plane; ++n)
      {
        // Round half away from zero with a truncating conversion: no libm call in the hottest loop.
        const float v = std::min((1.f - w) * a[n] + w * b[n], 32767.f);
        dst[n] = v < float(AirHU) ? outside : static_cast<HUPixelType>(v >= 0.f ? v + 0.5f : v - 0.5f);
      }
      if (!allInPlane)
      {
        for (size_t j = 0; j < out[1]; ++j)
        {
          for (size_t i = 0; i < out[0]; ++i)
          {
            if (!axes[0].Inside[i] || !axes[1].Inside[j])
            {
              dst[j * out[0] + i] = outside;
            }
          }
        }
      }
    },
    nullptr);
  return output;
}
} // namespace

HUImageType::Pointer
ResampleHU(const HUImageType * image, const ImageGrid & grid, Interpolator interpolator, HUPixelType outside)
{
  if (interpolator == Interpolator::Linear && grid.Direction == image->GetDirection())
  {
    return ResampleLinearSeparable(image, grid, outside);
  }
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
