#include "ctpInspect.h"
#include "ctpText.h"
#include "ctpDicomFileDump.h"
#include "ctpDicomSeriesReader.h"
#include "ctpDicomSeriesScanner.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iomanip>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
std::string
OrientationLabel(const SliceGeometry & g)
{
  const double x = std::abs(g.Normal[0]);
  const double y = std::abs(g.Normal[1]);
  const double z = std::abs(g.Normal[2]);
  const double largest = std::max({ x, y, z });
  const char * name = largest == z ? "axial" : (largest == y ? "coronal" : "sagittal");
  return largest > 0.999 ? name : std::string("oblique, mostly ") + name;
}

nlohmann::json
SeriesJson(const DicomSeriesInfo & series, bool isDefault)
{
  const auto &   first = series.Files.front();
  nlohmann::json j;
  j["series_instance_uid"] = series.SeriesInstanceUID;
  j["series_number"] = series.SeriesNumber;
  j["series_description"] = series.SeriesDescription;
  j["modality"] = series.Modality;
  j["files"] = series.Files.size();
  j["matrix"] = { first.Columns, first.Rows };
  j["frames"] = first.NumberOfFrames;
  j["transfer_syntaxes"] = series.TransferSyntaxes;
  if (first.HasPixelSpacing)
  {
    j["pixel_spacing_mm"] = { first.PixelSpacing[1], first.PixelSpacing[0] };
  }
  if (first.HasOrientation)
  {
    j["image_orientation_patient"] = first.ImageOrientationPatient;
  }
  if (first.SliceThickness)
  {
    j["slice_thickness_mm"] = *first.SliceThickness;
  }
  if (series.Geometry)
  {
    const auto & g = *series.Geometry;
    j["orientation"] = OrientationLabel(g);
    j["slice_spacing_mm"] = g.MedianStep;
    j["slice_steps_mm"] = { { "min", g.MinStep }, { "max", g.MaxStep } };
    j["uniform_spacing"] = g.Uniform();
    j["missing_slices"] = g.MissingSlices;
    j["uneven_steps"] = g.UnevenSteps;
    j["duplicate_positions"] = g.DuplicatePositions;
    j["gantry_tilt_degrees"] = g.TiltDegrees;
    j["slices"] = g.DescribeSpacing();
  }
  j["candidate"] = series.IsCandidate();
  if (!series.IsCandidate())
  {
    j["set_aside_reason"] = series.SetAsideReason;
  }
  j["default"] = isDefault;
  j["warnings"] = series.Warnings;
  return j;
}

nlohmann::json
ElementsJson(const std::string & file, const InspectOptions & options)
{
  auto                                         elements = DumpDicomFile(file, options.KeepPatientData);
  nlohmann::json                               list = nlohmann::json::array();
  std::optional<std::pair<uint16_t, uint16_t>> tag;
  if (!options.Tag.empty())
  {
    tag = ParseDicomTag(options.Tag);
    if (!tag)
    {
      throw Error(ErrorKind::Usage,
                  SpellParameter("tag") + ": '" + options.Tag + "' is neither GGGG,EEEE nor a DICOM keyword");
    }
  }
  const std::string group = LowerCase(options.Group);
  for (const auto & e : elements)
  {
    if (tag && (e.Group != tag->first || e.Element != tag->second))
    {
      continue;
    }
    if (!group.empty() && LowerCase(e.Keyword).find(group) == std::string::npos)
    {
      continue;
    }
    list.push_back({ { "tag", e.TagText() },
                     { "vr", e.VR },
                     { "keyword", e.Keyword },
                     { "value", e.Value },
                     { "redacted", e.Redacted } });
  }
  if (tag && list.empty())
  {
    char text[16];
    std::snprintf(text, sizeof(text), "(%04X,%04X)", tag->first, tag->second);
    throw Error(ErrorKind::InvalidInput, file, std::string("has no element ") + text + " " + options.Tag);
  }
  return list;
}
} // namespace

nlohmann::json
Inspect(const InspectOptions & options)
{
  std::error_code ec;
  if (!fs::exists(options.Path, ec))
  {
    throw Error(ErrorKind::InvalidInput, options.Path, "does not exist");
  }
  nlohmann::json result;
  result["path"] = options.Path;
  std::string elementFile;
  if (fs::is_directory(options.Path, ec))
  {
    const DicomScan scan = ScanDicomPath(options.Path);
    result["kind"] = "folder";
    result["files_examined"] = scan.FilesExamined;
    result["skipped_files"] = { { "not_dicom", scan.NonDicomFiles.size() },
                                { "dicom_without_image", scan.NonImageFiles.size() },
                                { "dicomdir", scan.DicomDirFiles.size() } };
    result["unreadable_files"] = scan.UnreadableFiles;
    if (scan.Series.empty())
    {
      ChooseSeries(scan, options.Series); // throws the NoDicom error naming the folder
    }
    const DicomSeriesInfo * chosen = nullptr;
    std::string             problem;
    try
    {
      chosen = &ChooseSeries(scan, options.Series);
    }
    catch (const Error & e)
    {
      if (!options.Series.empty() || !options.Tag.empty() || !options.Group.empty() || !options.Png.empty())
      {
        throw;
      }
      problem = e.what(); // a listing of a folder without a usable series is still worth showing
    }
    result["series"] = nlohmann::json::array();
    for (const auto & series : scan.Series)
    {
      result["series"].push_back(SeriesJson(series, &series == chosen));
    }
    if (!problem.empty())
    {
      result["problem"] = problem;
    }
    if (chosen != nullptr)
    {
      result["chosen_series"] = chosen->SeriesInstanceUID;
      elementFile = chosen->Files[chosen->Files.size() / 2].Path;
    }
  }
  else
  {
    const auto info = ReadDicomFileInfo(options.Path);
    if (!info)
    {
      throw Error(ErrorKind::NoDicom, options.Path, "not a DICOM file");
    }
    result["kind"] = "file";
    result["transfer_syntax"] = info->TransferSyntaxName;
    result["pixel_matrix"] = { { "rows", info->Rows },
                               { "columns", info->Columns },
                               { "frames", info->NumberOfFrames },
                               { "bits_allocated", info->BitsAllocated },
                               { "signed", info->PixelRepresentation == 1 },
                               { "shape", { info->NumberOfFrames, info->Rows, info->Columns } } };
    if (info->Truncated)
    {
      result["problem"] = info->Problem;
    }
    elementFile = options.Path;
  }

  const bool wantElements = result["kind"] == "file" || !options.Tag.empty() || !options.Group.empty();
  if (wantElements && !elementFile.empty())
  {
    result["elements_of"] = elementFile;
    result["elements"] = ElementsJson(elementFile, options);
  }
  if (!options.Png.empty())
  {
    if (elementFile.empty())
    {
      throw Error(ErrorKind::NoSeries, options.Path, "no image to write as PNG");
    }
    const auto image = ReadDicomFile(elementFile);
    WriteSlicePng(image.GetPointer(), image->GetLargestPossibleRegion().GetIndex(2), options.Png, options.Window);
    result["png"] = { { "path", options.Png },
                      { "source", elementFile },
                      { "window", { options.Window.Center, options.Window.Width } } };
  }
  return result;
}

