#ifndef ctpError_h
#define ctpError_h

#include <stdexcept>
#include <string>

namespace ctp
{
/** \brief What went wrong, in the terms a user can act on.
 *
 * Modules throw ctp::Error with one of these kinds; only the application turns a kind into a process
 * exit code (Applications/ctprep/ctpExitCodes.h), so library callers and tests see typed errors. */
enum class ErrorKind
{
  Usage,             ///< a parameter is out of range or inconsistent
  NoDicom,           ///< the input holds no readable DICOM file at all
  NoSeries,          ///< DICOM files were found but no CT image series that can be processed
  InvalidInput,      ///< a file or series is corrupt, inconsistent or unsupported
  OutputNotWritable, ///< an output folder or file cannot be created or written
  ProcessingFailed,  ///< a processing step failed on valid input
  MemoryLimit        ///< the estimated memory exceeds the limit given
};

/** Short stable name of a kind ("invalid-input", ...), used in manifests and logs. */
const char *
ErrorKindName(ErrorKind kind);

/** \class Error
 * \brief Exception carrying an ErrorKind and a one-line message that names the file and the problem. */
class Error : public std::runtime_error
{
public:
  Error(ErrorKind kind, const std::string & message);
  /** Message of the form "<path>: <problem>". */
  Error(ErrorKind kind, const std::string & path, const std::string & problem);

  ErrorKind
  Kind() const noexcept
  {
    return m_Kind;
  }

private:
  ErrorKind m_Kind;
};

/** One line: newlines and runs of white space (ITK exception texts have them) folded to single spaces. */
std::string
OneLine(const std::string & text);

} // namespace ctp

#endif
