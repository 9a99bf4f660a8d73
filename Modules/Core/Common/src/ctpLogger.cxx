#include "ctpLogger.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include <atomic>
#include <iostream>
#include <mutex>

namespace ctp
{
namespace
{
std::atomic<int> g_Verbosity{ static_cast<int>(Verbosity::Info) };
std::mutex       g_Mutex;

void
Emit(Verbosity level, const char * prefix, const std::string & message)
{
  if (static_cast<int>(level) < g_Verbosity.load())
  {
    return;
  }
  const std::lock_guard<std::mutex> lock(g_Mutex);
  std::cerr << prefix << message << std::endl;
}
} // namespace

Verbosity
ParseVerbosity(const std::string & text)
{
  if (text == "info")
  {
    return Verbosity::Info;
  }
  if (text == "warning")
  {
    return Verbosity::Warning;
  }
  if (text == "error")
  {
    return Verbosity::Error;
  }
  if (text == "off")
  {
    return Verbosity::Off;
  }
  throw ctp::Error(ErrorKind::Usage,
                   SpellParameter("verbosity") + ": '" + text + "' is not one of info, warning, error, off");
}

void
Logger::SetVerbosity(Verbosity verbosity)
{
  g_Verbosity.store(static_cast<int>(verbosity));
}

Verbosity
Logger::GetVerbosity()
{
  return static_cast<Verbosity>(g_Verbosity.load());
}

void
Logger::Info(const std::string & message)
{
  Emit(Verbosity::Info, "", message);
}

void
Logger::Warning(const std::string & message)
{
  Emit(Verbosity::Warning, "Warning: ", message);
}

void
Logger::Error(const std::string & message)
{
  Emit(Verbosity::Error, "Error: ", message);
}

} // namespace ctp
