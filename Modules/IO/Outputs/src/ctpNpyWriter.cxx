#include "ctpNpyWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <fstream>

namespace ctp
{
namespace
{
std::string
NpyHeader(const FloatImageType::SizeType & size)
{
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(size[2]) + ", " +
                       std::to_string(size[1]) + ", " + std::to_string(size[0]) + "), }";
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in '\n'.
  const size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header.push_back('\n');
  const uint16_t headerLength = static_cast<uint16_t>(header.size());
  const char     length[2] = { static_cast<char>(headerLength & 0xff), static_cast<char>(headerLength >> 8) };
  return std::string("\x93NUMPY\x01\x00", 8) + std::string(length, 2) + header;
}
} // namespace

void
WriteNpy(const FloatImageType * image, const std::string & path)
{
  static_assert(sizeof(float) == 4, "float32 expected");
  const std::string header = NpyHeader(image->GetBufferedRegion().GetSize());
  AtomicOutputFile  file(path);
  {
    std::ofstream out(file.TemporaryPath(), std::ios::binary | std::ios::trunc);
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

void
WriteNpyStreamed(itk::ImageSource<FloatImageType> * source, const std::string & path, unsigned int pieces)
{
  auto * output = source->GetOutput();
  source->UpdateOutputInformation();
  const auto        whole = output->GetLargestPossibleRegion();
  const std::string header = NpyHeader(whole.GetSize());
  AtomicOutputFile  file(path);
  {
    std::ofstream out(file.TemporaryPath(), std::ios::binary | std::ios::trunc);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    const auto slices = whole.GetSize(2);
    pieces = std::max(1u, std::min<unsigned int>(pieces, static_cast<unsigned int>(slices)));
    for (unsigned int p = 0; p < pieces; ++p)
    {
      auto       slab = whole;
      const auto first = slices * p / pieces;
      const auto last = slices * (p + 1) / pieces;
      slab.SetIndex(2, whole.GetIndex(2) + static_cast<itk::IndexValueType>(first));
      slab.SetSize(2, last - first);
      output->SetRequestedRegion(slab);
      output->PropagateRequestedRegion();
      output->UpdateOutputData();
      // The buffer holds at least the slab (a filter may give more); write exactly the slab, x fastest.
      const auto   buffered = output->GetBufferedRegion();
      const size_t offset = output->ComputeOffset(slab.GetIndex());
      if (buffered.GetSize(0) != slab.GetSize(0) || buffered.GetSize(1) != slab.GetSize(1))
      {
        throw Error(ErrorKind::ProcessingFailed, path, "streamed slab is not made of whole slices");
      }
      out.write(reinterpret_cast<const char *>(output->GetBufferPointer() + offset),
                static_cast<std::streamsize>(slab.GetNumberOfPixels() * sizeof(float)));
    }
    out.flush();
    if (!out)
    {
      throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write: ") + std::strerror(errno));
    }
  }
  file.Commit();
}

} // namespace ctp
