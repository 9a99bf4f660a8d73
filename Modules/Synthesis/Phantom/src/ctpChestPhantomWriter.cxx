#include "ctpChestPhantomWriter.h"
#include "ctpParameterSpelling.h"
#include "ctpAtomicOutputFile.h"
#include "ctpGantryTiltedSlices.h"
#include "ctpVolumeWriter.h"

#include "ctpError.h"

#include "itkImageRegionConstIterator.h"
#include "itkImageRegionIteratorWithIndex.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** Voxel count per label value. */
std::array<size_t, 256>
CountLabels(const MaskImageType * mask)
{
  std::array<size_t, 256> counts{};
  for (itk::ImageRegionConstIterator<MaskImageType> it(mask, mask->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    ++counts[it.Get()];
  }
  return counts;
}

nlohmann::json
Vector(const itk::Vector<double, 3> & v)
{
  return { v[0], v[1], v[2] };
}

/** An air channel from the trachea (y = -30 mm) forward through the skin, from `fromZ` up. */
void
AddTracheostomy(HUImageType * hu, double fromZ)
{
  for (itk::ImageRegionIteratorWithIndex<HUImageType> it(hu, hu->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    HUImageType::PointType p;
    hu->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    if (p[2] >= fromZ - 1e-3 && std::abs(p[0]) < 5.0 && p[1] < -30.0 && it.Get() > ChestPhantomTissues::OutOfScan)
    {
      it.Set(static_cast<HUPixelType>(ChestPhantomTissues::Air));
    }
  }
}

/** Gaussian noise inside the field of view, seeded per slice as the phantom's own. */
void
AddNoise(HUImageType * hu, double sigma, uint32_t seed)
{
  if (!(sigma > 0.0))
  {
    return;
  }
  const auto size = hu->GetLargestPossibleRegion().GetSize();
  for (itk::SizeValueType k = 0; k < size[2]; ++k)
  {
    std::mt19937                     rng(seed * 1000003u + static_cast<uint32_t>(k));
    std::normal_distribution<double> noise(0.0, sigma);
    HUPixelType *                    pixel = hu->GetBufferPointer() + k * size[0] * size[1];
    for (size_t n = 0; n < size[0] * size[1]; ++n, ++pixel)
    {
      if (*pixel > ChestPhantomTissues::OutOfScan)
      {
        *pixel = static_cast<HUPixelType>(std::clamp(std::round(*pixel + noise(rng)),
                                                     double(std::numeric_limits<HUPixelType>::min()),
                                                     double(std::numeric_limits<HUPixelType>::max())));
      }
    }
  }
}

/** Whether `ctprep phantom --quirk NAME` asked for this one. */
bool
HasQuirk(const std::vector<std::string> & quirks, const char * name)
{
  return std::find(quirks.begin(), quirks.end(), name) != quirks.end();
}

/** The series description the quirks ask for, after checking them: a gantry tilt (only with
 *  gantry-tilt, 15 degrees unless given, 0 < |tilt| <= 30), intercepts varying by slice, a slope. */
DicomSeriesDescription
DescriptionWithQuirks(const DicomSeriesDescription & requested, const std::vector<std::string> & quirks,
                      unsigned int slices)
{
  for (const auto & quirk : quirks)
  {
    const auto & known = PhantomQuirks();
    if (std::none_of(known.begin(), known.end(), [&](const auto & q) { return q.first == quirk; }))
    {
      throw Error(ErrorKind::Usage, SpellParameter("quirk") + ": unknown quirk '" + quirk + "'");
    }
  }
  DicomSeriesDescription description = requested;
  if (HasQuirk(quirks, "gantry-tilt"))
  {
    const double tilt = description.GantryDetectorTilt.value_or(15.0);
    if (!(std::abs(tilt) > 0.0 && std::abs(tilt) <= 30.0))
    {
      std::ostringstream text;
      text << SpellParameter("tilt") << " " << tilt << ": a gantry tilt is between -30 and 30 degrees, and not 0";
      throw Error(ErrorKind::Usage, text.str());
    }
    description.GantryDetectorTilt = tilt;
  }
  else if (description.GantryDetectorTilt)
  {
    throw Error(ErrorKind::Usage,
                SpellParameter("tilt") + ": a gantry tilt needs " + SpellParameter("quirk") + " gantry-tilt");
  }
  if (HasQuirk(quirks, "varying-intercepts"))
  {
    const double intercepts[3] = { -1024.0, -1000.0, -1010.0 };
    for (unsigned int k = 0; k < slices; ++k)
    {
      description.SliceRescaleIntercepts.push_back(intercepts[k % 3]);
    }
  }
  if (HasQuirk(quirks, "slope"))
  {
    description.RescaleSlope = 2.0; // GDCM inverse-rescales int16 pixels by whole slopes only
  }
  return description;
}

/** The parameters with the pathology the quirks add (mass-hilar, mass-paravertebral, consolidation,
 *  effusion) on top of what they ask for already. */
ChestPhantomParameters
WithPathology(const ChestPhantomParameters & parameters, const std::vector<std::string> & quirks)
{
  ChestPhantomParameters withPathology = parameters;
  withPathology.Pathology.HilarMass = withPathology.Pathology.HilarMass || HasQuirk(quirks, "mass-hilar");
  withPathology.Pathology.ParavertebralMass =
    withPathology.Pathology.ParavertebralMass || HasQuirk(quirks, "mass-paravertebral");
  withPathology.Pathology.Consolidation = withPathology.Pathology.Consolidation || HasQuirk(quirks, "consolidation");
  withPathology.Pathology.Effusion = withPathology.Pathology.Effusion || HasQuirk(quirks, "effusion");
  return withPathology;
}

/** The tracheostomy quirk: an air channel from the trachea forward through the skin, in the top 15% of
 *  slices of `hu` (and above them in `source`, the extra slices a tilted gantry reaches, when given). */
void
AddTracheostomyQuirk(const ChestPhantomParameters & parameters, HUImageType * hu, HUImageType * source)
{
  const long topSlices = long(parameters.Slices) * 15 / 100;
  if (topSlices <= 0)
  {
    return;
  }
  const long                      top = parameters.FeetFirst ? topSlices - 1 : long(parameters.Slices) - topSlices;
  itk::ContinuousIndex<double, 3> index;
  index.Fill(0.0);
  index[2] = double(top);
  HUImageType::PointType from;
  hu->TransformContinuousIndexToPhysicalPoint(index, from);
  AddTracheostomy(hu, from[2]);
  if (source)
  {
    AddTracheostomy(source, from[2]);
  }
}

/** The two-series quirk: a second CT series (another reconstruction, half as many slices) in the same
 *  folder. */
void
AddSecondSeries(const ChestPhantomParameters & parameters, const DicomSeriesDescription & description,
                const fs::path & dicom)
{
  ChestPhantomParameters other = parameters;
  other.Slices = std::max(2u, parameters.Slices / 2);
  other.Seed = parameters.Seed + 1000;
  DicomSeriesDescription second = description;
  second.SeriesInstanceUID.clear();
  second.SeriesNumber = description.SeriesNumber + 1;
  second.SeriesDescription = "second reconstruction";
  second.SliceRescaleIntercepts.clear();
  const auto extra = WriteDicomSeries(ChestPhantom(other).Generate().HU, (dicom / "series2").string(), second);
  (void)extra;
}

/** The localizer quirk: a sagittal scout sharing the series UID, dicom/scout.dcm. */
void
AddLocalizer(const DicomSeriesDescription & description, const std::string & seriesInstanceUID, const fs::path & dicom)
{
  auto                  scout = HUImageType::New();
  HUImageType::SizeType size{ { 64, 48, 1 } };
  scout->SetRegions(size);
  HUImageType::DirectionType d;
  d.Fill(0.0);
  d[1][0] = 1.0;  // rows along y
  d[2][1] = -1.0; // columns down along -z
  d[0][2] = 1.0;
  scout->SetDirection(d);
  HUImageType::SpacingType sp;
  sp.Fill(4.0);
  scout->SetSpacing(sp);
  scout->Allocate();
  scout->FillBuffer(0);
  DicomSeriesDescription localizer = description;
  localizer.SeriesInstanceUID = seriesInstanceUID;
  localizer.ImageType = "ORIGINAL\\PRIMARY\\LOCALIZER";
  localizer.SliceRescaleIntercepts.clear();
  const auto written2 = WriteDicomSeries(scout, (dicom / "scout").string(), localizer);
  fs::rename(written2.Files.front(), dicom / "scout.dcm");
  fs::remove(dicom / "scout");
}

/** The quirks of the series' files, in this order: missing-slice (an inner file removed), truncated
 *  (one cut to half its size), reversed (numbered from the other end), shuffled-names (names unrelated
 *  to position, shuffled with `seed` + 17), junk-files (files that are not DICOM beside them). */
void
ApplyFileQuirks(std::vector<std::string> files, const fs::path & dicom, const std::vector<std::string> & quirks,
                uint32_t seed)
{
  std::mt19937 rng(seed + 17u);
  if (HasQuirk(quirks, "missing-slice") && files.size() > 4)
  {
    fs::remove(files[files.size() / 2]);
    files.erase(files.begin() + static_cast<long>(files.size() / 2));
  }
  if (HasQuirk(quirks, "truncated") && files.size() > 2)
  {
    const auto & victim = files[files.size() / 3];
    fs::resize_file(victim, fs::file_size(victim) / 2);
  }
  if (HasQuirk(quirks, "reversed"))
  {
    // Number the files from the other end: slice_0001 is the last position.
    for (size_t n = 0; n < files.size(); ++n)
    {
      fs::rename(files[n], dicom / ("tmp_" + std::to_string(n)));
    }
    for (size_t n = 0; n < files.size(); ++n)
    {
      char name[32];
      std::snprintf(name, sizeof(name), "slice_%04zu.dcm", files.size() - n);
      fs::rename(dicom / ("tmp_" + std::to_string(n)), dicom / name);
      files[n] = (dicom / name).string();
    }
  }
  if (HasQuirk(quirks, "shuffled-names"))
  {
    std::vector<size_t> order(files.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t n = 0; n < files.size(); ++n)
    {
      const fs::path target = dicom / ("I" + std::to_string(10 * (order[n] + 1)));
      fs::rename(files[n], target);
      files[n] = target.string();
    }
  }
  if (HasQuirk(quirks, "junk-files"))
  {
    std::ofstream(dicom / "README.txt") << "Exported by a PACS. Not an image.\n";
    std::ofstream(dicom / "DIRFILE", std::ios::binary) << std::string(300, '\x01');
    std::ofstream(dicom / "thumbnail.png", std::ios::binary) << "\x89PNG\r\n\x1a\n";
    std::ofstream(dicom / "empty");
  }
}

/** facts.json: the truth's grid, the written series' geometry, rescale and UIDs, the volumes of the
 *  truth's labels in mL (voxel count x voxel volume), the nodules, the pathology, the tissues' HU, the
 *  quirks and what `ctprep run` must do with them, and the made-up identifiers. */
nlohmann::json
Facts(const ChestPhantomParameters & parameters, const DicomSeriesDescription & description,
      const ChestPhantomVolumes & volumes, const HUImageType * slices, const WrittenDicomSeries & series,
      const std::vector<std::string> & quirks)
{
  const auto * hu = volumes.HU.GetPointer();
  const auto   spacing = hu->GetSpacing();
  const double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  const auto   lungs = CountLabels(volumes.Lungs);
  const auto   airways = CountLabels(volumes.Airways);
  const auto   bone = CountLabels(volumes.Bone);

  nlohmann::json facts;
  facts["generator"] = "ctprep phantom";
  facts["seed"] = parameters.Seed;
  facts["noise_sigma_hu"] = parameters.NoiseSigma;
  const auto size = hu->GetLargestPossibleRegion().GetSize();
  facts["size"] = { size[0], size[1], size[2] };
  facts["slice_count"] = size[2];
  facts["spacing"] = Vector(spacing);
  facts["origin"] = { hu->GetOrigin()[0], hu->GetOrigin()[1], hu->GetOrigin()[2] };
  const auto & d = hu->GetDirection();
  facts["direction"] = { d[0][0], d[0][1], d[0][2], d[1][0], d[1][1], d[1][2], d[2][0], d[2][1], d[2][2] };
  facts["direction_note"] = "row-major 3x3; columns are the i, j, k axes in LPS";
  facts["feet_first"] = parameters.FeetFirst;
  // The grid above is the truth's (the table positions); tilted slices are sheared against it.
  facts["gantry_tilt_degrees"] = description.GantryDetectorTilt.value_or(0.0);
  const auto & o = slices->GetDirection();
  facts["image_orientation_patient"] = { o[0][0], o[1][0], o[2][0], o[0][1], o[1][1], o[2][1] };
  facts["rescale"] = { { "slope", description.RescaleSlope }, { "intercept", description.RescaleIntercept } };
  facts["out_of_scan_stored_value"] =
    (ChestPhantomTissues::OutOfScan - description.RescaleIntercept) / description.RescaleSlope;
  facts["voxel_volume_ml"] = voxelMl;
  facts["lung_voxels"] = { { "right", lungs[1] }, { "left", lungs[2] }, { "total", lungs[1] + lungs[2] } };
  facts["lung_volume_ml"] = double(lungs[1] + lungs[2]) * voxelMl;
  facts["lung_volume_ml_right"] = double(lungs[1]) * voxelMl;
  facts["lung_volume_ml_left"] = double(lungs[2]) * voxelMl;
  facts["airway_volume_ml"] = double(airways[1]) * voxelMl;
  facts["bone_volume_ml"] = double(bone[1]) * voxelMl;
  facts["lung_labels"] = { { "0", "outside" }, { "1", "right lung" }, { "2", "left lung" } };
  nlohmann::json nodules = nlohmann::json::array();
  for (const auto & nodule : volumes.Nodules)
  {
    nodules.push_back({ { "name", nodule.Name },
                        { "side", nodule.Side },
                        { "center_lps_mm", nodule.Center },
                        { "radius_mm", nodule.Radius } });
  }
  facts["nodules"] = nodules;
  // The pathology's truth is truth/lesions.nrrd: 1 where it is lung (masses, consolidation), 2 effusion.
  const auto     lesionCounts = CountLabels(volumes.Lesions);
  nlohmann::json pathology = nlohmann::json::array();
  for (const auto & lesion : volumes.Pathology)
  {
    pathology.push_back({ { "name", lesion.Name },
                          { "side", lesion.Side },
                          { "label", lesion.Label },
                          { "inside_point_lps_mm", lesion.Center } });
  }
  facts["pathology"] = pathology;
  facts["lesion_labels"] = { { "0", "none" },
                             { "1", "lesion that is lung (mass, consolidation)" },
                             { "2", "effusion (not lung)" } };
  facts["lesion_volume_ml"] = { { "inside_lung", double(lesionCounts[1]) * voxelMl },
                                { "effusion", double(lesionCounts[2]) * voxelMl } };
  facts["tissue_hu"] = { { "air", ChestPhantomTissues::Air },
                         { "lung", ChestPhantomTissues::Lung },
                         { "fat", ChestPhantomTissues::Fat },
                         { "soft_tissue", ChestPhantomTissues::SoftTissue },
                         { "blood", ChestPhantomTissues::Blood },
                         { "nodule", ChestPhantomTissues::Nodule },
                         { "rib", ChestPhantomTissues::Rib },
                         { "cortical_bone", ChestPhantomTissues::Cortical },
                         { "cancellous_bone", ChestPhantomTissues::Cancellous },
                         { "out_of_scan", ChestPhantomTissues::OutOfScan } };
  facts["study_instance_uid"] = series.StudyInstanceUID;
  facts["series_instance_uid"] = series.SeriesInstanceUID;
  facts["series_number"] = description.SeriesNumber;
  // The made-up identifiers written into the DICOM files, so privacy tests know what to look for.
  facts["quirks"] = quirks;
  std::string expected = "ok";
  for (const auto & quirk : quirks)
  {
    for (const auto & [name, outcome] : PhantomQuirks())
    {
      if (name == quirk && outcome != "ok")
      {
        expected = outcome;
      }
    }
  }
  facts["expected_run"] = expected;
  facts["synthetic_identifiers"] = { { "patient_name", description.PatientName },
                                     { "patient_id", description.PatientID },
                                     { "patient_birth_date", description.PatientBirthDate },
                                     { "institution_name", description.InstitutionName },
                                     { "accession_number", description.AccessionNumber } };
  return facts;
}
} // namespace

const std::vector<std::pair<std::string, std::string>> &
PhantomQuirks()
{
  static const std::vector<std::pair<std::string, std::string>> quirks = {
    { "shuffled-names", "ok" },
    { "junk-files", "ok" },
    { "two-series", "ok" },
    { "localizer", "ok" },
    { "reversed", "ok" },
    { "varying-intercepts", "ok" },
    { "slope", "ok" },
    { "missing-slice", "ok" },
    { "tracheostomy", "ok" },
    { "gantry-tilt", "ok" },
    { "truncated", "exit 4" },
    { "mass-hilar", "ok" },
    { "mass-paravertebral", "ok" },
    { "consolidation", "ok" },
    { "effusion", "ok" },
  };
  return quirks;
}

WrittenChestPhantom
WriteChestPhantom(const ChestPhantomParameters & parameters, const std::string & outputDirectory,
                  const DicomSeriesDescription & requested, const std::vector<std::string> & quirks)
{
  const DicomSeriesDescription description = DescriptionWithQuirks(requested, quirks, parameters.Slices);
  const ChestPhantomParameters withPathology = WithPathology(parameters, quirks);
  auto                         volumes = ChestPhantom(withPathology).Generate();
  // A tilted gantry images oblique planes that reach above and below the table positions: they are
  // sampled from the same phantom without noise and with extra slices beyond both ends (the slices
  // of the scanned length are those of `volumes`), then get the noise a scanner gives each pixel.
  HUImageType::Pointer source;
  if (description.GantryDetectorTilt)
  {
    ChestPhantomParameters extended = withPathology;
    extended.NoiseSigma = 0.0;
    extended.ExtraSlices = ExtraSlicesForGantryTilt(
      parameters.Matrix, volumes.HU->GetSpacing()[1], parameters.SliceSpacing, *description.GantryDetectorTilt);
    source = ChestPhantom(extended).Generate().HU;
  }
  if (HasQuirk(quirks, "tracheostomy"))
  {
    AddTracheostomyQuirk(parameters, volumes.HU, source);
  }
  WrittenChestPhantom written;
  written.DicomDirectory = (fs::path(outputDirectory) / "dicom").string();
  written.TruthDirectory = (fs::path(outputDirectory) / "truth").string();
  written.FactsFile = (fs::path(written.TruthDirectory) / "facts.json").string();
  EnsureWritableDirectory(outputDirectory);
  EnsureWritableDirectory(written.TruthDirectory);
  // A rerun into the same folder must not leave facts.json describing the previous phantom while
  // the new one is half-written.
  std::error_code ec;
  fs::remove(written.FactsFile, ec);

  HUImageType::Pointer slices = volumes.HU;
  if (source)
  {
    slices = SampleGantryTiltedSlices(source, volumes.HU, *description.GantryDetectorTilt);
    AddNoise(slices, parameters.NoiseSigma, parameters.Seed);
  }
  const auto     series = WriteDicomSeries(slices, written.DicomDirectory, description);
  const fs::path dicom(written.DicomDirectory);
  if (HasQuirk(quirks, "two-series"))
  {
    AddSecondSeries(parameters, description, dicom);
  }
  if (HasQuirk(quirks, "localizer"))
  {
    AddLocalizer(description, series.SeriesInstanceUID, dicom);
  }
  ApplyFileQuirks(series.Files, dicom, quirks, parameters.Seed);
  WriteVolume(volumes.Lungs.GetPointer(), (fs::path(written.TruthDirectory) / "lungs.nrrd").string());
  WriteVolume(volumes.Airways.GetPointer(), (fs::path(written.TruthDirectory) / "airways.nrrd").string());
  WriteVolume(volumes.Bone.GetPointer(), (fs::path(written.TruthDirectory) / "bone.nrrd").string());
  WriteVolume(volumes.Lesions.GetPointer(), (fs::path(written.TruthDirectory) / "lesions.nrrd").string());

  const nlohmann::json facts = Facts(parameters, description, volumes, slices, series, quirks);
  written.LungVolumeMl = facts.at("lung_volume_ml").get<double>();
  WriteTextFileAtomically(written.FactsFile, facts.dump(2) + "\n");
  return written;
}

} // namespace ctp
