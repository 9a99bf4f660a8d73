// The parameters of `ctprep run`, declared once: name, section, kind, help, how each is read from and
// written into RunOptions, and its check. Adding a parameter is one entry here (and its use in a stage).
#include "ctpError.h"
#include "ctpParameterSpelling.h"
#include "ctpRunParameterKinds.h"
#include "ctpRunParameters.h"

#include <algorithm>
#include <sstream>

namespace ctp
{
namespace
{
using namespace RunParameterKinds;

std::vector<RunParameter>
SeriesParameters()
{
  std::vector<RunParameter> list;
  list.push_back(Words(
    "series",
    "Series",
    "SeriesInstanceUID or SeriesNumber of the series to read (default: the largest axial CT volume)",
    [](const RunOptions & o) { return nlohmann::json(o.Read.Series); },
    [](RunOptions & o, const nlohmann::json & v) { o.Read.Series = AsText("series", v); }));
  list.back().DefaultText = "largest";
  list.back().FromText = [](const std::string & text) { return nlohmann::json(text == "largest" ? "" : text); };
  list.push_back(Switch(
    "keep_tilt",
    "Series",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.Read.KeepTilt; },
    "do not correct gantry tilt (keep the sheared slice stack)"));
  list.push_back(Words(
    "uneven_spacing",
    "Series",
    "slices not evenly spaced (missing slices, variable spacing): resample onto a uniform grid, or refuse",
    [](const RunOptions & o) {
      return nlohmann::json(o.Read.UnevenSpacing == UnevenSpacingPolicy::Resample ? "resample" : "refuse");
    },
    [](RunOptions & o, const nlohmann::json & v) {
      const std::string text = AsText("uneven_spacing", v);
      if (text != "resample" && text != "refuse")
      {
        Refuse("uneven_spacing", "'" + text + "' is not one of resample, refuse");
      }
      o.Read.UnevenSpacing = text == "resample" ? UnevenSpacingPolicy::Resample : UnevenSpacingPolicy::Refuse;
    }));
  RunParameter air = Declared("air_hu", "Series", ParameterKind::Integer, "HU given to out-of-scan padding");
  air.Get = [](const RunOptions & o) { return nlohmann::json(o.Read.PaddingReplacement); };
  air.Set = [](RunOptions & o, const nlohmann::json & v) {
    if (!v.is_number_integer() || v.get<long>() < -32768 || v.get<long>() > 32767)
    {
      Refuse("air_hu", ParameterText(v) + " is not a whole number in the int16 range");
    }
    o.Read.PaddingReplacement = static_cast<HUPixelType>(v.get<long>());
  };
  list.push_back(air);
  list.push_back(Number(
    "hu_offset",
    "Series",
    [](RunOptions & o) -> double & { return o.HUOffset; },
    Any,
    "volume files: added to every value to make HU (-1024: HU + 1024 stored without its rescale)"));
  list.push_back(Switch(
    "intensities_are_hu",
    "Series",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.IntensitiesAreHU; },
    "volume files: take the values as HU without checking that air lies near -1000"));
  return list;
}

std::vector<RunParameter>
ResamplingAndMaskParameters()
{
  std::vector<RunParameter> list;
  list.push_back(Words(
    "spacing_mm",
    "Preprocessing",
    "target spacing in mm: one value, three (x,y,z), or none to keep the original grid",
    [](const RunOptions & o) { return o.Spacing ? nlohmann::json(*o.Spacing) : nlohmann::json(); },
    SetSpacing));
  list.back().DefaultText = "1";
  list.back().FromText = SpacingFromText;
  list.push_back(Words(
    "interpolator",
    "Preprocessing",
    "resampling: linear, bspline, nearest",
    [](const RunOptions & o) { return nlohmann::json(InterpolatorName(o.Interpolator)); },
    [](RunOptions & o, const nlohmann::json & v) { o.Interpolator = ParseInterpolator(AsText("interpolator", v)); }));
  list.push_back(Number(
    "lung_threshold_hu",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LungThreshold; },
    Any,
    "HU below which a voxel is air"));
  list.push_back(Switch(
    "fill",
    "Preprocessing",
    ParameterKind::SwitchOff,
    [](RunOptions & o) -> bool & { return o.Fill; },
    "do not fill vessels and nodules into the lung mask"));
  list.push_back(Number(
    "fill_closing_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.FillClosingMm; },
    NonNegative,
    "radius of the per-slice closing that takes nodules on the lung wall into the mask"));
  list.push_back(Number(
    "dilate_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.DilateMm; },
    NonNegative,
    "dilate each lung by this radius"));
  list.push_back(Number(
    "fallback_closing_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.FallbackClosingMm; },
    NonNegative,
    "when the mask is implausible, close the tissue by this radius and retry (0: no retry)"));
  return list;
}

