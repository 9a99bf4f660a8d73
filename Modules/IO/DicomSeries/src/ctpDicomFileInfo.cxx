#include "ctpDicomFileInfo.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"

#include "gdcmReader.h"
#include "gdcmStringFilter.h"
#include "gdcmTransferSyntax.h"
#include "gdcmUIDs.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace ctp
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

std::string
Upper(std::string text)
{
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::toupper(c); });
  return text;
}

/** Is there a DICOM preamble ("DICM" at byte 128)? Cheap check before handing the file to GDCM. */
bool
HasDicomPreamble(std::ifstream & in)
{
  char magic[4] = {};
  in.seekg(128);
  in.read(magic, 4);
  return in.gcount() == 4 && std::memcmp(magic, "DICM", 4) == 0;
}

uint16_t
Read16(std::ifstream & in, size_t at)
{
  uint8_t b[2] = {};
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char *>(b), 2);
  return static_cast<uint16_t>(b[0] | (b[1] << 8));
}

uint32_t
Read32(std::ifstream & in, size_t at)
{
  uint8_t b[4] = {};
  in.clear();
  in.seekg(static_cast<std::streamoff>(at));
  in.read(reinterpret_cast<char *>(b), 4);
  return static_cast<uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24));
}

/** Tag, declared value length and header size of the (little endian) element at `position`. */
struct ElementHeader
{
  uint16_t Group{ 0 };
  uint16_t Element{ 0 };
  uint32_t Length{ 0 };
  size_t   Size{ 8 };
};

ElementHeader
ReadElementHeader(std::ifstream & in, size_t position, bool explicitVR)
{
  ElementHeader h;
  h.Group = Read16(in, position);
  h.Element = Read16(in, position + 2);
  if (h.Group == 0xfffe)
  {
    h.Length = Read32(in, position + 4); // items and delimiters have no VR in any transfer syntax
    return h;
  }
  if (explicitVR)
  {
    char vr[2] = {};
    in.clear();
    in.seekg(static_cast<std::streamoff>(position + 4));
    in.read(vr, 2);
    const std::string v(vr, 2);
    if (v == "OB" || v == "OW" || v == "OF" || v == "SQ" || v == "UT" || v == "UN" || v == "OD" || v == "OL" ||
        v == "OV" || v == "UC" || v == "UR" || v == "SV" || v == "UV")
    {
      h.Length = Read32(in, position + 8);
      h.Size = 12;
    }
    else
    {
      h.Length = Read16(in, position + 6);
    }
  }
  else
  {
    h.Length = Read32(in, position + 4);
  }
  return h;
}

std::string
DeclaresTooMuch(const ElementHeader & h, size_t position, size_t fileSize, const char * what = "element")
{
  char tag[16];
  std::snprintf(tag, sizeof(tag), "(%04X,%04X)", h.Group, h.Element);
  return std::string("malformed: ") + what + " " + tag + " declares " + std::to_string(h.Length) +
         " bytes, the file has " + std::to_string(fileSize - position - std::min(h.Size, fileSize - position)) +
         " left";
}

/** \brief Walks the top-level element headers (after the preamble) and returns why the file is
 * malformed, or an empty string. A declared length beyond the end of the file makes GDCM reserve
 * that much memory before it finds out (a 3 KB file asked for 2 GB in fuzzing): refuse it first.
 * Explicit VR little endian for the meta group; the data set's VR form is sniffed from its first
 * element. Stops at the pixel data or an element of undefined length (sequences are GDCM's job). */
