#include "ctpPreviewWriter.h"
#include "ctpHistogramPercentile.h"
#include "ctpRgbCanvas.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace ctp
{
namespace
{
using Point = HUImageType::PointType;

constexpr Rgb White{ 255, 255, 255 };
constexpr Rgb Black{ 0, 0, 0 };
constexpr Rgb Grey{ 120, 120, 120 };
constexpr Rgb LabelColours[7] = { { 0, 0, 0 },      { 230, 40, 40 },  { 40, 210, 60 }, { 60, 120, 255 },
                                  { 235, 60, 235 }, { 255, 150, 20 }, { 40, 230, 230 } };

/** One picture plane in patient space: pixel (u, v) is at Corner + u * Step * Right + v * Step * Down. */
struct Plane
{
  const char *          Name;
  std::array<double, 3> Corner;
  std::array<double, 3> Right;
  std::array<double, 3> Down;
  int                   Width;
  int                   Height;
  double                Step;
};

std::string
Compact(double value)
{
  char         text[32];
  const double a = std::abs(value);
  if (a >= 1e6)
  {
    std::snprintf(text, sizeof(text), "%.1fM", value / 1e6);
  }
  else if (a >= 1e3)
  {
    std::snprintf(text, sizeof(text), "%.0fK", value / 1e3);
  }
  else
  {
    std::snprintf(text, sizeof(text), "%.0f", value);
  }
  return text;
}
} // namespace

HUStatistics
ComputeHUStatistics(const HUImageType * hu, const MaskImageType * labels)
{
  const size_t          n = hu->GetBufferedRegion().GetNumberOfPixels();
  const HUPixelType *   h = hu->GetBufferPointer();
  const MaskPixelType * m = labels ? labels->GetBufferPointer() : nullptr;
  // Per-thread histograms of all voxels and of lung voxels, merged after.
  const unsigned int               parts = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  std::vector<std::vector<size_t>> all(parts, std::vector<size_t>(65536, 0));
  std::vector<std::vector<size_t>> lung(parts, std::vector<size_t>(m ? 65536 : 0, 0));
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    parts,
    [&](itk::SizeValueType part) {
      const size_t begin = n * part / parts;
      const size_t end = n * (part + 1) / parts;
      size_t *     a = all[part].data();
      for (size_t v = begin; v < end; ++v)
      {
        ++a[static_cast<size_t>(h[v] + 32768)];
      }
      if (m)
      {
        size_t * l = lung[part].data();
        for (size_t v = begin; v < end; ++v)
        {
          if (m[v] == 1 || m[v] == 2)
          {
            ++l[static_cast<size_t>(h[v] + 32768)];
          }
        }
      }
    },
    nullptr);
  HUStatistics s;
  s.Histogram.assign(65536, 0);
  std::vector<size_t> lungHistogram(65536, 0);
  for (unsigned int part = 0; part < parts; ++part)
  {
    for (size_t b = 0; b < 65536; ++b)
    {
      s.Histogram[b] += all[part][b];
      if (m)
      {
        lungHistogram[b] += lung[part][b];
      }
    }
  }
  s.Voxels = n;
  if (n == 0)
  {
    return s;
  }
  double sum = 0.0;
  double sum2 = 0.0;
  double lungSum = 0.0;
  for (size_t b = 0; b < 65536; ++b)
  {
    const double value = double(b) - 32768.0;
    sum += value * double(s.Histogram[b]);
    sum2 += value * value * double(s.Histogram[b]);
    lungSum += value * double(lungHistogram[b]);
    s.LungVoxels += lungHistogram[b];
  }
  s.Mean = sum / double(n);
  s.StandardDeviation = std::sqrt(std::max(0.0, sum2 / double(n) - s.Mean * s.Mean));
  s.Minimum = HistogramPercentile(s.Histogram, n, 0.0);
  s.Maximum = HistogramPercentile(s.Histogram, n, 1.0);
  s.Percentile1 = HistogramPercentile(s.Histogram, n, 0.01);
  s.Median = HistogramPercentile(s.Histogram, n, 0.5);
  s.Percentile99 = HistogramPercentile(s.Histogram, n, 0.99);
  if (s.LungVoxels > 0)
  {
    s.LungMean = lungSum / double(s.LungVoxels);
    s.LungMedian = HistogramPercentile(lungHistogram, s.LungVoxels, 0.5);
  }
  return s;
}

