#include "ctpNpyWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ctp
{
void
WriteNpy(const FloatImageType * image, const std::string & path)
{
  static_assert(sizeof(float) == 4, "float32 expected");
  const auto  size = image->GetBufferedRegion().GetSize();
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(size[2]) + ", " +
                       std::to_string(size[1]) + ", " + std::to_string(size[0]) + "), }";
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in '\n'.
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  const uint16_t headerLength = static_cast<uint16_t>(header.size());

  AtomicOutputFile file(path);
  {
    std::ofstream out(file.TemporaryPath(), std::ios::binary | std::ios::trunc);
    out.write("\x93NUMPY\x01\x00", 8);
    const char length[2] = { static_cast<char>(headerLength & 0xff), static_cast<char>(headerLength >> 8) };
    out.write(length, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(reinterpret_cast<const char *>(image->GetBufferPointer()),
              static_cast<std::streamsize>(image->GetBufferedRegion().GetNumberOfPixels() * sizeof(float)));
    out.flush();
    if (!out)
    {
      throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write: ") + std::strerror(errno));
    }
  }
  file.Commit();
}

} // namespace ctp
