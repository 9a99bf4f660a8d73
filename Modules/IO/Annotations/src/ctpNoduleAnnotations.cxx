#include "ctpNoduleAnnotations.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <sstream>

namespace ctp
{
namespace
{
std::vector<std::string>
SplitCsvLine(std::string line)
{
  line.erase(line.find_last_not_of(" \t\r") + 1);
  std::vector<std::string> fields;
  std::istringstream       in(line);
  std::string              field;
  while (std::getline(in, field, ','))
  {
    field.erase(0, field.find_first_not_of(" \t\""));
    field.erase(field.find_last_not_of(" \t\"") + 1);
    fields.push_back(field);
  }
  return fields;
}

double
Number(const std::string & text, const std::string & path, size_t row, const std::string & column)
{
  try
  {
    size_t       used = 0;
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value))
    {
      return value;
    }
  }
  catch (const std::exception &)
  {}
  throw Error(
    ErrorKind::InvalidInput, path, "line " + std::to_string(row) + ": " + column + " '" + text + "' is not a number");
}

/** The columns of the header: seriesuid, coordX, coordY, coordZ required; diameter_mm, class optional. */
std::map<std::string, size_t>
Columns(const std::vector<std::string> & header, const std::string & path)
{
  std::map<std::string, size_t> columns;
  for (size_t c = 0; c < header.size(); ++c)
  {
    columns[header[c]] = c;
  }
  for (const char * required : { "seriesuid", "coordX", "coordY", "coordZ" })
  {
    if (!columns.count(required))
    {
      throw Error(ErrorKind::InvalidInput,
                  path,
                  std::string("no column ") + required +
                    " (LUNA16's header: seriesuid,coordX,coordY,coordZ,diameter_mm)");
    }
  }
  return columns;
}
} // namespace

std::vector<NoduleAnnotation>
ReadNoduleAnnotations(const std::string & path, const std::string & seriesId)
{
  std::ifstream in(path);
  std::string   line;
  if (!in || !std::getline(in, line))
  {
    throw Error(ErrorKind::InvalidInput, path, "cannot read the annotations");
  }
  const auto                    columns = Columns(SplitCsvLine(line), path);
  std::vector<NoduleAnnotation> annotations;
  for (size_t row = 2; std::getline(in, line); ++row)
  {
    const auto fields = SplitCsvLine(line);
    if (fields.empty() || (fields.size() == 1 && fields[0].empty()))
    {
      continue;
    }
    const auto field = [&](const std::string & column) -> const std::string & {
      const size_t c = columns.at(column);
      if (c >= fields.size())
      {
        throw Error(ErrorKind::InvalidInput, path, "line " + std::to_string(row) + ": no " + column);
      }
      return fields[c];
    };
    if (field("seriesuid") != seriesId)
    {
      continue;
    }
    NoduleAnnotation a;
    a.SeriesId = seriesId;
    a.Row = row;
    a.PointLPS = { Number(field("coordX"), path, row, "coordX"),
                   Number(field("coordY"), path, row, "coordY"),
                   Number(field("coordZ"), path, row, "coordZ") };
    if (columns.count("diameter_mm"))
    {
      a.DiameterMm = Number(field("diameter_mm"), path, row, "diameter_mm");
    }
    if (columns.count("class"))
    {
      a.Class = static_cast<int>(Number(field("class"), path, row, "class"));
    }
    annotations.push_back(a);
  }
  return annotations;
}

