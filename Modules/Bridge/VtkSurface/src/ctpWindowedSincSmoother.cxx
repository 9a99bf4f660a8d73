#include "ctpWindowedSincSmoother.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

namespace ctp
{
namespace
{
/** Runs work(first, last) over [0, count) in chunks on ITK's threads. */
void
ParallelChunks(size_t count, const std::function<void(size_t, size_t)> & work)
{
  constexpr size_t chunk = 8192;
  const size_t     chunks = (count + chunk - 1) / chunk;
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0, chunks, [&](itk::SizeValueType c) { work(c * chunk, std::min(count, (c + 1) * chunk)); }, nullptr);
}

/** Each vertex's neighbours (the vertices it shares an edge with) in one array (CSR): vertex v's are
 *  Ids[Start[v] .. Start[v] + Count[v]). */
struct VertexNeighbours
{
  std::vector<size_t>   Start;
  std::vector<uint32_t> Ids;
  std::vector<uint32_t> Count;
  /** 1 for a vertex on a boundary edge (an edge of one triangle): it does not move. */
  std::vector<uint8_t> Fixed;
};

/** The neighbour lists of a triangle mesh's vertices. */
VertexNeighbours
FindNeighbours(size_t vertices, const std::vector<int64_t> & triangles)
{
  // Both directions of every triangle edge, grouped by vertex. An edge shared by two triangles appears
  // twice in each of its vertices' lists; once means a boundary edge.
  std::vector<uint32_t> degree(vertices + 1, 0);
  for (const auto v : triangles)
  {
    degree[size_t(v)] += 2;
  }
  VertexNeighbours result;
  auto &           start = result.Start;
  auto &           neighbours = result.Ids;
  start.assign(vertices + 1, 0);
  for (size_t v = 0; v < vertices; ++v)
  {
    start[v + 1] = start[v] + degree[v];
  }
  neighbours.resize(start[vertices]);
  std::vector<size_t> fill(start.begin(), start.end() - 1);
  for (size_t t = 0; t + 2 < triangles.size(); t += 3)
  {
    const auto a = uint32_t(triangles[t]);
    const auto b = uint32_t(triangles[t + 1]);
    const auto c = uint32_t(triangles[t + 2]);
    neighbours[fill[a]++] = b;
    neighbours[fill[a]++] = c;
    neighbours[fill[b]++] = c;
    neighbours[fill[b]++] = a;
    neighbours[fill[c]++] = a;
    neighbours[fill[c]++] = b;
  }
  // Sort each list and keep unique neighbours (compacted in place). A vertex on the boundary stays
  // where it is and, as in VTK, its Laplacian, which its neighbours see, runs along the boundary only.
  auto & fixed = result.Fixed;
  auto & count = result.Count;
  fixed.assign(vertices, 0);
  count.assign(vertices, 0);
  ParallelChunks(vertices, [&](size_t first, size_t last) {
    for (size_t v = first; v < last; ++v)
    {
      uint32_t * begin = neighbours.data() + start[v];
      uint32_t * end = neighbours.data() + start[v + 1];
      std::sort(begin, end);
      for (uint32_t * it = begin; it != end && !fixed[v];)
      {
        uint32_t * same = std::upper_bound(it, end, *it);
        fixed[v] = (same - it == 1) ? 1 : 0;
        it = same;
      }
      uint32_t * out = begin;
      for (uint32_t * it = begin; it != end;)
      {
        uint32_t * same = std::upper_bound(it, end, *it);
        if (!fixed[v] || same - it == 1)
        {
          *out++ = *it;
        }
        it = same;
      }
      count[v] = uint32_t(out - begin);
    }
  });
  return result;
}

/** The centre of the points' bounding box (x, y, z per vertex). */
std::array<double, 3>
BoxCentre(const std::vector<float> & points)
{
  const size_t vertices = points.size() / 3;
  double       low[3] = { points[0], points[1], points[2] };
  double       high[3] = { points[0], points[1], points[2] };
  for (size_t v = 0; v < vertices; ++v)
  {
    for (int k = 0; k < 3; ++k)
    {
      low[k] = std::min(low[k], double(points[3 * v + size_t(k)]));
      high[k] = std::max(high[k], double(points[3 * v + size_t(k)]));
    }
  }
  return { 0.5 * (low[0] + high[0]), 0.5 * (low[1] + high[1]), 0.5 * (low[2] + high[2]) };
}

/** The filtered coordinates: sum over i of c[i] T_i(K) x0, with T_i the Chebyshev polynomials of
 *  K = I - L/2 (L the mesh Laplacian) by their recurrence; fixed vertices keep x0. */
std::vector<double>
FilterChebyshev(std::vector<double> x0, const VertexNeighbours & neighbours, const std::vector<double> & c,
                int iterations)
{
  const size_t        vertices = neighbours.Count.size();
  const auto &        start = neighbours.Start;
  const auto &        ids = neighbours.Ids;
  const auto &        count = neighbours.Count;
  const auto &        fixed = neighbours.Fixed;
  std::vector<double> x1(3 * vertices);
  std::vector<double> x2(3 * vertices);
  std::vector<double> x3(3 * vertices);
  // x1 = x0 - L(x0) / 2, x3 = c0 x0 + c1 x1, with L(x)_v = mean over neighbours of (x_v - x_n).
  ParallelChunks(vertices, [&](size_t first, size_t last) {
    for (size_t v = first; v < last; ++v)
    {
      double         delta[3] = { 0.0, 0.0, 0.0 };
      const uint32_t n = count[v];
      for (uint32_t j = 0; j < n; ++j)
      {
        const size_t y = 3 * size_t(ids[start[v] + j]);
        for (size_t k = 0; k < 3; ++k)
        {
          delta[k] += x0[3 * v + k] - x0[y + k];
        }
      }
      for (size_t k = 0; k < 3; ++k)
      {
        x1[3 * v + k] = n > 0 ? x0[3 * v + k] - 0.5 * delta[k] / n : 0.0;
        x3[3 * v + k] = (n > 0 && !fixed[v]) ? c[0] * x0[3 * v + k] + c[1] * x1[3 * v + k] : x0[3 * v + k];
      }
    }
  });
  // x2 = (x1 - x0) + (x1 - L(x1)), x3 += c_i x2, then shift x0 <- x1 <- x2.
  for (int i = 2; i <= iterations; ++i)
  {
    ParallelChunks(vertices, [&](size_t first, size_t last) {
      for (size_t v = first; v < last; ++v)
      {
        const uint32_t n = count[v];
        if (n == 0)
        {
          x2[3 * v] = x2[3 * v + 1] = x2[3 * v + 2] = 0.0;
          continue;
        }
        double delta[3] = { 0.0, 0.0, 0.0 };
        for (uint32_t j = 0; j < n; ++j)
        {
          const size_t y = 3 * size_t(ids[start[v] + j]);
          for (size_t k = 0; k < 3; ++k)
          {
            delta[k] += x1[3 * v + k] - x1[y + k];
          }
        }
        for (size_t k = 0; k < 3; ++k)
        {
          const double next = 2.0 * x1[3 * v + k] - x0[3 * v + k] - delta[k] / n;
          x2[3 * v + k] = next;
          if (!fixed[v])
          {
            x3[3 * v + k] += c[size_t(i)] * next;
          }
        }
      }
    });
    std::swap(x0, x1); // x0 <- x1
    std::swap(x1, x2); // x1 <- x2 (x2 is scratch again)
  }
  return x3;
}
} // namespace

