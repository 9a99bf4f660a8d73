#include "ctpDicomSeriesScanner.h"
#include "ctpParameterSpelling.h"
#include "ctpError.h"

#include "itkMultiThreaderBase.h"


#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** Why a file cannot be a slice of a CT volume, or empty. */
std::string
SetAsideReasonOf(const DicomFileInfo & f)
{
  if (!f.HasPixelData || f.Rows == 0 || f.Columns == 0)
  {
    return "no image (no pixel data)";
  }
  if (f.Modality != "CT")
  {
    return "modality " + (f.Modality.empty() ? std::string("unknown") : f.Modality) + ", not CT";
  }
  if (f.IsLocalizer())
  {
    return "localizer (scout) image";
  }
  if (f.IsSecondaryCapture())
  {
    return "secondary capture (screenshot, report or derived view)";
  }
  if (f.IsEnhancedMultiFrame())
  {
    return "multi-frame (Enhanced CT) image: not supported, convert it to single-frame slices first";
  }
  if (!f.HasPixelSpacing)
  {
    return "no PixelSpacing";
  }
  if (!f.HasPosition || !f.HasOrientation)
  {
    return "no ImagePositionPatient/ImageOrientationPatient";
  }
  if (f.SamplesPerPixel != 1)
  {
    return "colour image";
  }
  return {};
}

std::string
OrientationKey(const DicomFileInfo & f)
{
  std::ostringstream key;
  for (const double v : f.ImageOrientationPatient)
  {
    key << std::lround(v * 1000.0) << ",";
  }
  return key.str();
}

/** What reading one file's header gave: its fields, "not DICOM" (no info, no error), or an error. */
struct ExaminedFile
{
  std::optional<DicomFileInfo> Info;
  std::string                  Error;
};

ExaminedFile
ExamineFile(const fs::path & path)
{
  ExaminedFile examined;
  try
  {
    examined.Info = ReadDicomFileInfo(path.string());
  }
  catch (const Error & e)
  {
    examined.Error = e.what();
  }
  return examined;
}

void
ScanFile(const fs::path & path, ExaminedFile && examined, DicomScan & scan,
         std::map<std::string, DicomSeriesInfo> & groups)
{
  ++scan.FilesExamined;
  if (!examined.Error.empty())
  {
    scan.UnreadableFiles.push_back(std::move(examined.Error));
    return;
  }
  auto & info = examined.Info;
  if (!info)
  {
    scan.NonDicomFiles.push_back(path.string());
    return;
  }
  if (info->IsDicomDir())
  {
    scan.DicomDirFiles.push_back(path.string());
    return;
  }
  if (!info->HasPixelData && info->SeriesInstanceUID.empty())
  {
    scan.NonImageFiles.push_back(path.string());
    return;
  }
  const std::string reason = SetAsideReasonOf(*info);
  const std::string key = info->SeriesInstanceUID + "|" + info->SeriesNumber + "|" +
                          (info->HasOrientation ? OrientationKey(*info) : "none") + "|" + reason;
  auto & group = groups[key];
  if (group.Files.empty())
  {
    group.SeriesInstanceUID = info->SeriesInstanceUID;
    group.SeriesNumber = info->SeriesNumber;
    group.SeriesDescription = info->SeriesDescription;
    group.Modality = info->Modality;
    group.SetAsideReason = reason;
  }
  if (std::find(group.TransferSyntaxes.begin(), group.TransferSyntaxes.end(), info->TransferSyntaxName) ==
      group.TransferSyntaxes.end())
  {
    group.TransferSyntaxes.push_back(info->TransferSyntaxName);
  }
  group.Files.push_back(std::move(*info));
}

