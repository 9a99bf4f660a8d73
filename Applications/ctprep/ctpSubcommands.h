#ifndef ctpSubcommands_h
#define ctpSubcommands_h

#include "ctpExitCodes.h"
#include "ctpRunBatch.h"
#include "ctpRunParameters.h"

#include <boost/program_options.hpp>

#include <iosfwd>
#include <set>
#include <string>
#include <vector>

namespace ctp
{
namespace po = boost::program_options;

/** \file
 * The subcommands of ctprep and what they share: the application's side of the command line. The
 * library's parameters (RunParameters) are declared once there; here they get their flags. */

/** Options every subcommand has (help, verbosity, threads). */
po::options_description
CommonOptions();

/** The exit-code table as help text. */
std::string
ExitCodeText();

/** Parses one subcommand's arguments (its options plus CommonOptions; the first word without a flag
 *  is `positionalOption`); returns false when help was printed. Sets the log level and thread count.
 *  Throws ctp::Error(Usage). */
bool
ParseSubcommand(const std::string & command, const std::string & usage, po::options_description & options,
                const char * positionalOption, const std::vector<std::string> & arguments, po::variables_map & vm,
                std::ostream & out);

/** This program's own path (to start case processes and renderers). */
std::string
SelfExecutable();

/** The command-line flag of a parameter (without "--"): its name with dashes, "no-" before a
 *  parameter that is on unless turned off, and a few shorter spellings (spacing_mm: spacing). */
std::string
FlagOf(const std::string & parameter);

/** Installs FlagOf as the library's parameter spelling ("--flag"). */
void
SpellParametersAsFlags();

/** The run parameters of the given groups as options, by section ("Series", "Preprocessing",
 *  "Surfaces", "Outputs"), leaving out `except` (parameter names). */
po::options_description
RunParameterOptions(const std::set<std::string> & groups, const std::set<std::string> & except = {});

/** Sets into `options` every run parameter given on the command line (not its defaults), but those
 *  in `except` (as in RunParameterOptions). */
void
TakeRunParameters(const po::variables_map & vm, RunOptions & options, const std::set<std::string> & except = {});

/** The run parameters given on the command line, as words ("--spacing=2", "--no-render"). */
std::vector<std::string>
GivenRunParameters(const po::variables_map & vm, const std::set<std::string> & except = {});

/** `ctprep batch`'s arguments as typed options, without running anything (nullopt: help printed). */
std::optional<BatchOptions>
ParseBatchCommand(const std::vector<std::string> & arguments, std::ostream & out, bool & merge);

/** A subcommand: its arguments (after its name) to an exit code; help and version text to `out`. */
using Subcommand = ExitCode(const std::vector<std::string> & arguments, std::ostream & out);
Subcommand RunCommand, ConvertCommand, BatchCommand, InspectCommand, RenderCommand, PhantomCommand;

} // namespace ctp

#endif