namespace
{
/** The three planes through `centre` within the box [low, high], `step` mm per pixel. */
std::array<Plane, 3>
PlanesThrough(const Point & low, const Point & high, const std::array<double, 3> & centre, double step)
{
  auto pixels = [&](int axis) { return static_cast<int>(std::floor((high[axis] - low[axis]) / step)) + 1; };
  // LPS: +x patient left, +y posterior, +z superior.
  return { Plane{ "AXIAL", { low[0], low[1], centre[2] }, { 1, 0, 0 }, { 0, 1, 0 }, pixels(0), pixels(1), step },
           Plane{ "CORONAL", { low[0], centre[1], high[2] }, { 1, 0, 0 }, { 0, 0, -1 }, pixels(0), pixels(2), step },
           Plane{ "SAGITTAL", { centre[0], low[1], high[2] }, { 0, 1, 0 }, { 0, 0, -1 }, pixels(1), pixels(2), step } };
}

/** One plane at (x0, y0) of the canvas: the windowed volume and the outline of each label. */
void
DrawPlane(RgbCanvas & canvas, int x0, int y0, const Plane & plane, const HUImageType * hu, const MaskImageType * labels,
          const DisplayWindow & window)
{
  const double     low = window.Center - 0.5 * window.Width;
  std::vector<int> label(static_cast<size_t>(plane.Width) * plane.Height, -1);
  for (int v = 0; v < plane.Height; ++v)
  {
    for (int u = 0; u < plane.Width; ++u)
    {
      Point p;
      for (unsigned int a = 0; a < 3; ++a)
      {
        p[a] = plane.Corner[a] + u * plane.Step * plane.Right[a] + v * plane.Step * plane.Down[a];
      }
      HUImageType::IndexType index;
      if (!hu->TransformPhysicalPointToIndex(p, index))
      {
        continue;
      }
      const double  value = hu->GetPixel(index);
      const uint8_t grey = static_cast<uint8_t>(std::clamp((value - low) / window.Width * 255.0, 0.0, 255.0));
      canvas.Set(x0 + u, y0 + v, { grey, grey, grey });
      label[static_cast<size_t>(v) * plane.Width + u] = labels ? labels->GetPixel(index) : 0;
    }
  }
  // Outlines: a labelled pixel with a differently labelled 4-neighbour.
  for (int v = 0; v < plane.Height; ++v)
  {
    for (int u = 0; u < plane.Width; ++u)
    {
      const int l = label[static_cast<size_t>(v) * plane.Width + u];
      if (l <= 0 || l > 6)
      {
        continue;
      }
      const bool edge = (u == 0 || label[static_cast<size_t>(v) * plane.Width + u - 1] != l) ||
                        (u + 1 == plane.Width || label[static_cast<size_t>(v) * plane.Width + u + 1] != l) ||
                        (v == 0 || label[static_cast<size_t>(v - 1) * plane.Width + u] != l) ||
                        (v + 1 == plane.Height || label[static_cast<size_t>(v + 1) * plane.Width + u] != l);
      if (edge)
      {
        canvas.Set(x0 + u, y0 + v, LabelColours[l]);
      }
    }
  }
  if (plane.Right[0] > 0)
  {
    // Patient's right is on the left of the picture.
    canvas.Text(x0 + 2, y0 + plane.Height / 2, "R", { 255, 220, 0 }, 2);
    canvas.Text(x0 + plane.Width - RgbCanvas::TextWidth("L", 2) - 2, y0 + plane.Height / 2, "L", { 255, 220, 0 }, 2);
  }
  else
  {
    canvas.Text(x0 + 2, y0 + plane.Height / 2, "A", { 255, 220, 0 }, 2);
    canvas.Text(x0 + plane.Width - RgbCanvas::TextWidth("P", 2) - 2, y0 + plane.Height / 2, "P", { 255, 220, 0 }, 2);
  }
}
} // namespace

void
WritePreviewPng(const HUImageType * hu, const MaskImageType * labels, const std::string & path,
                const DisplayWindow & window, const std::optional<std::array<double, 3>> & focus,
                const std::string & focusTitle)
{
  // Physical bounding box of the voxel centres.
  const auto region = hu->GetLargestPossibleRegion();
  Point      low;
  Point      high;
  low.Fill(std::numeric_limits<double>::max());
  high.Fill(std::numeric_limits<double>::lowest());
  for (int corner = 0; corner < 8; ++corner)
  {
    HUImageType::IndexType index;
    for (unsigned int a = 0; a < 3; ++a)
    {
      index[a] = (corner >> a) & 1 ? static_cast<long>(region.GetSize(a)) - 1 : 0;
    }
    Point p;
    hu->TransformIndexToPhysicalPoint(index, p);
    for (unsigned int a = 0; a < 3; ++a)
    {
      low[a] = std::min(low[a], p[a]);
      high[a] = std::max(high[a], p[a]);
    }
  }
  const auto   spacing = hu->GetSpacing();
  const double extent = std::max({ high[0] - low[0], high[1] - low[1], high[2] - low[2] });
  const double step = std::max({ std::min({ spacing[0], spacing[1], spacing[2] }), extent / 400.0, 1e-3 });
  std::vector<std::pair<std::string, std::array<Plane, 3>>> rows;
  rows.emplace_back(
    "",
    PlanesThrough(low, high, { 0.5 * (low[0] + high[0]), 0.5 * (low[1] + high[1]), 0.5 * (low[2] + high[2]) }, step));
  if (focus)
  {
    rows.emplace_back(focusTitle, PlanesThrough(low, high, *focus, step));
  }
  const int margin = 10;
  const int title = RgbCanvas::TextHeight(2) + 8;
  int       width = margin;
  int       rowHeight = 0;
  for (const auto & plane : rows.front().second)
  {
    width += plane.Width + margin;
    rowHeight = std::max(rowHeight, plane.Height);
  }
  const std::string legend = "RED, GREEN: LUNGS  BLUE: AIRWAYS  MAGENTA, ORANGE: DENSE TISSUE TAKEN IN  CYAN: EFFUSION";
  const int         legendHeight = RgbCanvas::TextHeight(1) + 8;
  RgbCanvas         canvas(std::max(width, RgbCanvas::TextWidth(legend, 1) + 2 * margin),
                           int(rows.size()) * (rowHeight + title + margin) + margin + legendHeight,
                           Black);
  int               y = margin;
  for (const auto & [name, planes] : rows)
  {
    int x0 = margin;
    for (const auto & plane : planes)
    {
      canvas.Text(x0, y, name.empty() ? std::string(plane.Name) : std::string(plane.Name) + " " + name, White, 2);
      DrawPlane(canvas, x0, y + title, plane, hu, labels, window);
      x0 += plane.Width + margin;
    }
    y += rowHeight + title + margin;
  }
  canvas.Text(margin, y, legend, { 200, 200, 200 }, 1);
  canvas.WritePng(path);
}