void
Finish(DicomSeriesInfo & series, const SliceGeometryTolerances & tolerances)
{
  if (series.IsCandidate() && series.Modality != "CT")
  {
    series.SetAsideReason =
      "modality " + (series.Modality.empty() ? std::string("unknown") : series.Modality) + ", not CT";
  }
  const bool hasGeometry = std::all_of(series.Files.begin(), series.Files.end(), [](const DicomFileInfo & f) {
    return f.HasPosition && f.HasOrientation && f.HasPixelSpacing;
  });
  if (hasGeometry)
  {
    series.Geometry = AnalyzeSliceGeometry(series.Files, tolerances);
  }
  if (series.IsCandidate() && series.Files.size() < 2)
  {
    series.SetAsideReason = "a single slice, not a volume";
  }
  const auto & first = series.Files.front();
  for (const auto & f : series.Files)
  {
    if (f.Rows != first.Rows || f.Columns != first.Columns)
    {
      series.Warnings.push_back("mixed matrix sizes: " + f.Path + " is " + std::to_string(f.Columns) + "x" +
                                std::to_string(f.Rows) + ", " + first.Path + " is " + std::to_string(first.Columns) +
                                "x" + std::to_string(first.Rows));
      break;
    }
  }
  for (const auto & f : series.Files)
  {
    if (f.HasPixelSpacing && (std::abs(f.PixelSpacing[0] - first.PixelSpacing[0]) > 1e-4 ||
                              std::abs(f.PixelSpacing[1] - first.PixelSpacing[1]) > 1e-4))
    {
      series.Warnings.push_back("mixed pixel spacing: " + f.Path + " differs from " + first.Path);
      break;
    }
  }
  for (const auto & f : series.Files)
  {
    if (f.Truncated)
    {
      series.Warnings.push_back(f.Path + ": " + f.Problem);
    }
  }
  if (series.Geometry && series.IsCandidate())
  {
    const auto & g = *series.Geometry;
    if (!g.Uniform())
    {
      series.Warnings.push_back("slice spacing: " + g.DescribeSpacing());
    }
    else if (g.Tilted)
    {
      std::ostringstream text;
      text.precision(3);
      text << "gantry tilt of " << g.TiltDegrees << " degrees";
      series.Warnings.push_back(text.str());
    }
  }
}

bool
Before(const DicomSeriesInfo & a, const DicomSeriesInfo & b)
{
  if (a.IsCandidate() != b.IsCandidate())
  {
    return a.IsCandidate();
  }
  const bool axialA = a.Geometry && a.Geometry->IsAxial();
  const bool axialB = b.Geometry && b.Geometry->IsAxial();
  if (axialA != axialB)
  {
    return axialA;
  }
  if (a.Files.size() != b.Files.size())
  {
    return a.Files.size() > b.Files.size();
  }
  char *     endA = nullptr;
  char *     endB = nullptr;
  const long numberA = std::strtol(a.SeriesNumber.c_str(), &endA, 10);
  const long numberB = std::strtol(b.SeriesNumber.c_str(), &endB, 10);
  if (numberA != numberB)
  {
    return numberA < numberB;
  }
  return a.SeriesInstanceUID < b.SeriesInstanceUID;
}

/** Problems that make a candidate unreadable as one volume. */
void
ThrowIfBroken(const DicomSeriesInfo & series)
{
  for (const auto & f : series.Files)
  {
    if (f.Truncated)
    {
      throw Error(ErrorKind::InvalidInput, f.Path, f.Problem);
    }
  }
  for (const auto & warning : series.Warnings)
  {
    if (warning.rfind("mixed ", 0) == 0)
    {
      throw Error(ErrorKind::InvalidInput, "series " + series.Label() + ": " + warning);
    }
  }
}
} // namespace

std::string
DicomSeriesInfo::Label() const
{
  std::ostringstream text;
  text << (SeriesNumber.empty() ? std::string("?") : SeriesNumber) << " (" << SeriesInstanceUID << "): " << Files.size()
       << (Files.size() == 1 ? " file" : " files") << ", " << (Modality.empty() ? std::string("?") : Modality);
  if (!SeriesDescription.empty())
  {
    text << ", '" << SeriesDescription << "'";
  }
  return text.str();
}

