#include "ctpDicomSliceStackSource.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"

#include "itkMultiThreaderBase.h"

#include "gdcmImageReader.h"

#include <mutex>

namespace ctp
{
namespace
{
template <typename TStored>
void
Rescale(const char * buffer, size_t count, double slope, double intercept, float * out)
{
  const auto * stored = reinterpret_cast<const TStored *>(buffer);
  for (size_t n = 0; n < count; ++n)
  {
    out[n] = static_cast<float>(stored[n] * slope + intercept);
  }
}

/** Decodes one file into `out` (rows x columns floats); throws ctp::Error naming the file. */
void
ReadSlice(const DicomFileInfo & file, unsigned int columns, unsigned int rows, float * out)
{
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
  std::vector<char> buffer;
  bool              decoded = false;
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
} // namespace

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
  auto *                        output = this->GetOutput();
  FloatImageType::SizeType      size{ { m_Geometry.Columns, m_Geometry.Rows, m_Files.size() } };
  FloatImageType::PointType     origin;
  FloatImageType::SpacingType   spacing;
  FloatImageType::DirectionType direction;
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
  output->SetLargestPossibleRegion(FloatImageType::RegionType(size));
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
      ReadSlice(m_Files[k], m_Geometry.Columns, m_Geometry.Rows, output->GetBufferPointer() + n * sliceSize);
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
