#include "ctpRunRecord.h"
#include "ctpLogger.h"

namespace ctp
{
void
RunRecord::Decide(const std::string & decision)
{
  Decisions.push_back(decision);
  Logger::Info(decision);
}

void
RunRecord::Warn(const std::string & warning)
{
  Warnings.push_back(warning);
  Logger::Warning(warning);
}

void
RunRecord::Take(const std::vector<std::string> & decisions, const std::vector<std::string> & warnings)
{
  for (const auto & decision : decisions)
  {
    Decide(decision);
  }
  for (const auto & warning : warnings)
  {
    Warn(warning);
  }
}

void
RunRecord::EndStage(const std::string & stage)
{
  const auto now = std::chrono::steady_clock::now();
  Seconds.emplace_back(stage, std::chrono::duration<double>(now - m_Lap).count());
  m_Lap = now;
}

double
RunRecord::Elapsed() const
{
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - m_Start).count();
}

} // namespace ctp