DicomScan
ScanDicomPath(const std::string & path, const SliceGeometryTolerances & tolerances)
{
  std::error_code ec;
  if (!fs::exists(path, ec))
  {
    throw Error(ErrorKind::InvalidInput, path, "does not exist");
  }
  DicomScan                              scan;
  std::map<std::string, DicomSeriesInfo> groups;
  scan.Root = path;
  if (fs::is_directory(path, ec))
  {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator();
         it.increment(ec))
    {
      if (ec)
      {
        scan.UnreadableFiles.push_back(it->path().string() + ": " + ec.message());
        ec.clear();
        continue;
      }
      if (it->is_regular_file(ec))
      {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end()); // reproducible order of messages; slices are sorted by position
    // Headers are read in parallel (each file on its own), then grouped in file order.
    std::vector<ExaminedFile> examined(files.size());
    itk::MultiThreaderBase::New()->ParallelizeArray(
      0, files.size(), [&](itk::SizeValueType i) { examined[i] = ExamineFile(files[i]); }, nullptr);
    for (size_t i = 0; i < files.size(); ++i)
    {
      ScanFile(files[i], std::move(examined[i]), scan, groups);
    }
  }
  else
  {
    ScanFile(path, ExamineFile(path), scan, groups);
  }
  for (auto & [key, series] : groups)
  {
    Finish(series, tolerances);
    scan.Series.push_back(std::move(series));
  }
  std::sort(scan.Series.begin(), scan.Series.end(), Before);
  return scan;
}

const DicomSeriesInfo &
ChooseSeries(const DicomScan & scan, const std::string & selector, std::string * note)
{
  if (scan.Series.empty())
  {
    std::string what = "no DICOM series found";
    if (!scan.UnreadableFiles.empty())
    {
      throw Error(ErrorKind::InvalidInput, scan.UnreadableFiles.front());
    }
    if (scan.FilesExamined > 0)
    {
      what += " (" + std::to_string(scan.FilesExamined) + " files examined, none a DICOM image)";
    }
    throw Error(ErrorKind::NoDicom, scan.Root, what);
  }
  std::vector<const DicomSeriesInfo *> candidates;
  for (const auto & series : scan.Series)
  {
    if (series.IsCandidate())
    {
      candidates.push_back(&series);
    }
  }
  auto listing = [&]() {
    std::string text;
    for (const auto & series : scan.Series)
    {
      text += (text.empty() ? "" : "; ") + series.Label() +
              (series.IsCandidate() ? std::string() : " [set aside: " + series.SetAsideReason + "]");
    }
    return text;
  };
  const DicomSeriesInfo * chosen = nullptr;
  if (selector.empty())
  {
    if (candidates.empty())
    {
      for (const auto & series : scan.Series)
      {
        if (series.Modality == "CT" && series.Files.size() == 1 &&
            series.SetAsideReason.rfind("a single slice", 0) == 0)
        {
          throw Error(ErrorKind::InvalidInput,
                      series.Files.front().Path,
                      "only one slice in its series; a volume needs at least two");
        }
      }
      throw Error(ErrorKind::NoSeries, scan.Root, "no CT image series to process; found: " + listing());
    }
    chosen = candidates.front(); // sorted: axial first, then most slices
    if (note != nullptr && candidates.size() > 1)
    {
      *note = "chose series " + chosen->Label() + " (largest axial CT volume) among " +
              std::to_string(candidates.size()) + " candidates: " + listing() + "; use " + SpellParameter("series") +
              " to pick another";
    }
  }
  else
  {
    for (const auto * series : candidates)
    {
      if (series->SeriesInstanceUID == selector || series->SeriesNumber == selector)
      {
        chosen = series;
        break;
      }
    }
    if (chosen == nullptr)
    {
      throw Error(ErrorKind::NoSeries,
                  scan.Root,
                  "no CT volume series with UID or number '" + selector + "'; found: " + listing());
    }
  }
  ThrowIfBroken(*chosen);
  return *chosen;
}

} // namespace ctp
