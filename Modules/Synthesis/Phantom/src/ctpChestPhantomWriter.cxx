#include "ctpChestPhantomWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpVolumeWriter.h"

#include "itkImageRegionConstIterator.h"

#include <nlohmann/json.hpp>

#include <filesystem>

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
} // namespace

WrittenChestPhantom
WriteChestPhantom(const ChestPhantomParameters & parameters, const std::string & outputDirectory,
                  const DicomSeriesDescription & description)
{
  const ChestPhantom  phantom(parameters);
  const auto          volumes = phantom.Generate();
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

  const auto series = WriteDicomSeries(volumes.HU, written.DicomDirectory, description);
  WriteVolume(volumes.Lungs.GetPointer(), (fs::path(written.TruthDirectory) / "lungs.nrrd").string());
  WriteVolume(volumes.Airways.GetPointer(), (fs::path(written.TruthDirectory) / "airways.nrrd").string());
  WriteVolume(volumes.Bone.GetPointer(), (fs::path(written.TruthDirectory) / "bone.nrrd").string());

  const auto * hu = volumes.HU.GetPointer();
  const auto   spacing = hu->GetSpacing();
  const double voxelMl = spacing[0] * spacing[1] * spacing[2] / 1000.0;
  const auto   lungs = CountLabels(volumes.Lungs);
  const auto   airways = CountLabels(volumes.Airways);
  const auto   bone = CountLabels(volumes.Bone);
  written.LungVolumeMl = double(lungs[1] + lungs[2]) * voxelMl;

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
  facts["rescale"] = { { "slope", description.RescaleSlope }, { "intercept", description.RescaleIntercept } };
  facts["out_of_scan_stored_value"] = ChestPhantomTissues::OutOfScan - description.RescaleIntercept;
  facts["voxel_volume_ml"] = voxelMl;
  facts["lung_voxels"] = { { "right", lungs[1] }, { "left", lungs[2] }, { "total", lungs[1] + lungs[2] } };
  facts["lung_volume_ml"] = written.LungVolumeMl;
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
  facts["synthetic_identifiers"] = { { "patient_name", description.PatientName },
                                     { "patient_id", description.PatientID },
                                     { "patient_birth_date", description.PatientBirthDate },
                                     { "institution_name", description.InstitutionName },
                                     { "accession_number", description.AccessionNumber } };
  WriteTextFileAtomically(written.FactsFile, facts.dump(2) + "\n");
  return written;
}

} // namespace ctp
