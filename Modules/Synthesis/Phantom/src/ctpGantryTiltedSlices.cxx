#include "ctpGantryTiltedSlices.h"
#include "ctpChestPhantom.h"
#include "ctpError.h"

#include "itkLinearInterpolateImageFunction.h"
#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ctp
{
namespace
{
constexpr double Pi = 3.14159265358979323846;
}

unsigned int
ExtraSlicesForGantryTilt(unsigned int matrix, double pixelSpacing, double sliceSpacing, double tiltDegrees)
{
  // A tilted slice reaches (half its height) x sin(tilt) above and below its table position; one
  // slice more for the trilinear neighbours.
  const double reach = 0.5 * (matrix - 1) * pixelSpacing * std::abs(std::sin(tiltDegrees * Pi / 180.0));
  return static_cast<unsigned int>(std::ceil(reach / sliceSpacing)) + 1;
}

HUImageType::Pointer
SampleGantryTiltedSlices(const HUImageType * volume, const HUImageType * grid, double tiltDegrees)
{
  if (!(std::abs(tiltDegrees) < 45.0))
  {
    throw Error(ErrorKind::Usage, "gantry tilt of " + std::to_string(tiltDegrees) + " degrees: must be below 45");
  }
  const auto   region = grid->GetLargestPossibleRegion();
  const auto   size = region.GetSize();
  const auto   spacing = grid->GetSpacing();
  const auto & d = grid->GetDirection();
  const double c = std::cos(tiltDegrees * Pi / 180.0);
  const double s = std::sin(tiltDegrees * Pi / 180.0);

  // The column axis rotated about the patient's x axis; row and table axes unchanged.
  HUImageType::DirectionType tilted = d;
  tilted[1][1] = c * d[1][1] - s * d[2][1];
  tilted[2][1] = s * d[1][1] + c * d[2][1];
  // Origin: pixel (0, 0) of the first tilted slice, which turns about the centre of its grid slice.
  HUImageType::PointType first;
  grid->TransformIndexToPhysicalPoint(region.GetIndex(), first);
  const double           halfColumn = 0.5 * double(size[1] - 1) * spacing[1];
  HUImageType::PointType origin;
  for (unsigned int r = 0; r < 3; ++r)
  {
    origin[r] = first[r] + halfColumn * (d[r][1] - tilted[r][1]);
  }

  auto output = HUImageType::New();
  output->SetRegions(HUImageType::RegionType(size));
  output->SetSpacing(spacing);
  output->SetOrigin(origin);
  output->SetDirection(tilted);
  output->Allocate();

  auto interpolator = itk::LinearInterpolateImageFunction<HUImageType, double>::New();
  interpolator->SetInputImage(volume);
  const double  radius = 0.5 * std::min(size[0] * spacing[0], size[1] * spacing[1]);
  const double  ci = 0.5 * double(size[0] - 1);
  const double  cj = 0.5 * double(size[1] - 1);
  HUPixelType * buffer = output->GetBufferPointer();
  auto          work = [&](itk::SizeValueType k) {
    HUPixelType * out = buffer + k * size[0] * size[1];
    for (itk::SizeValueType j = 0; j < size[1]; ++j)
    {
      for (itk::SizeValueType i = 0; i < size[0]; ++i, ++out)
      {
        const double di = (double(i) - ci) * spacing[0];
        const double dj = (double(j) - cj) * spacing[1];
        double       value = ChestPhantomTissues::OutOfScan;
        if (di * di + dj * dj <= radius * radius)
        {
          HUImageType::IndexType index{ { static_cast<itk::IndexValueType>(i),
                                          static_cast<itk::IndexValueType>(j),
                                          static_cast<itk::IndexValueType>(k) } };
          HUImageType::PointType point;
          output->TransformIndexToPhysicalPoint(index, point);
          itk::ContinuousIndex<double, 3> at;
          volume->TransformPhysicalPointToContinuousIndex(point, at);
          if (interpolator->IsInsideBuffer(at))
          {
            value = interpolator->EvaluateAtContinuousIndex(at);
          }
        }
        *out = static_cast<HUPixelType>(std::clamp(std::round(value),
                                                   double(std::numeric_limits<HUPixelType>::min()),
                                                   double(std::numeric_limits<HUPixelType>::max())));
      }
    }
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, size[2], work, nullptr);
  return output;
}

} // namespace ctp