std::vector<double>
WindowedSincCoefficients(int iterations, double passBand)
{
  const double        pi = 3.14159265358979323846;
  const int           n = std::max(1, iterations);
  const double        kpb = passBand;
  const double        thetaPb = std::acos(1.0 - 0.5 * kpb);
  std::vector<double> w(size_t(n) + 1);
  std::vector<double> c(size_t(n) + 1);
  std::vector<double> cprime(size_t(n) + 1);
  for (int i = 0; i <= n; ++i)
  {
    w[size_t(i)] = 0.54 + 0.46 * std::cos(double(i) * pi / double(n + 1)); // Hamming window
  }
  // The offset sigma that makes the filter's gain 1 at the pass band (Newton's method).
  double sigma = 0.0;
  for (int step = 0; step < 500; ++step)
  {
    c[0] = w[0] * (thetaPb + sigma) / pi;
    for (int i = 1; i <= n; ++i)
    {
      c[size_t(i)] = 2.0 * w[size_t(i)] * std::sin(double(i) * (thetaPb + sigma)) / (double(i) * pi);
    }
    if (n == 1)
    {
      break; // first order: no offset can be found; the surface will shrink a little
    }
    cprime[size_t(n)] = 0.0;
    cprime[size_t(n) - 1] = 0.0;
    cprime[size_t(n) - 2] = 2.0 * double(n - 1) * c[size_t(n) - 1];
    for (int i = n - 3; i >= 0; --i)
    {
      cprime[size_t(i)] = cprime[size_t(i) + 2] + 2.0 * double(i + 1) * c[size_t(i) + 1];
    }
    double f = c[0];
    double fprime = cprime[0];
    for (int i = 1; i <= n; ++i)
    {
      const double t = std::cos(double(i) * std::acos(1.0 - 0.5 * kpb));
      f += c[size_t(i)] * t;
      fprime += cprime[size_t(i)] * t;
    }
    if (std::abs(f - 1.0) < 1e-3)
    {
      break;
    }
    sigma -= (f - 1.0) / fprime;
  }
  return c;
}

void
SmoothWindowedSinc(std::vector<float> & points, const std::vector<int64_t> & triangles, int iterations, double passBand)
{
  const size_t vertices = points.size() / 3;
  if (iterations <= 0 || vertices == 0 || triangles.empty())
  {
    return;
  }
  const VertexNeighbours    neighbours = FindNeighbours(vertices, triangles);
  const std::vector<double> c = WindowedSincCoefficients(iterations, passBand);
  // Coordinates relative to the bounding box centre: smaller numbers, less float rounding.
  const std::array<double, 3> centre = BoxCentre(points);
  std::vector<double>         x0(3 * vertices);
  ParallelChunks(vertices, [&](size_t first, size_t last) {
    for (size_t v = first; v < last; ++v)
    {
      for (size_t k = 0; k < 3; ++k)
      {
        x0[3 * v + k] = double(points[3 * v + k]) - centre[k];
      }
    }
  });
  const std::vector<double> x3 = FilterChebyshev(std::move(x0), neighbours, c, iterations);
  ParallelChunks(vertices, [&](size_t first, size_t last) {
    for (size_t v = first; v < last; ++v)
    {
      for (size_t k = 0; k < 3; ++k)
      {
        points[3 * v + k] = static_cast<float>(x3[3 * v + k] + centre[k]);
      }
    }
  });
}

} // namespace ctp
