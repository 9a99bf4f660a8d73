#ifndef ctpLogger_h
#define ctpLogger_h

#include <string>

namespace ctp
{
/** Verbosity levels, as elastix and the Slicer CLIs name them. A level shows itself and all above. */
enum class Verbosity
{
  Info = 0,
  Warning = 1,
  Error = 2,
  Off = 3
};

/** Parses "info", "warning", "error", "off"; throws ctp::Error(Usage) otherwise. */
Verbosity
ParseVerbosity(const std::string & text);

/** \class Logger
 * \brief Process-wide, thread-safe log to stderr: "Error: ...", "Warning: ...", plain info lines.
 *
 * Results a script reads (inspect output, JSON) go to stdout; the log never does. */
class Logger
{
public:
  static void
  SetVerbosity(Verbosity verbosity);
  static Verbosity
  GetVerbosity();

  static void
  Info(const std::string & message);
  static void
  Warning(const std::string & message);
  static void
  Error(const std::string & message);
};

} // namespace ctp

#endif
