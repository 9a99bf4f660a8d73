#include "ctpLungMaskImageFilter.h"
#include "ctpNoduleAnnotations.h"
#include "ctpRunStages.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
void
NodulesStage(const NetworkVolumes & volumes, const RunOptions & options, const std::string & directory,
             RunRecord & record)
{
  if (options.Annotations.empty())
  {
    return;
  }
  // LUNA16 names a case by its SeriesInstanceUID; a volume file by its name (LUNA16's <seriesuid>.mhd).
  const std::string id = record.Volume ? record.Volume->Name : record.Source.SeriesInstanceUID;
  const auto        nodules =
    MapNodules(ReadNoduleAnnotations(options.Annotations, id), volumes.Mask, LungMaskImageFilter::IsLung);
  WriteNodulesCsv(nodules, (fs::path(directory) / "nodules.csv").string());
  WriteNodulesMarkups(nodules, (fs::path(directory) / "nodules.mrk.json").string());
  NodulesRecord n{ options.Annotations, id, nodules.size(), 0, 0 };
  for (const auto & nodule : nodules)
  {
    n.InsideVolume += nodule.InsideVolume;
    n.InsideLungs += nodule.InsideLungs;
  }
  record.Nodules = n;
  record.Decide(std::to_string(n.Annotations) + " annotation(s) of " + id + " placed on the output grid (nodules.csv)");
  if (n.InsideVolume < n.Annotations)
  {
    record.Warn(std::to_string(n.Annotations - n.InsideVolume) +
                " annotation(s) lie outside the output volume (listed in nodules.csv, inside_volume false)");
  }
  record.EndStage("nodules");
}

} // namespace ctp
