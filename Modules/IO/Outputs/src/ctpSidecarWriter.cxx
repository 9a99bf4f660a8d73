#include "ctpSidecarWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpFileHash.h"
#include "ctpParameterSpelling.h"
#include "ctpVersion.h"

#include "itkMultiThreaderBase.h"

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
nlohmann::json
GeometryJson(const GeometryRecord & g)
{
  return { { "size", g.Size }, { "spacing", g.Spacing }, { "origin", g.Origin }, { "direction", g.Direction } };
}

nlohmann::json
SourceJson(const SourceRecord & s)
{
  return { { "kind", "dicom" },
           { "series_instance_uid", s.SeriesInstanceUID },
           { "series_number", s.SeriesNumber },
           { "series_description", s.SeriesDescription },
           { "slice_count", s.Slices },
           { "transfer_syntaxes", s.TransferSyntaxes },
           { "slice_step_mm", { { "median", s.StepMm[0] }, { "min", s.StepMm[1] }, { "max", s.StepMm[2] } } },
           { "missing_slices", s.MissingSlices },
           { "gantry_tilt_degrees", s.TiltDegrees },
           { "series_found", s.SeriesFound },
           { "resampled_for_tilt_or_spacing", s.Resampled },
           // The slices as scanned (LPS mm), before any resampling: with a tilt or uneven steps,
           // original_geometry is the uniform grid they were resampled onto.
           { "stack",
             { { "columns", s.Stack.Columns },
               { "rows", s.Stack.Rows },
               { "pixel_spacing_mm", s.Stack.PixelSpacing },
               { "row_direction", s.Stack.Row },
               { "column_direction", s.Stack.Column },
               { "first_position_mm", s.Stack.FirstPosition },
               { "last_position_mm", s.Stack.LastPosition } } } };
}

nlohmann::json
VolumeSourceJson(const VolumeSourceRecord & v)
{
  return { { "kind", "volume" },
           { "name", v.Name },
           { "format", v.Format },
           { "pixel_type", v.PixelType },
           { "hu_offset", v.HUOffset },
           { "checked_as_hu", v.Checked },
           { "values_hu",
             { { "min", v.Values[0] }, { "p01", v.Values[1] }, { "median", v.Values[2] }, { "max", v.Values[3] } } } };
}

nlohmann::json
CropJson(const std::optional<CropRecord> & crop)
{
  if (!crop)
  {
    return nullptr;
  }
  return { { "margin_mm", crop->MarginMm },
           { "index_offset_xyz", crop->IndexOffset },
           { "size_xyz", crop->Size },
           { "uncropped_size_xyz", crop->UncroppedSize },
           { "note",
             "output_geometry is the crop's: its voxel (i, j, k) is the uncropped grid's voxel "
             "(i, j, k) + index_offset_xyz, at the same LPS point" } };
}

/** The sidecar's "lungs": labels, volumes, the dense regions taken into the lungs, effusion. */
nlohmann::json
LungsJson(const LungsRecord & lungs)
{
  nlohmann::json regions = nlohmann::json::array();
  for (const auto & region : lungs.DenseRegions)
  {
    regions.push_back({ { "label", region.Label },
                        { "side", region.Label == 4 ? "right" : "left" },
                        { "air_bronchograms", region.AirBronchograms },
                        { "volume_ml", region.VolumeMl },
                        { "centroid_lps_mm", region.CentroidLPS },
                        { "largest_diameter_mm", region.DiameterMm } });
  }
  const std::string effusion = lungs.EffusionLabelled
                                 ? "pleural effusion"
                                 : "pleural effusion (not labelled: " + SpellParameter("label_effusion") + ")";
  return { { "labels",
             { { "0", "background" },
               { "1", "right lung, aerated" },
               { "2", "left lung, aerated" },
               { "3", "trachea and main bronchi" },
               { "4", "right lung, dense tissue taken in (mass, consolidation)" },
               { "5", "left lung, dense tissue taken in (mass, consolidation)" },
               { "6", effusion } } },
           { "right_ml", lungs.RightMl() },
           { "left_ml", lungs.LeftMl() },
           { "total_ml", lungs.RightMl() + lungs.LeftMl() },
           { "right_aerated_ml", lungs.RightAeratedMl },
           { "left_aerated_ml", lungs.LeftAeratedMl },
           { "right_dense_ml", lungs.RightDenseMl },
           { "left_dense_ml", lungs.LeftDenseMl },
           { "airways_ml", lungs.AirwaysMl },
           { "dense_regions", regions },
           { "effusion",
             { { "right_ml", lungs.RightEffusionMl },
               { "left_ml", lungs.LeftEffusionMl },
               { "labelled", lungs.EffusionLabelled } } },
           { "plausible", lungs.Plausible },
           { "fallback_used", lungs.FallbackUsed },
           { "note",
             "right_ml, left_ml and total_ml are the lungs with their dense tissue (labels 1+4, 2+5); the "
             "aerated lung alone is labels 1 and 2" } };
}

nlohmann::json
StatisticsJson(const HUStatistics & stats)
{
  return { { "min", stats.Minimum },           { "max", stats.Maximum },        { "mean", stats.Mean },
           { "std", stats.StandardDeviation }, { "p01", stats.Percentile1 },    { "median", stats.Median },
           { "p99", stats.Percentile99 },      { "lung_mean", stats.LungMean }, { "lung_median", stats.LungMedian } };
}

