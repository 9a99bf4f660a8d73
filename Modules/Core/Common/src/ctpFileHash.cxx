#include "ctpFileHash.h"
#include "ctpError.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

namespace ctp
{
namespace
{
constexpr uint64_t Prime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t Prime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t Prime3 = 0x165667B19E3779F9ULL;

inline uint64_t
Rotate(uint64_t x, int r)
{
  return (x << r) | (x >> (64 - r));
}

inline uint64_t
Round(uint64_t lane, uint64_t word)
{
  return Rotate(lane + word * Prime2, 31) * Prime1;
}

/** Streaming state: four lanes over 32-byte stripes, the tail kept for the next block. */
struct Hasher
{
  uint64_t Lane[4];
  uint64_t Length{ 0 };
  uint8_t  Tail[32];
  size_t   TailSize{ 0 };

  explicit Hasher(uint64_t seed)
    : Lane{ seed + Prime1 + Prime2, seed + Prime2, seed, seed - Prime1 }
  {}

  void
  Stripe(const uint8_t * p)
  {
    for (int l = 0; l < 4; ++l)
    {
      uint64_t word;
      std::memcpy(&word, p + 8 * l, 8);
      Lane[l] = Round(Lane[l], word);
    }
  }

  void
  Update(const uint8_t * data, size_t size)
  {
    Length += size;
    if (TailSize > 0)
    {
      const size_t take = std::min(size, 32 - TailSize);
      std::memcpy(Tail + TailSize, data, take);
      TailSize += take;
      data += take;
      size -= take;
      if (TailSize < 32)
      {
        return;
      }
      Stripe(Tail);
      TailSize = 0;
    }
    while (size >= 32)
    {
      Stripe(data);
      data += 32;
      size -= 32;
    }
    std::memcpy(Tail, data, size);
    TailSize = size;
  }

  uint64_t
  Final() const
  {
    uint64_t h = Rotate(Lane[0], 1) + Rotate(Lane[1], 7) + Rotate(Lane[2], 12) + Rotate(Lane[3], 18);
    h += Length;
    for (size_t i = 0; i < TailSize; ++i)
    {
      h = Rotate(h ^ (Tail[i] * Prime3), 11) * Prime1;
    }
    h ^= h >> 33;
    h *= Prime2;
    h ^= h >> 29;
    h *= Prime3;
    h ^= h >> 32;
    return h;
  }
};
} // namespace

uint64_t
Hash64(const void * data, size_t size, uint64_t seed)
{
  Hasher hasher(seed);
  hasher.Update(static_cast<const uint8_t *>(data), size);
  return hasher.Final();
}

std::string
FileHash64(const std::string & path)
{
  std::FILE * file = std::fopen(path.c_str(), "rb");
  if (file == nullptr)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot read: ") + std::strerror(errno));
  }
  Hasher               hasher(0);
  std::vector<uint8_t> buffer(1 << 20);
  size_t               got = 0;
  while ((got = std::fread(buffer.data(), 1, buffer.size(), file)) > 0)
  {
    hasher.Update(buffer.data(), got);
  }
  const bool failed = std::ferror(file) != 0;
  std::fclose(file);
  if (failed)
  {
    throw Error(ErrorKind::InvalidInput, path, "read error");
  }
  char text[17];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(hasher.Final()));
  return text;
}

} // namespace ctp
