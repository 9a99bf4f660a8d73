#include "ctpSliceGeometry.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <sstream>

namespace ctp
{
namespace
{
std::string
Millimetres(double value)
{
  std::ostringstream text;
  text.precision(4);
  text << value << " mm";
  return text.str();
}
} // namespace

double
AngleDegrees(const Vector3 & a, const Vector3 & b)
{
  const double na = std::sqrt(Dot(a, a));
  const double nb = std::sqrt(Dot(b, b));
  if (na == 0.0 || nb == 0.0)
  {
    return 0.0;
  }
  return std::acos(std::clamp(Dot(a, b) / (na * nb), -1.0, 1.0)) * 180.0 / M_PI;
}

bool
SliceGeometry::IsAxial() const
{
  return std::abs(Normal[2]) >= std::max(std::abs(Normal[0]), std::abs(Normal[1]));
}

std::string
SliceGeometry::DescribeSpacing() const
{
  std::ostringstream text;
  text << NormalPositions.size() << " slices";
  if (NormalPositions.size() < 2)
  {
    return text.str();
  }
  if (Uniform())
  {
    text << ", " << Millimetres(MedianStep) << " apart along the normal";
  }
  else
  {
    text << ", steps " << Millimetres(MinStep) << " .. " << Millimetres(MaxStep) << " along the normal (median "
         << Millimetres(MedianStep) << ")";
    if (MissingSlices > 0)
    {
      text << ", " << MissingSlices << " missing slice(s)";
    }
    if (UnevenSteps > 0)
    {
      text << ", " << UnevenSteps << " uneven step(s)";
    }
    if (DuplicatePositions > 0)
    {
      text << ", " << DuplicatePositions << " duplicate position(s)";
    }
  }
  if (Tilted)
  {
    text.precision(3);
    text << ", gantry tilt " << TiltDegrees << " degrees";
  }
  return text.str();
}

SliceGeometry
AnalyzeSliceGeometry(std::vector<DicomFileInfo> & files, const SliceGeometryTolerances & tolerances)
{
  SliceGeometry g;
  if (files.empty())
  {
    return g;
  }
  const auto & iop = files.front().ImageOrientationPatient;
  g.Row = Normalized({ iop[0], iop[1], iop[2] });
  g.Column = Normalized({ iop[3], iop[4], iop[5] });
  g.Normal = Normalized(Cross(g.Row, g.Column));
  g.InPlaneSpacing = { files.front().PixelSpacing[1], files.front().PixelSpacing[0] };
  g.Columns = files.front().Columns;
  g.Rows = files.front().Rows;
  g.NominalSliceThickness = files.front().SliceThickness;

  auto along = [&](const DicomFileInfo & f) {
    return Dot({ f.ImagePositionPatient[0], f.ImagePositionPatient[1], f.ImagePositionPatient[2] }, g.Normal);
  };
  std::stable_sort(
    files.begin(), files.end(), [&](const DicomFileInfo & a, const DicomFileInfo & b) { return along(a) < along(b); });
  for (const auto & f : files)
  {
    g.Positions.push_back({ f.ImagePositionPatient[0], f.ImagePositionPatient[1], f.ImagePositionPatient[2] });
    g.NormalPositions.push_back(along(f));
  }
  if (files.size() < 2)
  {
    return g;
  }

  std::vector<double> steps(g.NormalPositions.size() - 1);
  for (size_t i = 0; i + 1 < g.NormalPositions.size(); ++i)
  {
    steps[i] = g.NormalPositions[i + 1] - g.NormalPositions[i];
  }
  std::vector<double> positive;
  std::copy_if(
    steps.begin(), steps.end(), std::back_inserter(positive), [&](double s) { return s > tolerances.AbsoluteStepMm; });
  g.MinStep = *std::min_element(steps.begin(), steps.end());
  g.MaxStep = *std::max_element(steps.begin(), steps.end());
  if (!positive.empty())
  {
    std::nth_element(positive.begin(), positive.begin() + positive.size() / 2, positive.end());
    g.MedianStep = positive[positive.size() / 2];
  }
  const double tolerance = std::max(tolerances.RelativeStep * g.MedianStep, tolerances.AbsoluteStepMm);
  for (const double step : steps)
  {
    if (step <= tolerances.AbsoluteStepMm)
    {
      ++g.DuplicatePositions;
      continue;
    }
    if (std::abs(step - g.MedianStep) <= tolerance)
    {
      continue;
    }
    const double multiple = std::round(step / g.MedianStep);
    if (multiple >= 2.0 && std::abs(step - multiple * g.MedianStep) <= tolerance * multiple)
    {
      g.MissingSlices += static_cast<size_t>(multiple) - 1;
    }
    else
    {
      ++g.UnevenSteps;
    }
  }
  const Vector3 stack{ g.Positions.back()[0] - g.Positions.front()[0],
                       g.Positions.back()[1] - g.Positions.front()[1],
                       g.Positions.back()[2] - g.Positions.front()[2] };
  g.TiltDegrees = AngleDegrees(stack, g.Normal);
  g.Tilted = g.TiltDegrees > tolerances.TiltDegrees;
  return g;
}

} // namespace ctp
