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
#include <utility>
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
  auto        read16 = [&](size_t at) {
    uint8_t b[2] = {};
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char *>(b), 2);
    return static_cast<uint16_t>(b[0] | (b[1] << 8));
  };
  auto read32 = [&](size_t at) {
    uint8_t b[4] = {};
    in.seekg(static_cast<std::streamoff>(at));
    in.read(reinterpret_cast<char *>(b), 4);
    return static_cast<uint32_t>(b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24));
  };
  auto isVR = [](char a, char b) { return a >= 'A' && a <= 'Z' && b >= 'A' && b <= 'Z'; };
  for (int elements = 0; elements < 100000 && position + 8 <= fileSize; ++elements)
  {
    const uint16_t group = read16(position);
    const uint16_t element = read16(position + 2);
    if (inMeta && group != 0x0002)
    {
      inMeta = false;
      if (transferSyntax == "1.2.840.10008.1.2.2" || transferSyntax == "1.2.840.10008.1.2.1.99")
      {
        return {}; // big endian or deflated data set: GDCM's job
      }
      char vr[2] = {};
      in.seekg(static_cast<std::streamoff>(position + 4));
      in.read(vr, 2);
      explicitVR = isVR(vr[0], vr[1]);
    }
    if (group == 0x7fe0 && element == 0x0010)
    {
      return {}; // pixel data: its length is checked against the image size later
    }
    if (group == 0xfffe)
    {
      return {}; // an item delimiter at top level: leave it to GDCM
    }
    uint32_t length = 0;
    size_t   header = 8;
    if (explicitVR || inMeta)
    {
      char vr[2] = {};
      in.seekg(static_cast<std::streamoff>(position + 4));
      in.read(vr, 2);
      const std::string v(vr, 2);
      if (v == "OB" || v == "OW" || v == "OF" || v == "SQ" || v == "UT" || v == "UN" || v == "OD" || v == "OL" ||
          v == "OV" || v == "UC" || v == "UR" || v == "SV" || v == "UV")
      {
        length = read32(position + 8);
        header = 12;
      }
      else
      {
        length = read16(position + 6);
      }
    }
    else
    {
      length = read32(position + 4);
    }
    if (length == 0xffffffffu)
    {
      return {}; // undefined length (a sequence): GDCM walks it
    }
    if (position + header + length > fileSize)
    {
      char tag[16];
      std::snprintf(tag, sizeof(tag), "(%04X,%04X)", group, element);
      return std::string("malformed: element ") + tag + " declares " + std::to_string(length) +
             " bytes, the file has " + std::to_string(fileSize - position - std::min(header, fileSize - position)) +
             " left";
    }
    if (group == 0x0002 && element == 0x0010 && length < 128)
    {
      transferSyntax.assign(length, '\0');
      in.seekg(static_cast<std::streamoff>(position + header));
      in.read(transferSyntax.data(), length);
      while (!transferSyntax.empty() && (transferSyntax.back() == '\0' || transferSyntax.back() == ' '))
      {
        transferSyntax.pop_back();
      }
    }
    position += header + length;
  }
  return {};
}

/** Where the value of a native pixel data element starts, given the position at which GDCM stopped in
 * front of (or just past the header of) (7FE0,0010). Checks the element header byte by byte; returns
 * {offset, length} or {0, 0} when the bytes do not say so unambiguously. */
std::pair<size_t, size_t>
LocateNativePixelData(const std::string & path, size_t position, size_t fileSize, bool explicitVR)
{
  std::ifstream in(path, std::ios::binary);
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

/** The header fields of one file; std::nullopt when it is not DICOM. GDCM may abort() inside. */
std::optional<DicomFileInfo>
ParseHeader(const std::string & path, size_t fileSize, bool preamble)
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
  info.BitsStored = static_cast<unsigned int>(number(0x0028, 0x0101).value_or(info.BitsAllocated));
  info.HighBit = static_cast<unsigned int>(number(0x0028, 0x0102).value_or(info.BitsStored ? info.BitsStored - 1 : 0));
  info.PhotometricInterpretation = get(0x0028, 0x0004);
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
    else if (info.TransferSyntaxUID == "1.2.840.10008.1.2" || info.TransferSyntaxUID == "1.2.840.10008.1.2.1")
    {
      const auto [offset, length] =
        LocateNativePixelData(path, position, fileSize, info.TransferSyntaxUID == "1.2.840.10008.1.2.1");
      if (offset > 0 && length >= expected && offset + expected <= fileSize)
      {
        info.PixelDataOffset = offset;
        info.PixelDataLength = length;
      }
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
  const bool                   finished = RunGuardedAgainstAbort([&]() {
    result = ParseHeader(path, fileSize, preamble);
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
  return result;
}

} // namespace ctp
