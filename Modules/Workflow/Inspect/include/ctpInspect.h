#ifndef ctpInspect_h
#define ctpInspect_h

#include "ctpSlicePngWriter.h"

#include <nlohmann/json.hpp>

#include <string>

namespace ctp
{
/** Parameters of `ctprep inspect`. */
struct InspectOptions
{
  std::string   Path;   ///< a DICOM file or a folder (searched recursively)
  std::string   Group;  ///< only elements whose keyword contains this word (Patient, Study, Series, Image)
  std::string   Tag;    ///< one element: "0010,0020" or a keyword
  std::string   Png;    ///< write the slice (a folder: the middle slice of the chosen series) here
  DisplayWindow Window; ///< for the PNG
  std::string   Series; ///< for a folder: the series whose file --group/--tag/--png use
  bool          KeepPatientData{ false };
};

/** \brief The tutorial's first chapter as a function: what is in a DICOM file or folder.
 *
 * A folder: every series found (UID, number, description, modality, files, matrix, spacing,
 * orientation, slice spacing along the normal, tilt, transfer syntaxes, warnings, why it was set
 * aside, which one `ctprep run` would take). A file: every element with tag, VR, keyword and value,
 * and the pixel matrix shape. --group and --tag narrow the elements (for a folder, of the first file
 * of the chosen series). Identifying values are redacted unless KeepPatientData. Returns JSON;
 * FormatInspection() renders it for people. Throws ctp::Error. */
nlohmann::json
Inspect(const InspectOptions & options);

/** Human-readable text of Inspect()'s result. */
std::string
FormatInspection(const nlohmann::json & inspection);

} // namespace ctp

#endif