std::vector<RunParameter>
LesionParameters()
{
  std::vector<RunParameter> list;
  list.push_back(Switch(
    "lesions",
    "Preprocessing",
    ParameterKind::SwitchOff,
    [](RunOptions & o) -> bool & { return o.Lesions; },
    "classic aerated mask: do not take masses and consolidation into the lungs (labels 4, 5)"));
  list.push_back(Number(
    "lesion_envelope_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionEnvelopeMm; },
    Positive,
    "lesions: radius of the ball closing the lung's envelope (bulges narrower than it are enclosed)"));
  list.push_back(Number(
    "lesion_enclosure_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionEnclosureMm; },
    Positive,
    "lesions: longest run of tissue between lung above and below (or on both sides in-plane)"));
  list.push_back(Number(
    "lesion_bronchogram_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionBronchogramMm; },
    NonNegative,
    "lesions: tissue within this distance of air bronchograms is consolidated lung (0: off)"));
  list.push_back(Number(
    "lesion_contralateral_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionContralateralMm; },
    NonNegative,
    "lesions: how deep inside the other lung a lesion's mirror image must lie"));
  list.push_back(Number(
    "lesion_min_ml",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionMinimumMl; },
    NonNegative,
    "lesions: smallest seed region in mL (smaller lesions are in the per-slice fill)"));
  list.push_back(Number(
    "lesion_growth_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionGrowthMm; },
    NonNegative,
    "lesions: growth of each seed through the enclosed tissue (a hilar mass's central part)"));
  list.push_back(Number(
    "lesion_completion_mm",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.LesionCompletionMm; },
    NonNegative,
    "lesions: final growth into any dense tissue (the base of a mass against the wall)"));
  list.push_back(Switch(
    "label_effusion",
    "Preprocessing",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.LabelEffusion; },
    "label pleural effusion 6 in lungmask (it is always measured in ctprep.json)"));
  list.push_back(Range(
    "effusion_hu",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.EffusionLowerHU; },
    [](RunOptions & o) -> double & { return o.EffusionUpperHU; },
    "HU of pleural fluid (3 mm block means; muscle and blood are 40 and more)"));
  return list;
}

std::vector<RunParameter>
NetworkInputParameters()
{
  std::vector<RunParameter> list;
  list.push_back(OptionalNumber(
    "crop_to_lungs_mm",
    "Preprocessing",
    [](RunOptions & o) -> std::optional<double> & { return o.CropToLungsMm; },
    "crop every volume output to the lungs' box grown by MM (grt123: 10); surfaces stay whole"));
  list.push_back(OptionalNumber(
    "mask_input_mm",
    "Preprocessing",
    [](RunOptions & o) -> std::optional<double> & { return o.MaskInputMm; },
    "in input.npy, set voxels further than MM (grt123: 10) from the lungs to the mask pad HU"));
  list.push_back(Number(
    "mask_pad_hu",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.MaskPadHU; },
    Any,
    "HU of input.npy's masked voxels (0, water: grt123's 170 on its 0-255 scale)"));
  list.push_back(Range(
    "normalize_hu",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.NormalizeLower; },
    [](RunOptions & o) -> double & { return o.NormalizeUpper; },
    "HU mapped to 0 and to 1 (clipped outside)"));
  list.push_back(Number(
    "mean",
    "Preprocessing",
    [](RunOptions & o) -> double & { return o.Mean; },
    Any,
    "dataset mean subtracted after normalization (LUNA16: 0.25)"));
  return list;
}

std::vector<RunParameter>
SurfaceParameters()
{
  std::vector<RunParameter> list;
  list.push_back(Switch(
    "mesh",
    "Surfaces",
    ParameterKind::SwitchOff,
    [](RunOptions & o) -> bool & { return o.Mesh; },
    "do not write bone.stl and lungs.stl"));
  list.push_back(Switch(
    "render",
    "Surfaces",
    ParameterKind::SwitchOff,
    [](RunOptions & o) -> bool & { return o.Render; },
    "do not render render.png"));
  list.push_back(Number(
    "bone_hu", "Surfaces", [](RunOptions & o) -> double & { return o.BoneHU; }, Any, "HU of the bone isosurface"));
  RunParameter iterations = Declared("smoothing_iterations",
                                     "Surfaces",
                                     ParameterKind::Integer,
                                     "windowed-sinc smoothing iterations of the surfaces (0: none)");
  iterations.Get = [](const RunOptions & o) { return nlohmann::json(o.Surfaces.SmoothingIterations); };
  iterations.Set = [](RunOptions & o, const nlohmann::json & v) {
    if (!v.is_number_integer() || v.get<long>() < 0 || v.get<long>() > 100000)
    {
      Refuse("smoothing_iterations", ParameterText(v) + " is not a whole number >= 0");
    }
    o.Surfaces.SmoothingIterations = v.get<int>();
  };
  list.push_back(iterations);
  list.push_back(Number(
    "smoothing_pass_band",
    "Surfaces",
    [](RunOptions & o) -> double & { return o.Surfaces.PassBand; },
    PassBand,
    "smoothing pass band, 0..2 (lower is smoother)"));
  list.push_back(Number(
    "decimation",
    "Surfaces",
    [](RunOptions & o) -> double & { return o.Surfaces.Decimation; },
    Fraction,
    "fraction of triangles to remove, 0..1"));
  return list;
}

