#include "ctpBatchProgress.h"
#include "ctpLogger.h"

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>
#include <unistd.h>

namespace ctp
{
namespace
{
using Clock = std::chrono::steady_clock;

std::string
Duration(double seconds)
{
  if (!std::isfinite(seconds) || seconds < 0)
  {
    return "--:--";
  }
  const long s = std::lround(seconds);
  char       text[32];
  std::snprintf(text, sizeof(text), "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return text;
}

} // namespace

BatchProgress::BatchProgress(size_t total)
  : m_Total(total)
  , m_Terminal(::isatty(STDERR_FILENO) == 1)
  , m_Start(Clock::now())
{}

void
BatchProgress::Finished(const CaseResult & c, size_t done, size_t failed)
{
  if (Logger::GetVerbosity() == Verbosity::Off)
  {
    return;
  }
  const double       elapsed = std::chrono::duration<double>(Clock::now() - m_Start).count();
  const double       rate = elapsed > 0 ? double(done) / elapsed : 0.0;
  const double       eta = rate > 0 ? double(m_Total - done) / rate : -1.0;
  std::ostringstream line;
  if (m_Terminal)
  {
    const int width = 30;
    const int filled = m_Total ? int(width * done / m_Total) : width;
    line << "\r[" << std::string(size_t(filled), '#') << std::string(size_t(width - filled), '-') << "] " << done << "/"
         << m_Total << "  " << std::fixed << std::setprecision(1) << rate * 60.0 << " cases/min  ETA " << Duration(eta)
         << "  " << failed << " failed   ";
    std::fprintf(stderr, "%s", line.str().c_str());
    if (done == m_Total)
    {
      std::fprintf(stderr, "\n");
    }
    std::fflush(stderr);
    if (c.Status == "failed" && Logger::GetVerbosity() <= Verbosity::Warning)
    {
      std::fprintf(stderr, "\n%s failed (exit %d): %s\n", c.Case.c_str(), c.ExitCode, c.Error.c_str());
    }
    return;
  }
  line << "[" << done << "/" << m_Total << "] " << c.Case << " " << c.Status;
  if (c.Status == "failed")
  {
    line << " (exit " << c.ExitCode << "): " << c.Error;
  }
  else
  {
    line << std::fixed << std::setprecision(1) << " " << c.Seconds << " s";
  }
  line << ", ETA " << Duration(eta) << ", " << failed << " failed";
  Logger::Info(line.str());
}

} // namespace ctp
