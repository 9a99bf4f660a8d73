#ifndef ctpDicomFileDump_h
#define ctpDicomFileDump_h

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ctp
{
/** One data element of a DICOM file, as a person reads it. */
struct DicomElement
{
  uint16_t    Group{ 0 };
  uint16_t    Element{ 0 };
  std::string VR;
  std::string Keyword; ///< "PatientID"; empty for private or unknown tags
  std::string Value;   ///< text; "<N bytes>" for binary values, "<sequence of N items>" for SQ
  bool        Redacted{ false };

  /** "(0010,0020)" */
  std::string
  TagText() const;
};

/** A DICOM tag given as "0010,0020", "(0010,0020)", "00100020" or a keyword ("PatientID"). */
std::optional<std::pair<uint16_t, uint16_t>>
ParseDicomTag(const std::string & text);

/** Elements that identify a patient or an institution (PS3.15 basic profile, the common ones):
 *  patient names, IDs, birth date, address, telephone, other IDs; institution, physicians, operators,
 *  accession number, station name. Their values are redacted unless the user asks for them. */
bool
IsIdentifyingElement(uint16_t group, uint16_t element);

/** Every element of the file's meta header and top-level data set, in tag order. The pixel data is
 *  listed with its size, not read. Identifying values are replaced by "<redacted: --keep-phi shows
 *  it>" unless keepPatientData. Throws ctp::Error(InvalidInput) naming the file when it is not DICOM. */
std::vector<DicomElement>
DumpDicomFile(const std::string & path, bool keepPatientData);

} // namespace ctp

#endif
