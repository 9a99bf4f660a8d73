#include "ctpDicomSliceStackSource.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"

#include "itkMultiThreaderBase.h"

#include "gdcmImageReader.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>
#include <cmath>
#include <cstdint>
#include <limits>
#include <mutex>
#include <type_traits>

namespace ctp
{
namespace
{
/** stored x slope + intercept, rounded to the nearest integer HU and clamped to int16: the
 * precision of every output, so the stack never exists as float. Integer rescales (slope 1 and an
 * integer intercept, nearly every CT) stay in integer arithmetic, which the compiler vectorizes. */
template <typename TStored>
void
Rescale(const char * buffer, size_t count, double slope, double intercept, HUPixelType * out)
{
  constexpr double lowest = std::numeric_limits<HUPixelType>::lowest();
  constexpr double highest = std::numeric_limits<HUPixelType>::max();
  const auto *     stored = reinterpret_cast<const TStored *>(buffer);
  if (slope == 1.0 && intercept == std::nearbyint(intercept) && std::abs(intercept) < 65536.0)
  {
    using Wide = std::conditional_t<(sizeof(TStored) >= 4), int64_t, int32_t>;
    const auto shift = static_cast<Wide>(intercept);
    for (size_t n = 0; n < count; ++n)
    {
      out[n] = static_cast<HUPixelType>(
        std::clamp<Wide>(static_cast<Wide>(stored[n]) + shift, static_cast<Wide>(lowest), static_cast<Wide>(highest)));
    }
    return;
  }
  for (size_t n = 0; n < count; ++n)
  {
    out[n] = static_cast<HUPixelType>(std::clamp(std::nearbyint(stored[n] * slope + intercept), lowest, highest));
  }
}

/** Bits above HighBit cleared (unsigned) or filled with the sign (signed), as GDCM does: some
 * scanners keep overlays or garbage there. */
template <typename TStored>
void
CleanUnusedBits(TStored * values, size_t count, unsigned int bitsStored)
{
  using Unsigned = std::make_unsigned_t<TStored>;
  const unsigned int unused = 8u * sizeof(TStored) - bitsStored;
  for (size_t n = 0; n < count; ++n)
  {
    if constexpr (std::is_signed_v<TStored>)
    {
      values[n] = static_cast<TStored>(static_cast<TStored>(static_cast<Unsigned>(values[n]) << unused) >> unused);
    }
    else
    {
      values[n] = static_cast<TStored>(static_cast<Unsigned>(values[n] << unused) >> unused);
    }
  }
}
} // namespace

bool
ReadNativeSliceHU(const DicomFileInfo & file, unsigned int columns, unsigned int rows, HUPixelType * out)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  const size_t count = size_t(columns) * rows;
  if (file.PixelDataOffset == 0 || file.Rows != rows || file.Columns != columns || file.SamplesPerPixel != 1 ||
      file.NumberOfFrames != 1 || file.BitsAllocated != 16 || file.BitsStored < 1 || file.BitsStored > 16 ||
      file.HighBit + 1 != file.BitsStored || file.PhotometricInterpretation != "MONOCHROME2" ||
      file.PixelDataLength < 2 * count)
  {
    return false;
  }
  thread_local std::vector<int16_t> stored;
  stored.resize(count);
  const int descriptor = ::open(file.Path.c_str(), O_RDONLY | O_CLOEXEC);
  if (descriptor < 0)
  {
    throw Error(ErrorKind::InvalidInput, file.Path, std::string("cannot open: ") + std::strerror(errno));
  }
  const size_t bytes = 2 * count;
  size_t       done = 0;
  while (done < bytes)
  {
    const ssize_t got = ::pread(descriptor,
                                reinterpret_cast<char *>(stored.data()) + done,
                                bytes - done,
                                static_cast<off_t>(file.PixelDataOffset + done));
    if (got <= 0)
    {
      if (got < 0 && errno == EINTR)
      {
        continue;
      }
      const int error = errno;
      ::close(descriptor);
      throw Error(ErrorKind::InvalidInput,
                  file.Path,
                  got == 0 ? std::string("truncated pixel data") : std::string("cannot read: ") + std::strerror(error));
    }
    done += static_cast<size_t>(got);
  }
  ::close(descriptor);
  if (file.PixelRepresentation == 1)
  {
    if (file.BitsStored < 16)
    {
      CleanUnusedBits(stored.data(), count, file.BitsStored);
    }
    Rescale<int16_t>(
      reinterpret_cast<const char *>(stored.data()), count, file.RescaleSlope, file.RescaleIntercept, out);
  }
  else
  {
    auto * values = reinterpret_cast<uint16_t *>(stored.data());
    if (file.BitsStored < 16)
    {
      CleanUnusedBits(values, count, file.BitsStored);
    }
    Rescale<uint16_t>(reinterpret_cast<const char *>(values), count, file.RescaleSlope, file.RescaleIntercept, out);
  }
  return true;
#else
  (void)file;
  (void)columns;
  (void)rows;
  (void)out;
  return false;
#endif
}