std::vector<MappedNodule>
MapNodules(const std::vector<NoduleAnnotation> & annotations, const MaskImageType * labels,
           bool (*isLung)(MaskPixelType))
{
  std::vector<MappedNodule> mapped;
  const auto                region = labels->GetLargestPossibleRegion();
  for (const auto & a : annotations)
  {
    MappedNodule m;
    m.Annotation = a;
    MaskImageType::PointType point;
    for (unsigned int i = 0; i < 3; ++i)
    {
      point[i] = a.PointLPS[i];
    }
    const auto               continuous = labels->TransformPhysicalPointToContinuousIndex<double>(point);
    MaskImageType::IndexType index;
    for (unsigned int i = 0; i < 3; ++i)
    {
      m.ContinuousIndexXYZ[i] = continuous[i];
      index[i] = std::lround(continuous[i]);
      m.IndexXYZ[i] = index[i];
      m.DiameterVoxelsXYZ[i] = a.DiameterMm >= 0.0 ? a.DiameterMm / labels->GetSpacing()[i] : -1.0;
    }
    m.InsideVolume = region.IsInside(index);
    if (m.InsideVolume)
    {
      m.InsideLungs = isLung(labels->GetPixel(index));
    }
    mapped.push_back(m);
  }
  return mapped;
}

void
WriteNodulesCsv(const std::vector<MappedNodule> & nodules, const std::string & path)
{
  std::ostringstream csv;
  csv << std::setprecision(10)
      << "seriesuid,annotation_row,x_lps_mm,y_lps_mm,z_lps_mm,diameter_mm,class,index_z,index_y,index_x,"
         "continuous_index_x,continuous_index_y,continuous_index_z,diameter_voxels_x,diameter_voxels_y,"
         "diameter_voxels_z,inside_volume,inside_lungs\n";
  for (const auto & n : nodules)
  {
    const auto & a = n.Annotation;
    csv << a.SeriesId << "," << a.Row << "," << a.PointLPS[0] << "," << a.PointLPS[1] << "," << a.PointLPS[2] << ","
        << a.DiameterMm << "," << a.Class << "," << n.IndexXYZ[2] << "," << n.IndexXYZ[1] << "," << n.IndexXYZ[0] << ","
        << n.ContinuousIndexXYZ[0] << "," << n.ContinuousIndexXYZ[1] << "," << n.ContinuousIndexXYZ[2] << ","
        << n.DiameterVoxelsXYZ[0] << "," << n.DiameterVoxelsXYZ[1] << "," << n.DiameterVoxelsXYZ[2] << ","
        << (n.InsideVolume ? "true" : "false") << "," << (n.InsideLungs ? "true" : "false") << "\n";
  }
  WriteTextFileAtomically(path, csv.str());
}

void
WriteNodulesMarkups(const std::vector<MappedNodule> & nodules, const std::string & path)
{
  // The markups JSON 3D Slicer reads (Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json):
  // a Fiducial markup of control points in LPS millimetres.
  nlohmann::json points = nlohmann::json::array();
  for (const auto & n : nodules)
  {
    if (!n.InsideVolume)
    {
      continue;
    }
    const auto &       a = n.Annotation;
    std::ostringstream description;
    description << "line " << a.Row;
    if (a.DiameterMm >= 0.0)
    {
      description << ", diameter " << a.DiameterMm << " mm";
    }
    if (a.Class >= 0)
    {
      description << ", class " << a.Class;
    }
    points.push_back({ { "id", std::to_string(points.size() + 1) },
                       { "label", "nodule-" + std::to_string(points.size() + 1) },
                       { "description", description.str() },
                       { "position", a.PointLPS },
                       { "orientation", { -1.0, 0.0, 0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 1.0 } },
                       { "selected", true },
                       { "locked", true },
                       { "visibility", true },
                       { "positionStatus", "defined" } });
  }
  const nlohmann::json markups = {
    { "@schema",
      "https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/"
      "markups-schema-v1.0.3.json#" },
    { "markups",
      { { { "type", "Fiducial" },
          { "coordinateSystem", "LPS" },
          { "coordinateUnits", "mm" },
          { "locked", true },
          { "labelFormat", "nodule-%d" },
          { "controlPoints", points } } } }
  };
  WriteTextFileAtomically(path, markups.dump(2) + "\n");
}

} // namespace ctp