void
WriteHistogramPng(const HUStatistics & stats, const std::string & path)
{
  const double        lo = std::max(-1100.0, stats.Minimum);
  const double        hi = std::max(lo + 100.0, std::min(3000.0, stats.Maximum));
  constexpr int       bins = 80; // as the classic recipe's plt.hist(..., bins=80)
  std::vector<size_t> counts(bins, 0);
  for (size_t b = 0; b < stats.Histogram.size(); ++b)
  {
    const double value = double(b) - 32768.0;
    if (stats.Histogram[b] == 0 || value < lo || value > hi)
    {
      continue;
    }
    const int bin = std::min(bins - 1, static_cast<int>((value - lo) / (hi - lo) * bins));
    counts[static_cast<size_t>(bin)] += stats.Histogram[b];
  }
  const double top = std::max<double>(1.0, double(*std::max_element(counts.begin(), counts.end())));

  const int W = 800, H = 500, left = 110, right = 30, topMargin = 50, bottom = 80;
  RgbCanvas canvas(W, H, White);
  const int plotW = W - left - right;
  const int plotH = H - topMargin - bottom;
  const Rgb bar{ 70, 110, 180 };
  for (int b = 0; b < bins; ++b)
  {
    const int x0 = left + b * plotW / bins;
    const int x1 = left + (b + 1) * plotW / bins - 1;
    const int y1 = topMargin + plotH;
    const int y0 = y1 - static_cast<int>(std::lround(double(counts[static_cast<size_t>(b)]) / top * plotH));
    canvas.FillRect(x0, y0, x1, y1, bar);
  }
  // Axes, ticks and labels.
  canvas.Line(left, topMargin, left, topMargin + plotH, Black);
  canvas.Line(left, topMargin + plotH, left + plotW, topMargin + plotH, Black);
  const double tick = (hi - lo) > 2500 ? 500.0 : ((hi - lo) > 1000 ? 250.0 : 100.0);
  for (double t = std::ceil(lo / tick) * tick; t <= hi; t += tick)
  {
    const int x = left + static_cast<int>(std::lround((t - lo) / (hi - lo) * plotW));
    canvas.Line(x, topMargin + plotH, x, topMargin + plotH + 6, Black);
    char label[16];
    std::snprintf(label, sizeof(label), "%.0f", t);
    canvas.Text(x - RgbCanvas::TextWidth(label, 2) / 2, topMargin + plotH + 12, label, Black, 2);
  }
  for (int i = 0; i <= 4; ++i)
  {
    const double value = top * i / 4.0;
    const int    y = topMargin + plotH - static_cast<int>(std::lround(double(plotH) * i / 4.0));
    canvas.Line(left - 6, y, left, y, Black);
    if (i > 0)
    {
      canvas.Line(left + 1, y, left + plotW, y, { 225, 225, 225 });
    }
    const std::string label = Compact(value);
    canvas.Text(left - 10 - RgbCanvas::TextWidth(label, 2), y - RgbCanvas::TextHeight(2) / 2, label, Black, 2);
  }
  const std::string xLabel = "HOUNSFIELD UNITS (HU)";
  canvas.Text(left + plotW / 2 - RgbCanvas::TextWidth(xLabel, 2) / 2, H - 30, xLabel, Black, 2);
  const std::string yLabel = "FREQUENCY (VOXELS)";
  canvas.TextVertical(15, topMargin + plotH / 2 + RgbCanvas::TextWidth(yLabel, 2) / 2, yLabel, Black, 2);
  const std::string titleText = "HU HISTOGRAM, 80 BINS";
  canvas.Text(left + plotW / 2 - RgbCanvas::TextWidth(titleText, 2) / 2, 15, titleText, Black, 2);
  canvas.WritePng(path);
}

} // namespace ctp