void
ReadSliceHU(const DicomFileInfo & file, unsigned int columns, unsigned int rows, HUPixelType * out, bool allowNative)
{
  if (allowNative && ReadNativeSliceHU(file, columns, rows, out))
  {
    return;
  }
  gdcm::ImageReader reader;
  reader.SetFileName(file.Path.c_str());
  bool read = false;
  if (!RunGuardedDecoder(
        file.Path, [&]() { read = reader.Read(); }, file.DecodedFloatBytes(), false) ||
      !read)
  {
    throw Error(ErrorKind::InvalidInput, file.Path, "cannot be read as a DICOM image");
  }
  const gdcm::Image & image = reader.GetImage();
  if (image.GetDimension(0) != columns || image.GetDimension(1) != rows)
  {
    throw Error(ErrorKind::InvalidInput,
                file.Path,
                "matrix " + std::to_string(image.GetDimension(0)) + "x" + std::to_string(image.GetDimension(1)) +
                  " differs from the series' " + std::to_string(columns) + "x" + std::to_string(rows));
  }
  const gdcm::PixelFormat format = image.GetPixelFormat();
  if (format.GetSamplesPerPixel() != 1)
  {
    throw Error(ErrorKind::InvalidInput, file.Path, "colour image, not a CT slice");
  }
  thread_local std::vector<char> buffer; // reused: no fresh pages for every slice
  bool                           decoded = false;
  if (!RunGuardedDecoder(
        file.Path,
        [&]() {
          buffer.resize(image.GetBufferLength());
          decoded = image.GetBuffer(buffer.data());
        },
        file.DecodedFloatBytes(),
        false) ||
      !decoded)
  {
    throw Error(ErrorKind::InvalidInput, file.Path, "pixel data cannot be decoded (" + file.TransferSyntaxName + ")");
  }
  const size_t count = size_t(columns) * rows;
  const double slope = file.RescaleSlope;
  const double intercept = file.RescaleIntercept;
  switch (format.GetScalarType())
  {
    case gdcm::PixelFormat::UINT8:
      Rescale<uint8_t>(buffer.data(), count, slope, intercept, out);
      break;
    case gdcm::PixelFormat::INT8:
      Rescale<int8_t>(buffer.data(), count, slope, intercept, out);
      break;
    case gdcm::PixelFormat::UINT12:
    case gdcm::PixelFormat::UINT16:
      Rescale<uint16_t>(buffer.data(), count, slope, intercept, out);
      break;
    case gdcm::PixelFormat::INT12:
    case gdcm::PixelFormat::INT16:
      Rescale<int16_t>(buffer.data(), count, slope, intercept, out);
      break;
    case gdcm::PixelFormat::UINT32:
      Rescale<uint32_t>(buffer.data(), count, slope, intercept, out);
      break;
    case gdcm::PixelFormat::INT32:
      Rescale<int32_t>(buffer.data(), count, slope, intercept, out);
      break;
    default:
      throw Error(
        ErrorKind::InvalidInput, file.Path, std::string("unsupported pixel format ") + format.GetScalarTypeAsString());
  }
  if (image.GetPhotometricInterpretation() == gdcm::PhotometricInterpretation::MONOCHROME1)
  {
    throw Error(ErrorKind::InvalidInput, file.Path, "MONOCHROME1 (inverted grey scale) is not a CT convention");
  }
}