std::string
FormatInspection(const nlohmann::json & r)
{
  std::ostringstream out;
  out << std::setprecision(6);
  if (r["kind"] == "folder")
  {
    const auto & skipped = r["skipped_files"];
    out << r["path"].get<std::string>() << ": " << r["series"].size() << " series in "
        << r["files_examined"].get<size_t>() << " files examined";
    const size_t n = skipped["not_dicom"].get<size_t>() + skipped["dicom_without_image"].get<size_t>() +
                     skipped["dicomdir"].get<size_t>();
    if (n > 0)
    {
      out << " (" << n << " skipped: not DICOM, DICOMDIR/DIRFILE or without an image)";
    }
    out << "\n";
    for (const auto & u : r["unreadable_files"])
    {
      out << "  unreadable: " << u.get<std::string>() << "\n";
    }
    for (const auto & s : r["series"])
    {
      out << "\n"
          << (s["default"].get<bool>() ? "* " : (s["candidate"].get<bool>() ? "  " : "- ")) << "series "
          << s["series_number"].get<std::string>() << "  " << s["series_instance_uid"].get<std::string>() << "  "
          << s["modality"].get<std::string>();
      if (!s["series_description"].get<std::string>().empty())
      {
        out << "  '" << s["series_description"].get<std::string>() << "'";
      }
      out << (s["default"].get<bool>() ? "  [chosen by ctprep run]" : "") << "\n";
      out << "    files " << s["files"].get<size_t>() << ", matrix " << s["matrix"][0] << " x " << s["matrix"][1];
      if (s.contains("pixel_spacing_mm"))
      {
        out << ", pixel spacing " << s["pixel_spacing_mm"][0].get<double>() << " x "
            << s["pixel_spacing_mm"][1].get<double>() << " mm";
      }
      if (s.contains("orientation"))
      {
        out << ", " << s["orientation"].get<std::string>();
      }
      out << "\n";
      if (s.contains("slices"))
      {
        out << "    slices: " << s["slices"].get<std::string>();
        if (s.contains("slice_thickness_mm"))
        {
          out << " (SliceThickness " << s["slice_thickness_mm"].get<double>() << " mm)";
        }
        out << "\n";
      }
      out << "    transfer syntax: ";
      for (size_t i = 0; i < s["transfer_syntaxes"].size(); ++i)
      {
        out << (i ? ", " : "") << s["transfer_syntaxes"][i].get<std::string>();
      }
      out << "\n";
      if (s.contains("set_aside_reason"))
      {
        out << "    set aside: " << s["set_aside_reason"].get<std::string>() << "\n";
      }
      for (const auto & w : s["warnings"])
      {
        out << "    warning: " << w.get<std::string>() << "\n";
      }
    }
    if (r.contains("problem"))
    {
      out << "\n" << r["problem"].get<std::string>() << "\n";
    }
  }
  else
  {
    const auto & m = r["pixel_matrix"];
    out << r["path"].get<std::string>() << "\n  pixel matrix: " << m["rows"] << " rows x " << m["columns"]
        << " columns x " << m["frames"] << " frame(s), " << m["bits_allocated"] << " bits "
        << (m["signed"].get<bool>() ? "signed" : "unsigned") << ", " << r["transfer_syntax"].get<std::string>() << "\n";
    if (r.contains("problem"))
    {
      out << "  problem: " << r["problem"].get<std::string>() << "\n";
    }
  }
  if (r.contains("elements"))
  {
    if (r["kind"] == "folder")
    {
      out << "\nelements of " << r["elements_of"].get<std::string>() << ":\n";
    }
    for (const auto & e : r["elements"])
    {
      out << e["tag"].get<std::string>() << " " << e["vr"].get<std::string>() << " " << std::left << std::setw(36)
          << e["keyword"].get<std::string>() << std::right << " " << e["value"].get<std::string>() << "\n";
    }
  }
  if (r.contains("png"))
  {
    out << "PNG written: " << r["png"]["path"].get<std::string>() << " (from " << r["png"]["source"].get<std::string>()
        << ")\n";
  }
  return out.str();
}

} // namespace ctp