std::string
CheckDeclaredLengths(std::ifstream & in, size_t fileSize, bool preamble)
{
  size_t      position = preamble ? 132 : 0;
  bool        explicitVR = true;
  bool        inMeta = preamble;
  std::string transferSyntax;
  auto        isVR = [](char a, char b) { return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z'; };
  for (int elements = 0; elements < 100000 && position + 8 <= fileSize; ++elements)
  {
    const uint16_t group = Read16(in, position);
    if (inMeta && group != 0x0002)
    {
      inMeta = false;
      if (transferSyntax == "1.2.840.10008.1.2.2" || transferSyntax == "1.2.840.10008.1.2.1.99")
      {
        return {}; // big endian or deflated data set: GDCM's job
      }
      char vr[2] = {};
      in.clear();
      in.seekg(static_cast<std::streamoff>(position + 4));
      in.read(vr, 2);
      explicitVR = isVR(vr[0], vr[1]);
    }
    const ElementHeader h = ReadElementHeader(in, position, explicitVR || inMeta);
    if (h.Group == 0x7fe0 && h.Element == 0x0010)
    {
      return {}; // pixel data: checked with what follows it once GDCM has found it (CheckPixelDataLengths)
    }
    if (h.Group == 0xfffe)
    {
      return {}; // an item delimiter at top level: leave it to GDCM
    }
    if (h.Length == 0xffffffffu)
    {
      return {}; // undefined length (a sequence): GDCM walks it
    }
    if (position + h.Size + h.Length > fileSize)
    {
      return DeclaresTooMuch(h, position, fileSize);
    }
    if (h.Group == 0x0002 && h.Element == 0x0010 && h.Length < 128)
    {
      transferSyntax.assign(h.Length, '\0');
      in.clear();
      in.seekg(static_cast<std::streamoff>(position + h.Size));
      in.read(transferSyntax.data(), h.Length);
      while (!transferSyntax.empty() && (transferSyntax.back() == '\0' || transferSyntax.back() == ' '))
      {
        transferSyntax.pop_back();
      }
    }
    position += h.Size + h.Length;
  }
  return {};
}

/** \brief The same check from the pixel data on, which GDCM reads in full when it decodes: the pixel
 * data's declared length, the items of encapsulated (compressed) pixel data, and the top-level
 * elements after it (trailing padding, or garbage). Fuzzing found 3 KB files that made the decoder
 * reserve 4 GB for an element after the pixel data and 12 GB for one JPEG 2000 fragment; a pixel
 * data length beyond the file made it reserve 4 GB and decode anyway. `valueStart` is where the
 * pixel data's value starts (its 4-byte length just before it); little endian data sets only.
 * A pixel data element cut short is reported here only when `truncated` has not said so already. */
std::string
CheckPixelDataLengths(std::ifstream & in, size_t fileSize, size_t valueStart, bool explicitVR, bool truncated)
{
  if (valueStart < 12 || valueStart > fileSize)
  {
    return {};
  }
  ElementHeader pixelData;
  pixelData.Group = 0x7fe0;
  pixelData.Element = 0x0010;
  pixelData.Length = Read32(in, valueStart - 4);
  size_t position = valueStart;
  if (pixelData.Length != 0xffffffffu)
  {
    if (valueStart + pixelData.Length > fileSize)
    {
      pixelData.Size = 0;
      return truncated ? std::string() : DeclaresTooMuch(pixelData, valueStart, fileSize);
    }
    position += pixelData.Length;
  }
  else
  {
    // Encapsulated: items (basic offset table, fragments) up to the sequence delimiter.
    for (int items = 0;; ++items)
    {
      if (items >= 100000 || position + 8 > fileSize)
      {
        return {}; // cut short: GDCM reports it, without reserving anything large
      }
      const ElementHeader item = ReadElementHeader(in, position, false);
      if (item.Group == 0xfffe && item.Element == 0xe0dd)
      {
        position += 8;
        break;
      }
      if (item.Group != 0xfffe || item.Element != 0xe000)
      {
        return {}; // not an item: GDCM refuses it
      }
      if (item.Length == 0xffffffffu || position + 8 + item.Length > fileSize)
      {
        return DeclaresTooMuch(item, position, fileSize, "item of the pixel data");
      }
      position += 8 + item.Length;
    }
  }
  for (int elements = 0; elements < 100000 && position + 8 <= fileSize; ++elements)
  {
    const ElementHeader h = ReadElementHeader(in, position, explicitVR);
    if (h.Length == 0xffffffffu)
    {
      return {}; // a sequence after the pixel data: GDCM walks it
    }
    if (position + h.Size + h.Length > fileSize)
    {
      return DeclaresTooMuch(h, position, fileSize);
    }
    position += h.Size + h.Length;
  }
  return {};
}

/** The header fields of one file; std::nullopt when it is not DICOM. GDCM may abort() inside. */
std::optional<DicomFileInfo>
ParseHeader(const std::string & path, size_t fileSize, bool preamble, size_t & pixelValueStart)
{
  gdcm::Reader reader;
  reader.SetFileName(path.c_str());
  const gdcm::Tag pixelDataTag(0x7fe0, 0x0010);
  // Stop in front of the pixel data without loading it: the header is all a scan needs.
  if (!reader.ReadUpToTag(pixelDataTag, { pixelDataTag }))
  {
    return std::nullopt;
  }
  const gdcm::File &    file = reader.GetFile();
  const gdcm::DataSet & ds = file.GetDataSet();
  gdcm::StringFilter    sf;
  sf.SetFile(file);
  auto get = [&](uint16_t group, uint16_t element) -> std::string {
    const gdcm::Tag tag(group, element);
    return ds.FindDataElement(tag) ? Trim(sf.ToString(tag)) : std::string();
  };
  auto getHeader = [&](uint16_t group, uint16_t element) -> std::string {
    const gdcm::Tag tag(group, element);
    const auto &    header = file.GetHeader();
    if (!header.FindDataElement(tag))
    {
      return {};
    }
    const auto & de = header.GetDataElement(tag);
    const auto * bv = de.GetByteValue();
    return bv ? Trim(std::string(bv->GetPointer(), bv->GetLength())) : std::string();
  };

  DicomFileInfo info;
  info.Path = path;
  info.SOPClassUID = get(0x0008, 0x0016);
  if (info.SOPClassUID.empty())
  {
    info.SOPClassUID = getHeader(0x0002, 0x0002);
  }
  info.SOPInstanceUID = get(0x0008, 0x0018);
  info.SeriesInstanceUID = get(0x0020, 0x000e);
  if (!preamble && info.SOPClassUID.empty() && info.SeriesInstanceUID.empty())
  {
    return std::nullopt; // GDCM parses almost anything without a preamble; this is not DICOM
  }
  info.Modality = get(0x0008, 0x0060);
  info.StudyInstanceUID = get(0x0020, 0x000d);
  info.SeriesNumber = get(0x0020, 0x0011);
  info.SeriesDescription = get(0x0008, 0x103e);
  info.ImageType = get(0x0008, 0x0008);
  const gdcm::TransferSyntax ts = file.GetHeader().GetDataSetTransferSyntax();
  info.TransferSyntaxUID = gdcm::TransferSyntax::GetTSString(ts) ? Trim(gdcm::TransferSyntax::GetTSString(ts)) : "";
  gdcm::UIDs uid;
  info.TransferSyntaxName = uid.SetFromUID(info.TransferSyntaxUID.c_str()) && uid.GetName() ? uid.GetName() : "";
  if (info.TransferSyntaxName.empty())
  {
    info.TransferSyntaxName = info.TransferSyntaxUID;
  }
  info.IsCompressed = ts.IsEncapsulated();

  auto number = [&](uint16_t group, uint16_t element) -> std::optional<double> {
    const auto values = ParseNumbers(get(group, element));
    return values.empty() ? std::nullopt : std::optional<double>(values.front());
  };
  info.Rows = static_cast<unsigned int>(number(0x0028, 0x0010).value_or(0));
  info.Columns = static_cast<unsigned int>(number(0x0028, 0x0011).value_or(0));
  info.NumberOfFrames = std::max(1u, static_cast<unsigned int>(number(0x0028, 0x0008).value_or(1)));
  info.BitsAllocated = static_cast<unsigned int>(number(0x0028, 0x0100).value_or(0));
  info.SamplesPerPixel = static_cast<unsigned int>(number(0x0028, 0x0002).value_or(1));
  info.PixelRepresentation = static_cast<int>(number(0x0028, 0x0103).value_or(0));
  info.InstanceNumber = static_cast<int>(number(0x0020, 0x0013).value_or(0));
  info.SliceThickness = number(0x0018, 0x0050);
  info.GantryTilt = number(0x0018, 0x1120);
  info.RescaleSlope = number(0x0028, 0x1053).value_or(1.0);
  info.RescaleIntercept = number(0x0028, 0x1052).value_or(0.0);
  if (info.RescaleSlope == 0.0)
  {
    info.RescaleSlope = 1.0;
  }
  info.PixelPaddingValue = number(0x0028, 0x0120);
  if (info.PixelPaddingValue && info.PixelRepresentation == 1 && info.BitsAllocated == 16 &&
      *info.PixelPaddingValue > 32767)
  {
    // US-encoded padding of signed data, as some writers do: reinterpret as int16.
    info.PixelPaddingValue = static_cast<double>(static_cast<int16_t>(static_cast<uint16_t>(*info.PixelPaddingValue)));
  }

  if (const auto spacing = ParseNumbers(get(0x0028, 0x0030)); spacing.size() == 2 && spacing[0] > 0 && spacing[1] > 0)
  {
    info.HasPixelSpacing = true;
    info.PixelSpacing = { { spacing[0], spacing[1] } };
  }
  if (const auto position = ParseNumbers(get(0x0020, 0x0032)); position.size() == 3)
  {
    info.HasPosition = true;
    info.ImagePositionPatient = { { position[0], position[1], position[2] } };
  }
  if (const auto orientation = ParseNumbers(get(0x0020, 0x0037)); orientation.size() == 6)
  {
    info.HasOrientation = true;
    std::copy(orientation.begin(), orientation.end(), info.ImageOrientationPatient.begin());
  }

  // The stream stops in front of the pixel data element: what is left of the file must hold it.
  const size_t position = reader.GetStreamCurrentPosition();
  info.HasPixelData = position != static_cast<size_t>(-1) && position < fileSize && info.Rows > 0 && info.Columns > 0;
  pixelValueStart = info.HasPixelData ? position : 0;
  if (info.HasPixelData && !info.IsCompressed && info.BitsAllocated > 0)
  {
    const size_t expected =
      size_t(info.Rows) * info.Columns * info.NumberOfFrames * info.SamplesPerPixel * ((info.BitsAllocated + 7) / 8);
    // The position is past the element's tag and length: the value starts here.
    if (fileSize < position + expected)
    {
      info.Truncated = true;
      const size_t present = fileSize - position;
      info.Problem = "truncated pixel data (" + std::to_string(present) + " of " + std::to_string(expected) + " bytes)";
    }
  }
  return info;
}
} // namespace

