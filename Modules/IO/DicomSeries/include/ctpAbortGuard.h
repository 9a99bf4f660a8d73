#ifndef ctpAbortGuard_h
#define ctpAbortGuard_h

#include <cstddef>
#include <functional>
#include <string>

namespace ctp
{
/** \brief Runs `work` so that an abort() inside it (GDCM's assertions on malformed files, which
 * Debian builds with assertions on) returns false instead of killing the process.
 *
 * SIGABRT raised by the calling thread jumps back here (siglongjmp out of the handler, which POSIX
 * allows for a caught SIGABRT); whatever the library had allocated is leaked, once per bad file.
 * While `work` runs, stderr is sent to /dev/null when `silence` is set, so the library's assertion
 * text does not break CTPrep's one-line errors. C++ exceptions from `work` propagate as usual.
 * Use it around third-party parsing only, never around code that holds locks of its own. */
bool
RunGuardedAgainstAbort(const std::function<void()> & work, bool silence = true);

/** How many aborts RunGuardedAgainstAbort has contained in this process (each leaked what the library
 *  had allocated for its file). An abort outside a guarded call goes to the SIGABRT handler installed
 *  before the first guarded call (a fuzzer's crash report), else ends the process. */
size_t
ContainedAborts();

/** \brief RunGuardedAgainstAbort for one parse or decode of the file `path`, under a
 * ScopedAllocationLimit of DecoderAllocationLimit(size of the file, `pixelBytes`, the decoded image
 * as float, DicomFileInfo::DecodedFloatBytes; 0 for a header parse): when the library
 * asks for more at once (a length a malformed file declares, or one it computes from broken data),
 * the request fails inside it and this throws ctp::Error(InvalidInput) naming the file. */
bool
RunGuardedDecoder(const std::string & path, const std::function<void()> & work, size_t pixelBytes = 0,
                  bool silence = true);

/** Sends stderr to /dev/null for its lifetime. Process-wide and counted: threads may silence at
 * the same time; stderr comes back when the last one is done. */
class SilencedStderr
{
public:
  SilencedStderr();
  ~SilencedStderr();
  SilencedStderr(const SilencedStderr &) = delete;
  SilencedStderr &
  operator=(const SilencedStderr &) = delete;
};

} // namespace ctp

#endif
