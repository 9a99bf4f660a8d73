#include "ctpGdcmHeaderParser.h"

#include "gdcmReader.h"
#include "gdcmStringFilter.h"
#include "gdcmTransferSyntax.h"
#include "gdcmUIDs.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <sstream>
#include <utility>
#include <vector>

namespace ctp
{
namespace detail
{
namespace
{
std::string
Trim(std::string text)
{
  while (!text.empty() && (std::isspace(static_cast<unsigned char>(text.back())) || text.back() == '\0'))
  {
    text.pop_back();
  }
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start])))
  {
    ++start;
  }
  return text.substr(start);
}

std::vector<double>
ParseNumbers(const std::string & text)
{
  std::vector<double> values;
  std::string         item;
  std::istringstream  in(text);
  while (std::getline(in, item, '\\'))
  {
    item = Trim(item);
    if (item.empty())
    {
      continue;
    }
    try
    {
      values.push_back(std::stod(item));
    }
    catch (const std::exception &)
    {
      return {};
    }
  }
  return values;
}

/** Where the value of a native pixel data element starts, given the position at which GDCM stopped in
 * front of (or just past the header of) (7FE0,0010). Checks the element header byte by byte; returns
 * {offset, length} or {0, 0} when the bytes do not say so unambiguously. */
std::pair<size_t, size_t>
LocateNativePixelData(WindowedFile & in, size_t position, size_t fileSize, bool explicitVR)
{
  in.clear();
  if (!in || position < 12 || position + 12 > fileSize)
  {
    return { 0, 0 };
  }
  uint8_t b[24] = {};
  in.seekg(static_cast<std::streamoff>(position - 12));
  in.read(reinterpret_cast<char *>(b), sizeof(b));
  if (!in)
  {
    return { 0, 0 };
  }
  auto isTag = [&](size_t at) { return b[at] == 0xe0 && b[at + 1] == 0x7f && b[at + 2] == 0x10 && b[at + 3] == 0x00; };
  auto u32 = [&](size_t at) {
    return size_t(b[at]) | (size_t(b[at + 1]) << 8) | (size_t(b[at + 2]) << 16) | (size_t(b[at + 3]) << 24);
  };
  auto explicitOW = [&](size_t at) {
    return (b[at + 4] == 'O' && (b[at + 5] == 'W' || b[at + 5] == 'B')) && b[at + 6] == 0 && b[at + 7] == 0;
  };
  // The element header at the position (GDCM stopped in front of it) or ending at it (past it).
  for (const size_t at : { size_t(12), size_t(0), size_t(4) })
  {
    if (!isTag(at))
    {
      continue;
    }
    const size_t base = position - 12 + at;
    if (explicitVR && at != 4 && explicitOW(at))
    {
      return { base + 12, u32(at + 8) };
    }
    if (!explicitVR && at != 0)
    {
      return { base + 8, u32(at + 4) }; // implicit VR: tag, 4-byte length
    }
  }
  return { 0, 0 };
}

/** The text values of a file GDCM has parsed, trimmed; "" for an absent element. */
class HeaderFields
{
public:
  explicit HeaderFields(const gdcm::File & file)
    : m_File(file)
    , m_DataSet(file.GetDataSet())
  {
    m_Filter.SetFile(file);
  }

  /** An element of the data set, as GDCM's StringFilter renders it (numbers of binary VRs included). */
  std::string
  Text(uint16_t group, uint16_t element) const
  {
    const gdcm::Tag tag(group, element);
    return m_DataSet.FindDataElement(tag) ? Trim(m_Filter.ToString(tag)) : std::string();
  }

  /** An element of the file meta information (group 0002), its bytes as they are. */
  std::string
  MetaText(uint16_t group, uint16_t element) const
  {
    const gdcm::Tag tag(group, element);
    const auto &    header = m_File.GetHeader();
    if (!header.FindDataElement(tag))
    {
      return {};
    }
    const auto & de = header.GetDataElement(tag);
    const auto * bv = de.GetByteValue();
    return bv ? Trim(std::string(bv->GetPointer(), bv->GetLength())) : std::string();
  }