bool
DicomFileInfo::IsLocalizer() const
{
  return Upper(ImageType).find("LOCALIZER") != std::string::npos;
}

bool
DicomFileInfo::IsSecondaryCapture() const
{
  return SOPClassUID.rfind("1.2.840.10008.5.1.4.1.1.7", 0) == 0 ||
         Upper(ImageType).find("SECONDARY") != std::string::npos;
}

std::optional<DicomFileInfo>
ReadDicomFileInfo(const std::string & path)
{
  std::ifstream probe(path, std::ios::binary);
  if (!probe)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot open: ") + std::strerror(errno));
  }
  probe.seekg(0, std::ios::end);
  const auto fileSize = static_cast<size_t>(probe.tellg());
  if (fileSize < 132)
  {
    return std::nullopt;
  }
  const bool        preamble = HasDicomPreamble(probe);
  const std::string malformed = CheckDeclaredLengths(probe, fileSize, preamble);
  probe.close();
  if (!malformed.empty())
  {
    if (!preamble)
    {
      return std::nullopt; // garbage without a DICOM preamble: not DICOM
    }
    throw Error(ErrorKind::InvalidInput, path, malformed);
  }

  std::optional<DicomFileInfo> result;
  bool                         parsed = false;
  size_t                       pixelValueStart = 0;
  const bool                   finished = RunGuardedAgainstAbort([&]() {
    result = ParseHeader(path, fileSize, preamble, pixelValueStart);
    parsed = true;
  });
  if (!finished || !parsed)
  {
    if (!preamble)
    {
      return std::nullopt; // garbage without a DICOM preamble: not DICOM
    }
    throw Error(ErrorKind::InvalidInput, path, "malformed DICOM header (the parser gave up)");
  }
  // Decoding reads the whole file: the pixel data and what follows it must not declare more than it has.
  const std::string ts = result ? result->TransferSyntaxUID : std::string();
  if (result && pixelValueStart > 0 && ts != "1.2.840.10008.1.2.2" && ts != "1.2.840.10008.1.2.1.99")
  {
    std::ifstream     in(path, std::ios::binary);
    const std::string pixelMalformed =
      CheckPixelDataLengths(in, fileSize, pixelValueStart, ts != "1.2.840.10008.1.2", result->Truncated);
    if (!pixelMalformed.empty())
    {
      throw Error(ErrorKind::InvalidInput, path, pixelMalformed);
    }
  }
  return result;
}

} // namespace ctp
