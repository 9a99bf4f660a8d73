#include "ctpHounsfieldGuard.h"
#include "ctpHistogramPercentile.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <numeric>
#include <sstream>
#include <vector>

namespace ctp
{

IntensitySummary
SummarizeIntensities(const HUImageType * image)
{
  // Every 8th voxel: the units show in any large sample of a CT volume, and reading is not slowed.
  constexpr size_t                 Stride = 8;
  const size_t                     n = image->GetBufferedRegion().GetNumberOfPixels();
  const HUPixelType *              hu = image->GetBufferPointer();
  const unsigned int               parts = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  std::vector<std::vector<size_t>> partial(parts, std::vector<size_t>(65536, 0));
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    parts,
    [&](itk::SizeValueType part) {
      auto & histogram = partial[part];
      for (size_t v = (n * part / parts + Stride - 1) / Stride * Stride; v < n * (part + 1) / parts; v += Stride)
      {
        ++histogram[size_t(int(hu[v]) + 32768)];
      }
    },
    nullptr);
  std::vector<size_t> histogram(65536, 0);
  for (const auto & p : partial)
  {
    std::transform(histogram.begin(), histogram.end(), p.begin(), histogram.begin(), std::plus<size_t>());
  }
  IntensitySummary summary;
  const size_t     sampled = std::accumulate(histogram.begin(), histogram.end(), size_t{ 0 });
  if (sampled == 0)
  {
    return summary;
  }
  summary.Minimum = HistogramPercentile(histogram, sampled, 0.0);
  summary.Maximum = HistogramPercentile(histogram, sampled, 1.0);
  summary.Percentile1 = HistogramPercentile(histogram, sampled, 0.01);
  summary.Median = HistogramPercentile(histogram, sampled, 0.5);
  size_t air = 0;
  for (int hu = -32768; hu <= -500; ++hu)
  {
    air += histogram[size_t(hu + 32768)];
  }
  summary.AirFraction = double(air) / double(sampled);
  return summary;
}

void
CheckHounsfieldUnits(const IntensitySummary & s, const std::string & path)
{
  if (s.AirFraction >= 0.01)
  {
    return; // air outside the body and in the lungs, near -1000 HU: Hounsfield units
  }
  std::ostringstream seen;
  seen << "values " << s.Minimum << " to " << s.Maximum << " (1st percentile " << s.Percentile1 << ", median "
       << s.Median << "), no air near -1000";
  std::string what;
  if (s.Minimum >= 0.0 && s.Maximum <= 255.0)
  {
    what = ": a windowed 8-bit picture, not Hounsfield units (use the original CT)";
  }
  else if (s.Minimum >= 0.0)
  {
    what = ": HU + 1024 stored without its rescale? Give " + SpellParameter("hu_offset") + " -1024";
  }
  else
  {
    what = ": not Hounsfield units? Give " + SpellParameter("hu_offset");
  }
  throw Error(ErrorKind::InvalidInput,
              path,
              seen.str() + what + ", or " + SpellParameter("intensities_are_hu") + " to take the values as they are");
}

} // namespace ctp
