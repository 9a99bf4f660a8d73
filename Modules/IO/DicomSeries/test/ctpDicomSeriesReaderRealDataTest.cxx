// Tests on the public real CT series in ../shared/data (see its README.md for sources and licenses).
// Skipped, with the reason, on a machine without that folder.
#include "ctpDicomSeriesReader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace
{
fs::path
SharedData()
{
  const char * env = std::getenv("CTP_SHARED_DATA");
  return fs::path(env != nullptr ? env : CTP_SHARED_DATA_DIR);
}

#define CTP_REQUIRE_SHARED_DATA(relative)                                                                              \
  if (!fs::exists(SharedData() / (relative)))                                                                          \
  {                                                                                                                    \
    GTEST_SKIP() << "shared real data not found: " << (SharedData() / (relative)).string()                             \
                 << " (set CTP_SHARED_DATA to the folder holding lung-pet-ct-dx/)";                                    \
  }
} // namespace

// Lung-PET-CT-Dx (TCIA, CC BY 4.0), patient A0001, series 2: 64 axial slices, 0.841796875 mm, 5 mm.
TEST(DicomSeriesReaderRealData, LungPetCtDxA0001Series2Geometry)
{
  const fs::path series =
    fs::path("lung-pet-ct-dx") / "Lung_Dx-A0001" / "04-04-2007-NA-Chest-07990" / "2.000000-5mm-40805";
  CTP_REQUIRE_SHARED_DATA(series);
  const auto   loaded = ctp::ReadDicomSeries((SharedData() / series).string());
  const auto * image = loaded.Image.GetPointer();
  const auto   size = image->GetLargestPossibleRegion().GetSize();
  EXPECT_EQ(size[0], 512u);
  EXPECT_EQ(size[1], 512u);
  EXPECT_EQ(size[2], 64u);
  EXPECT_NEAR(image->GetSpacing()[0], 0.841796875, 1e-6);
  EXPECT_NEAR(image->GetSpacing()[2], 5.0, 1e-3);
  EXPECT_NEAR(image->GetOrigin()[2], -439.0, 1e-3);
  EXPECT_EQ(loaded.Files.size(), 64u);
}
