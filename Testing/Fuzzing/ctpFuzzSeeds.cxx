// Seeds for ctpDicomFileFuzzer: single slices of small synthetic chest CTs (what `ctprep phantom`
// writes), each with another of the troubles CTPrep meets, one file each in OUT_DIR.
//   ctpFuzzSeeds OUT_DIR
#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpToolkitWarnings.h"

#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

int
main(int argc, char * argv[])
{
  if (argc != 2)
  {
    std::cerr << "usage: ctpFuzzSeeds OUT_DIR\n";
    return 1;
  }
  struct Seed
  {
    std::string              Name;
    std::vector<std::string> Quirks;
    bool                     FeetFirst{ false };
    std::string              Modality{ "CT" };
    std::string              File{ "slice_0002.dcm" };
  };
  const std::vector<Seed> seeds = { { "plain", {} },
                                    { "slope", { "slope" } },
                                    { "varying-intercepts", { "varying-intercepts" } },
                                    { "gantry-tilt", { "gantry-tilt" } },
                                    { "localizer", { "localizer" }, false, "CT", "scout.dcm" },
                                    { "feet-first", {}, true },
                                    { "mr", {}, false, "MR" },
                                    { "secondary-capture", {}, false, "OT" } };
  ctp::QuietToolkitWarnings();
  const fs::path out(argv[1]);
  const fs::path work = out / ".phantoms";
  try
  {
    fs::create_directories(out);
    for (const auto & seed : seeds)
    {
      ctp::ChestPhantomParameters parameters;
      parameters.Matrix = 32;
      parameters.Slices = 3;
      parameters.SliceSpacing = 5.0;
      parameters.FeetFirst = seed.FeetFirst;
      ctp::DicomSeriesDescription description;
      description.Modality = seed.Modality;
      const auto written = ctp::WriteChestPhantom(parameters, (work / seed.Name).string(), description, seed.Quirks);
      fs::copy_file(fs::path(written.DicomDirectory) / seed.File,
                    out / ("phantom-" + seed.Name + ".dcm"),
                    fs::copy_options::overwrite_existing);
    }
    fs::remove_all(work);
  }
  catch (const std::exception & e)
  {
    std::cerr << "Error: " << e.what() << "\n";
    return 1;
  }
  std::cout << seeds.size() << " phantom slices in " << out.string() << "\n";
  return 0;
}
