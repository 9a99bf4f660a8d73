#ifndef ctpCommandLine_h
#define ctpCommandLine_h

#include "ctpExitCodes.h"

#include <iosfwd>

namespace ctp
{
/** \brief Parses `ctprep <subcommand> [options]` and runs it.
 *
 * Returns the exit code of a run that finished (Success, or a batch's partial codes); throws
 * ctp::Error for anything that stops it, including usage errors (ErrorKind::Usage). Help and
 * version text go to `out`. */
ExitCode
RunCommandLine(int argc, const char * const argv[], std::ostream & out);

/** Same, printing to std::cout. */
ExitCode
RunCommandLine(int argc, const char * const argv[]);

} // namespace ctp

#endif