  /** The first number of an element, if it holds one. */
  std::optional<double>
  Number(uint16_t group, uint16_t element) const
  {
    const auto values = ParseNumbers(Text(group, element));
    return values.empty() ? std::nullopt : std::optional<double>(values.front());
  }

private:
  const gdcm::File &    m_File;
  const gdcm::DataSet & m_DataSet;
  gdcm::StringFilter    m_Filter;
};

/** Which instance, series and study the file belongs to. False when a file without a preamble names
 *  neither SOP class nor series: GDCM parses almost anything without a preamble; this is not DICOM. */
bool
ReadIdentity(const HeaderFields & fields, bool preamble, DicomFileInfo & info)
{
  info.SOPClassUID = fields.Text(0x0008, 0x0016);
  if (info.SOPClassUID.empty())
  {
    info.SOPClassUID = fields.MetaText(0x0002, 0x0002);
  }
  info.SOPInstanceUID = fields.Text(0x0008, 0x0018);
  info.SeriesInstanceUID = fields.Text(0x0020, 0x000e);
  if (!preamble && info.SOPClassUID.empty() && info.SeriesInstanceUID.empty())
  {
    return false;
  }
  info.Modality = fields.Text(0x0008, 0x0060);
  info.StudyInstanceUID = fields.Text(0x0020, 0x000d);
  info.SeriesNumber = fields.Text(0x0020, 0x0011);
  info.SeriesDescription = fields.Text(0x0008, 0x103e);
  info.ImageType = fields.Text(0x0008, 0x0008);
  return true;
}

/** The transfer syntax of the data set, its name, and whether its pixel data is encapsulated. */
void
ReadTransferSyntax(const gdcm::File & file, DicomFileInfo & info)
{
  const gdcm::TransferSyntax ts = file.GetHeader().GetDataSetTransferSyntax();
  info.TransferSyntaxUID = gdcm::TransferSyntax::GetTSString(ts) ? Trim(gdcm::TransferSyntax::GetTSString(ts)) : "";
  gdcm::UIDs uid;
  info.TransferSyntaxName = uid.SetFromUID(info.TransferSyntaxUID.c_str()) && uid.GetName() ? uid.GetName() : "";
  if (info.TransferSyntaxName.empty())
  {
    info.TransferSyntaxName = info.TransferSyntaxUID;
  }
  info.IsCompressed = ts.IsEncapsulated();
}

/** How the pixels are stored and what they mean: size, bits, samples, rescale to HU, padding. */
void
ReadPixelDescription(const HeaderFields & fields, DicomFileInfo & info)
{
  info.Rows = static_cast<unsigned int>(fields.Number(0x0028, 0x0010).value_or(0));
  info.Columns = static_cast<unsigned int>(fields.Number(0x0028, 0x0011).value_or(0));
  info.NumberOfFrames = std::max(1u, static_cast<unsigned int>(fields.Number(0x0028, 0x0008).value_or(1)));
  info.BitsAllocated = static_cast<unsigned int>(fields.Number(0x0028, 0x0100).value_or(0));
  info.BitsStored = static_cast<unsigned int>(fields.Number(0x0028, 0x0101).value_or(info.BitsAllocated));
  info.HighBit =
    static_cast<unsigned int>(fields.Number(0x0028, 0x0102).value_or(info.BitsStored ? info.BitsStored - 1 : 0));
  info.PhotometricInterpretation = fields.Text(0x0028, 0x0004);
  info.SamplesPerPixel = static_cast<unsigned int>(fields.Number(0x0028, 0x0002).value_or(1));
  info.PixelRepresentation = static_cast<int>(fields.Number(0x0028, 0x0103).value_or(0));
  info.InstanceNumber = static_cast<int>(fields.Number(0x0020, 0x0013).value_or(0));
  info.SliceThickness = fields.Number(0x0018, 0x0050);
  info.GantryTilt = fields.Number(0x0018, 0x1120);
  info.RescaleSlope = fields.Number(0x0028, 0x1053).value_or(1.0);
  info.RescaleIntercept = fields.Number(0x0028, 0x1052).value_or(0.0);
  if (info.RescaleSlope == 0.0)
  {
    info.RescaleSlope = 1.0;
  }
  info.PixelPaddingValue = fields.Number(0x0028, 0x0120);
  if (info.PixelPaddingValue && info.PixelRepresentation == 1 && info.BitsAllocated == 16 &&
      *info.PixelPaddingValue > 32767)
  {
    // US-encoded padding of signed data, as some writers do: reinterpret as int16.
    info.PixelPaddingValue = static_cast<double>(static_cast<int16_t>(static_cast<uint16_t>(*info.PixelPaddingValue)));
  }
}

