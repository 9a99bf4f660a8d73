#ifndef ctpFileHash_h
#define ctpFileHash_h

#include <cstdint>
#include <string>

namespace ctp
{
/** \brief A fast 64-bit content hash of a file (not cryptographic), as 16 hex digits.
 *
 * Four independent multiply-rotate lanes over 8-byte words, then a final avalanche: about as fast as
 * the file can be read from the page cache. It tells a complete output from a truncated or rewritten
 * one when a batch resumes; it is no protection against tampering. Throws ctp::Error(InvalidInput)
 * when the file cannot be read. */
std::string
FileHash64(const std::string & path);

/** The same hash of a memory block. */
uint64_t
Hash64(const void * data, size_t size, uint64_t seed = 0);

} // namespace ctp

#endif