void
DicomSliceStackSource::SetSlices(const std::vector<DicomFileInfo> & files, const SliceGeometry & geometry)
{
  m_Files = files;
  m_Geometry = geometry;
  this->Modified();
}

void
DicomSliceStackSource::GenerateOutputInformation()
{
  auto *                     output = this->GetOutput();
  HUImageType::SizeType      size{ { m_Geometry.Columns, m_Geometry.Rows, m_Files.size() } };
  HUImageType::PointType     origin;
  HUImageType::SpacingType   spacing;
  HUImageType::DirectionType direction;
  for (unsigned int r = 0; r < 3; ++r)
  {
    origin[r] = m_Geometry.Positions.empty() ? 0.0 : m_Geometry.Positions.front()[r];
    direction[r][0] = m_Geometry.Row[r];
    direction[r][1] = m_Geometry.Column[r];
    direction[r][2] = m_Geometry.Normal[r];
  }
  spacing[0] = m_Geometry.InPlaneSpacing[0];
  spacing[1] = m_Geometry.InPlaneSpacing[1];
  spacing[2] = m_Geometry.MedianStep > 0.0 ? m_Geometry.MedianStep : 1.0;
  output->SetLargestPossibleRegion(HUImageType::RegionType(size));
  output->SetOrigin(origin);
  output->SetSpacing(spacing);
  output->SetDirection(direction);
}

void
DicomSliceStackSource::GenerateData()
{
  auto * output = this->GetOutput();
  // Whole slices are decoded; the requested region is widened to whole slices.
  auto region = output->GetRequestedRegion();
  region.SetIndex(0, 0);
  region.SetIndex(1, 0);
  region.SetSize(0, m_Geometry.Columns);
  region.SetSize(1, m_Geometry.Rows);
  output->SetBufferedRegion(region);
  output->Allocate();

  const size_t sliceSize = size_t(m_Geometry.Columns) * m_Geometry.Rows;
  const auto   first = region.GetIndex(2);
  std::mutex   mutex;
  std::string  problem;
  std::string  problemFile;
  auto         work = [&](itk::SizeValueType n) {
    const size_t k = static_cast<size_t>(first) + n;
    try
    {
      ReadSliceHU(m_Files[k], m_Geometry.Columns, m_Geometry.Rows, output->GetBufferPointer() + n * sliceSize, true);
    }
    catch (const std::exception & e)
    {
      const std::lock_guard<std::mutex> lock(mutex);
      if (problem.empty() || m_Files[k].Path < problemFile)
      {
        problem = e.what();
        problemFile = m_Files[k].Path;
      }
    }
  };
  {
    const SilencedStderr quiet; // a decoder's assertion text must not break the one-line error
    this->GetMultiThreader()->ParallelizeArray(0, region.GetSize(2), work, this);
  }
  if (!problem.empty())
  {
    throw Error(ErrorKind::InvalidInput, problem);
  }
}

void
DicomSliceStackSource::PrintSelf(std::ostream & os, itk::Indent indent) const
{
  Superclass::PrintSelf(os, indent);
  os << indent << "Files: " << m_Files.size() << std::endl;
  os << indent << "Slice step: " << m_Geometry.MedianStep << " mm" << std::endl;
}

} // namespace ctp
