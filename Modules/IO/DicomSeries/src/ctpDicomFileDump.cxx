#include "ctpDicomFileDump.h"
#include "ctpParameterSpelling.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"

#include "gdcmDicts.h"
#include "gdcmGlobal.h"
#include "gdcmReader.h"
#include "gdcmSequenceOfItems.h"
#include "gdcmStringFilter.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace ctp
{
namespace
{
const gdcm::Dicts &
Dictionaries()
{
  return gdcm::Global::GetInstance().GetDicts();
}

std::string
Printable(std::string text)
{
  while (!text.empty() && (text.back() == ' ' || text.back() == '\0'))
  {
    text.pop_back();
  }
  for (char & c : text)
  {
    if (!std::isprint(static_cast<unsigned char>(c)))
    {
      c = '.';
    }
  }
  constexpr size_t limit = 200;
  if (text.size() > limit)
  {
    text = text.substr(0, limit) + "...";
  }
  return text;
}

bool
IsBinary(const gdcm::VR & vr)
{
  return vr == gdcm::VR::OB || vr == gdcm::VR::OW || vr == gdcm::VR::OF || vr == gdcm::VR::OD || vr == gdcm::VR::OL ||
         vr == gdcm::VR::UN || vr == gdcm::VR::OV;
}
} // namespace

std::string
DicomElement::TagText() const
{
  char text[16];
  std::snprintf(text, sizeof(text), "(%04X,%04X)", Group, Element);
  return text;
}

std::optional<std::pair<uint16_t, uint16_t>>
ParseDicomTag(const std::string & text)
{
  std::string hex;
  for (const char c : text)
  {
    if (std::isxdigit(static_cast<unsigned char>(c)))
    {
      hex.push_back(c);
    }
    else if (c != '(' && c != ')' && c != ',' && c != ' ' && c != '|')
    {
      hex.clear();
      break;
    }
  }
  if (hex.size() == 8)
  {
    return std::make_pair(static_cast<uint16_t>(std::stoul(hex.substr(0, 4), nullptr, 16)),
                          static_cast<uint16_t>(std::stoul(hex.substr(4, 4), nullptr, 16)));
  }
  // A keyword: look it up in the public dictionary.
  const gdcm::Dict & dict = Dictionaries().GetPublicDict();
  gdcm::Tag          tag;
  const auto &       entry = dict.GetDictEntryByKeyword(text.c_str(), tag);
  if (entry.GetKeyword() != nullptr && text == entry.GetKeyword() && !text.empty())
  {
    return std::make_pair(tag.GetGroup(), tag.GetElement());
  }
  return std::nullopt;
}

bool
IsIdentifyingElement(uint16_t group, uint16_t element)
{
  if (group == 0x0010)
  {
    // Keep what describes the body, not the person: sex, age, size, weight.
    return !(element == 0x0040 || element == 0x1010 || element == 0x1020 || element == 0x1030);
  }
  const std::pair<uint16_t, uint16_t> identifying[] = {
    { 0x0008, 0x0050 }, // AccessionNumber
    { 0x0008, 0x0080 }, // InstitutionName
    { 0x0008, 0x0081 }, // InstitutionAddress
    { 0x0008, 0x0090 }, // ReferringPhysicianName
    { 0x0008, 0x0092 }, // ReferringPhysicianAddress
    { 0x0008, 0x0094 }, // ReferringPhysicianTelephoneNumbers
    { 0x0008, 0x1010 }, // StationName
    { 0x0008, 0x1040 }, // InstitutionalDepartmentName
    { 0x0008, 0x1048 }, // PhysiciansOfRecord
    { 0x0008, 0x1050 }, // PerformingPhysicianName
    { 0x0008, 0x1060 }, // NameOfPhysiciansReadingStudy
    { 0x0008, 0x1070 }, // OperatorsName
    { 0x0020, 0x0010 }, // StudyID
    { 0x0032, 0x1032 }, // RequestingPhysician
    { 0x0040, 0x0006 }, // ScheduledPerformingPhysicianName
    { 0x0040, 0x0244 }, // PerformedProcedureStepStartDate
    { 0x0040, 0x0253 }, // PerformedProcedureStepID
  };
  return std::find(std::begin(identifying), std::end(identifying), std::make_pair(group, element)) !=
         std::end(identifying);
}

namespace
{
std::vector<DicomElement>
Dump(const std::string & path, std::istream & stream, bool keepPatientData)
{
  gdcm::Reader    reader;
  const gdcm::Tag pixelData(0x7fe0, 0x0010);
  reader.SetStream(stream);
  if (!reader.ReadUpToTag(pixelData, { pixelData }))
  {
    throw Error(ErrorKind::InvalidInput, path, "not a DICOM file");
  }
  const gdcm::File & file = reader.GetFile();
  gdcm::StringFilter sf;
  sf.SetFile(file);
  std::vector<DicomElement> elements;
  auto                      add = [&](const gdcm::DataElement & de) {
    const gdcm::Tag & tag = de.GetTag();
    DicomElement      e;
    e.Group = tag.GetGroup();
    e.Element = tag.GetElement();
    const auto & entry = Dictionaries().GetDictEntry(tag);
    gdcm::VR     vr = de.GetVR();
    if (vr == gdcm::VR::INVALID || vr == gdcm::VR::UN)
    {
      vr = entry.GetVR();
    }
    e.VR = gdcm::VR::GetVRString(vr) ? gdcm::VR::GetVRString(vr) : "??";
    e.Keyword = tag.IsPrivate() ? std::string() : (entry.GetKeyword() ? entry.GetKeyword() : "");
    if (vr == gdcm::VR::SQ)
    {
      const auto items = de.GetValueAsSQ();
      e.Value = items ? "<sequence of " + std::to_string(items->GetNumberOfItems()) + " items>" : "<sequence>";
    }
    else if (IsBinary(vr) || tag.IsPrivate())
    {
      const auto * bv = de.GetByteValue();
      e.Value = "<" + std::to_string(bv ? static_cast<uint32_t>(bv->GetLength()) : 0u) + " bytes>";
      if (tag.IsPrivate() && bv && !IsBinary(vr))
      {
        e.Value = Printable(std::string(bv->GetPointer(), bv->GetLength()));
      }
    }
    else
    {
      e.Value = Printable(sf.ToString(tag));
    }
    if (!keepPatientData && IsIdentifyingElement(e.Group, e.Element) && !e.Value.empty())
    {
      e.Value = "<redacted: " + SpellParameter("keep_phi") + " shows it>";
      e.Redacted = true;
    }
    elements.push_back(std::move(e));
  };
  for (const auto & de : file.GetHeader().GetDES())
  {
    add(de);
  }
  for (const auto & de : file.GetDataSet().GetDES())
  {
    add(de);
  }
  // The pixel data element itself was not loaded: report its size from the file.
  const size_t    position = reader.GetStreamCurrentPosition();
  std::error_code ec;
  const auto      fileSize = std::filesystem::file_size(path, ec);
  if (!ec && position != static_cast<size_t>(-1) && position < fileSize)
  {
    DicomElement e;
    e.Group = 0x7fe0;
    e.Element = 0x0010;
    e.VR = "OW";
    e.Keyword = "PixelData";
    e.Value = "<" + std::to_string(fileSize - position) + " bytes" +
              (file.GetHeader().GetDataSetTransferSyntax().IsEncapsulated() ? ", encapsulated>" : ">");
    elements.push_back(std::move(e));
  }
  return elements;
}

} // namespace

std::vector<DicomElement>
DumpDicomFile(const std::string & path, bool keepPatientData)
{
  std::vector<DicomElement> elements;
  // The stream belongs to this frame, not to GDCM's reader: it is closed even when GDCM aborts.
  std::ifstream stream(path, std::ios::binary);
  if (!RunGuardedDecoder(path, [&]() { elements = Dump(path, stream, keepPatientData); }))
  {
    throw Error(ErrorKind::InvalidInput, path, "malformed DICOM (the parser gave up)");
  }
  return elements;
}

} // namespace ctp