nlohmann::json
InputNpyJson(const InputNpyRecord & npy)
{
  nlohmann::json json = { { "dtype", "float32" },
                          { "normalized_mean", npy.NormalizedMean },
                          { "voxels", npy.Voxels },
                          { "shape_zyx", npy.ShapeZYX },
                          { "meaning", "clip((HU - lower) / (upper - lower), 0, 1) - mean" } };
  if (npy.MaskMarginMm)
  {
    json["masked"] = { { "margin_mm", *npy.MaskMarginMm },
                       { "pad_hu", npy.MaskPadHU },
                       { "pad_value", npy.MaskPadValue },
                       { "meaning",
                         "voxels further than margin_mm from the lungs (labels 1, 2, 4, 5) "
                         "hold pad_value, the normalized pad_hu" } };
  }
  return json;
}

nlohmann::json
SurfacesJson(const std::vector<SurfaceRecord> & surfaces)
{
  nlohmann::json json = nlohmann::json::object();
  for (const auto & s : surfaces)
  {
    nlohmann::json info = { { "triangles", s.Triangles }, { "written", s.Triangles > 0 } };
    if (s.Triangles > 0)
    {
      info["bounds_lps_mm"] = s.BoundsLPS;
    }
    if (s.EnclosedVolumeMl)
    {
      info["enclosed_volume_ml"] = *s.EnclosedVolumeMl;
    }
    json[fs::path(s.File).stem().string()] = info;
  }
  return json;
}

/** Every output with its size (and content hash on request): a resumed batch knows a complete case. */
nlohmann::json
OutputsJson(const RunRecord & record, const fs::path & directory)
{
  std::vector<nlohmann::json> listed(record.Outputs.size());
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    record.Outputs.size(),
    [&](itk::SizeValueType i) {
      const std::string & name = record.Outputs[i];
      const fs::path      path = directory / name;
      listed[i] = { { "file", name }, { "bytes", fs::file_size(path) } };
      if (record.Checksums)
      {
        listed[i]["hash64"] = FileHash64(path.string());
      }
    },
    nullptr);
  return listed;
}
} // namespace

std::string
WriteSidecar(const RunRecord & record, const std::string & directory)
{
  nlohmann::json seconds = nlohmann::json::object();
  for (const auto & [stage, value] : record.Seconds)
  {
    seconds[stage] = value;
  }
  nlohmann::json sidecar;
  sidecar["ctprep_version"] = CTP_VERSION;
  sidecar["parameters"] = record.Parameters;
  sidecar["source"] = record.Volume ? VolumeSourceJson(*record.Volume) : SourceJson(record.Source);
  sidecar["original_geometry"] = GeometryJson(record.OriginalGeometry);
  sidecar["output_geometry"] = GeometryJson(record.OutputGeometry);
  sidecar["crop"] = CropJson(record.Crop);
  if (record.Nodules)
  {
    const auto & n = *record.Nodules;
    sidecar["nodules"] = { { "annotations_file", n.File },    { "seriesuid", n.SeriesId },
                           { "annotations", n.Annotations },  { "inside_volume", n.InsideVolume },
                           { "inside_lungs", n.InsideLungs }, { "files", { "nodules.csv", "nodules.mrk.json" } } };
  }
  sidecar["lungs"] = LungsJson(record.Lungs);
  sidecar["hu_statistics"] = StatisticsJson(record.Statistics);
  sidecar["input_npy"] = InputNpyJson(record.InputNpy);
  sidecar["surfaces"] = SurfacesJson(record.Surfaces);
  sidecar["surfaces_note"] = "binary STL, LPS millimetres (header SPACE=LPS): open in 3D Slicer over hu.nrrd";
  sidecar["decisions"] = record.Decisions;
  sidecar["warnings"] = record.Warnings;
  sidecar["seconds"] = seconds;
  sidecar["outputs"] = OutputsJson(record, directory);
  const std::string path = (fs::path(directory) / "ctprep.json").string();
  WriteTextFileAtomically(path, sidecar.dump(2) + "\n");
  return path;
}

std::optional<SidecarSummary>
ReadCompleteRun(const std::string & directory)
{
  const fs::path  folder(directory);
  const fs::path  sidecarPath = folder / "ctprep.json";
  std::error_code ec;
  if (!fs::exists(sidecarPath, ec))
  {
    return std::nullopt;
  }
  try
  {
    std::ifstream  in(sidecarPath);
    nlohmann::json sidecar = nlohmann::json::parse(in);
    for (const auto & output : sidecar.at("outputs"))
    {
      const fs::path path = folder / output.at("file").get<std::string>();
      if (!fs::exists(path, ec) || fs::file_size(path, ec) != output.at("bytes").get<uintmax_t>() ||
          !output.contains("hash64") || FileHash64(path.string()) != output.at("hash64").get<std::string>())
      {
        return std::nullopt;
      }
    }
    SidecarSummary summary;
    // A DICOM series' slice files, or a volume file's slices.
    const auto & source = sidecar.at("source");
    summary.Slices = source.contains("slice_count") ? source.at("slice_count").get<size_t>()
                                                    : sidecar.at("original_geometry").at("size").at(2).get<size_t>();
    summary.Spacing = sidecar.at("output_geometry").at("spacing").get<std::array<double, 3>>();
    summary.LungVolumeMl = sidecar.at("lungs").at("total_ml").get<double>();
    summary.NormalizedMean = sidecar.at("input_npy").at("normalized_mean").get<double>();
    summary.Voxels = sidecar.at("input_npy").at("voxels").get<size_t>();
    summary.Seconds = sidecar.at("seconds").at("total").get<double>();
    return summary;
  }
  catch (const std::exception &)
  {
    return std::nullopt;
  }
}

} // namespace ctp
