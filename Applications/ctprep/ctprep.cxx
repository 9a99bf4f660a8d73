// ctprep: chest CT DICOM to deep-learning-ready volumes, lung masks and 3D Slicer surfaces.
// main() only turns errors into the documented exit codes (ctpExitCodes.h); the work is in the library.
#include "ctpCommandLine.h"
#include "ctpExitCodes.h"
#include "ctpLogger.h"
#include "ctpToolkitWarnings.h"

#include "itkMacro.h"

#include <csignal>
#include <new>

int
main(int argc, char * argv[])
{
  ctp::QuietToolkitWarnings();
  // A file-size limit (ulimit -f) must fail a write with EFBIG, reported as an output error, not kill
  // the process with SIGXFSZ half-way through a file.
  std::signal(SIGXFSZ, SIG_IGN);
  try
  {
    return static_cast<int>(ctp::RunCommandLine(argc, argv));
  }
  catch (const ctp::Error & e)
  {
    ctp::Logger::Error(e.what());
    return static_cast<int>(ctp::ExitCodeFor(e.Kind()));
  }
  catch (const itk::ExceptionObject & e)
  {
    ctp::Logger::Error(ctp::OneLine(e.GetDescription()));
    return static_cast<int>(ctp::ExitCode::ProcessingFailed);
  }
  catch (const std::bad_alloc &)
  {
    ctp::Logger::Error("out of memory");
    return static_cast<int>(ctp::ExitCode::MemoryLimit);
  }
  catch (const std::exception & e)
  {
    ctp::Logger::Error(std::string("internal error: ") + ctp::OneLine(e.what()));
    return static_cast<int>(ctp::ExitCode::Internal);
  }
}
