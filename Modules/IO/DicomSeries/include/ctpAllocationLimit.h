#ifndef ctpAllocationLimit_h
#define ctpAllocationLimit_h

#include <cstddef>

namespace ctp
{
/** \brief While it lives, a single allocation (operator new) above `bytes` made by the calling thread
 * fails with std::bad_alloc instead of reserving the memory.
 *
 * GDCM reserves, and zero-fills, the length an element declares before it reads the value; in a
 * malformed file of a few kilobytes that length can be gigabytes (fuzzing: 1.8 to 12 GB per file,
 * some of them lengths GDCM computes itself when it recovers from a broken data set, which no check
 * of the file can predict). CTPrep puts such a limit around each third-party parse or decode of one
 * file (DecoderAllocationLimit), so the request fails inside the library and the file is reported as
 * malformed. CTPrep replaces the global operator new and delete (ctpAllocationLimit.cxx) to do so;
 * without a limit they behave as the standard library's (malloc, the new-handler, std::bad_alloc).
 * Limits nest; other threads are not affected. */
class ScopedAllocationLimit
{
public:
  explicit ScopedAllocationLimit(std::size_t bytes);
  ~ScopedAllocationLimit();
  ScopedAllocationLimit(const ScopedAllocationLimit &) = delete;
  ScopedAllocationLimit &
  operator=(const ScopedAllocationLimit &) = delete;

  /** The largest request refused while this limit was in force (0: none). */
  std::size_t
  Refused() const;

private:
  std::size_t m_Previous;
  std::size_t m_PreviousRefused;
};

/** The limit for parsing or decoding one file: 64 MiB, plus twice the file and `pixelBytes`, the
 *  decoded image (DicomFileInfo::DecodedFloatBytes). The largest single requests of a good file are
 *  its pixel data (at most the file), the decoded samples (at most 8 bytes each, twice the floats)
 *  and the float image. */
std::size_t
DecoderAllocationLimit(std::size_t fileSize, std::size_t pixelBytes = 0);

} // namespace ctp

#endif