std::vector<RunParameter>
OutputParameters()
{
  std::vector<RunParameter> list;
  list.push_back(Words(
    "formats",
    "Outputs",
    "volume formats of hu and lungmask, comma-separated: nrrd, nii (uncompressed NIfTI), nii.gz",
    [](const RunOptions & o) { return nlohmann::json(o.VolumeFormats); },
    [](RunOptions & o, const nlohmann::json & v) {
      std::vector<std::string> formats;
      for (const auto & item : v.is_array() ? v : nlohmann::json::array({ v }))
      {
        const std::string format = AsText("formats", item);
        if (format != "nrrd" && format != "nii" && format != "nii.gz")
        {
          Refuse("formats", "'" + format + "' is not one of nrrd, nii, nii.gz");
        }
        if (std::find(formats.begin(), formats.end(), format) == formats.end())
        {
          formats.push_back(format);
        }
      }
      if (formats.empty())
      {
        Refuse("formats", "no format given");
      }
      o.VolumeFormats = formats;
    }));
  list.back().FromText = [](const std::string & text) {
    nlohmann::json     items = nlohmann::json::array();
    std::istringstream in(text);
    std::string        item;
    while (std::getline(in, item, ','))
    {
      items.push_back(item);
    }
    return items;
  };
  list.push_back(Words(
    "annotations",
    "Outputs",
    "LUNA16-style CSV (seriesuid,coordX,coordY,coordZ,diameter_mm): this case's nodules on the output grid "
    "in nodules.csv and nodules.mrk.json (3D Slicer)",
    [](const RunOptions & o) { return nlohmann::json(o.Annotations); },
    [](RunOptions & o, const nlohmann::json & v) { o.Annotations = AsText("annotations", v); }));
  list.back().ValueName = "CSV";
  list.back().DefaultText = "none";
  list.back().FromText = [](const std::string & text) { return nlohmann::json(text == "none" ? "" : text); };
  list.push_back(Switch(
    "slicer",
    "Outputs",
    ParameterKind::SwitchOff,
    [](RunOptions & o) -> bool & { return o.Slicer; },
    "do not write lungmask.seg.nrrd and scene.mrml (3D Slicer)"));
  list.push_back(Switch(
    "dicom_seg",
    "Outputs",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.DicomSeg; },
    "write lungmask.seg.dcm, the lung mask as a DICOM Segmentation of the source series for PACS (it "
    "carries the source's patient and study; DICOM input only)"));
  list.push_back(Switch(
    "keep_phi",
    "Outputs",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.KeepPatientData; },
    "keep patient data (names, IDs, dates) in the outputs"));
  list.push_back(Switch(
    "checksums",
    "Outputs",
    ParameterKind::Switch,
    [](RunOptions & o) -> bool & { return o.Checksums; },
    "list a content hash of every output in ctprep.json"));
  list.push_back(Number(
    "max_memory_gib",
    "Outputs",
    [](RunOptions & o) -> double & { return o.MaxMemoryGiB; },
    NonNegative,
    "GiB: refuse, before reading pixels, a series whose estimated peak memory exceeds it; 0: "
    "the machine's physical memory"));
  list.back().Recorded = false;
  return list;
}
} // namespace

const std::vector<RunParameter> &
RunParameters()
{
  static const std::vector<RunParameter> parameters = []() {
    std::vector<RunParameter> all;
    for (auto && group : { SeriesParameters(),
                           ResamplingAndMaskParameters(),
                           LesionParameters(),
                           NetworkInputParameters(),
                           SurfaceParameters(),
                           OutputParameters() })
    {
      all.insert(all.end(), group.begin(), group.end());
    }
    return all;
  }();
  return parameters;
}

} // namespace ctp