/** Where the slice is in the patient: pixel spacing, position and orientation, each when well formed. */
void
ReadGeometry(const HeaderFields & fields, DicomFileInfo & info)
{
  if (const auto spacing = ParseNumbers(fields.Text(0x0028, 0x0030));
      spacing.size() == 2 && spacing[0] > 0 && spacing[1] > 0)
  {
    info.HasPixelSpacing = true;
    info.PixelSpacing = { { spacing[0], spacing[1] } };
  }
  if (const auto position = ParseNumbers(fields.Text(0x0020, 0x0032)); position.size() == 3)
  {
    info.HasPosition = true;
    info.ImagePositionPatient = { { position[0], position[1], position[2] } };
  }
  if (const auto orientation = ParseNumbers(fields.Text(0x0020, 0x0037)); orientation.size() == 6)
  {
    info.HasOrientation = true;
    std::copy(orientation.begin(), orientation.end(), info.ImageOrientationPatient.begin());
  }
}

/** Whether the pixel data is there, cut short, and (native little-endian data) where its value is in
 *  the file; `position` is where GDCM's parse stopped in front of it. */
void
ReadPixelDataExtent(WindowedFile & in, size_t position, size_t fileSize, DicomFileInfo & info)
{
  // The stream stops in front of the pixel data element: what is left of the file must hold it.
  info.HasPixelData = position != static_cast<size_t>(-1) && position < fileSize && info.Rows > 0 && info.Columns > 0;
  if (info.HasPixelData && !info.IsCompressed && info.BitsAllocated > 0)
  {
    const size_t expected = info.PixelDataBytes();
    // The position is past the element's tag and length: the value starts here.
    if (fileSize < position + expected)
    {
      info.Truncated = true;
      const size_t present = fileSize - position;
      info.Problem = "truncated pixel data (" + std::to_string(present) + " of " + std::to_string(expected) + " bytes)";
    }
    else if (info.TransferSyntaxUID == "1.2.840.10008.1.2" || info.TransferSyntaxUID == "1.2.840.10008.1.2.1")
    {
      const auto [offset, length] =
        LocateNativePixelData(in, position, fileSize, info.TransferSyntaxUID == "1.2.840.10008.1.2.1");
      if (offset > 0 && length >= expected && offset + expected <= fileSize)
      {
        info.PixelDataOffset = offset;
        info.PixelDataLength = length;
      }
    }
  }
}
} // namespace

std::optional<DicomFileInfo>
ParseHeaderWithGdcm(const std::string & path, std::istream & stream, WindowedFile & in, size_t fileSize, bool preamble,
                    size_t & pixelDataPosition)
{
  gdcm::Reader reader;
  reader.SetStream(stream);
  const gdcm::Tag pixelDataTag(0x7fe0, 0x0010);
  // Stop in front of the pixel data without loading it: the header is all a scan needs.
  if (!reader.ReadUpToTag(pixelDataTag, { pixelDataTag }))
  {
    return std::nullopt;
  }
  const gdcm::File & file = reader.GetFile();
  const HeaderFields fields(file);

  DicomFileInfo info;
  info.Path = path;
  if (!ReadIdentity(fields, preamble, info))
  {
    return std::nullopt;
  }
  ReadTransferSyntax(file, info);
  ReadPixelDescription(fields, info);
  ReadGeometry(fields, info);
  const size_t position = reader.GetStreamCurrentPosition();
  pixelDataPosition = position;
  ReadPixelDataExtent(in, position, fileSize, info);
  return info;
}

} // namespace detail
} // namespace ctp
