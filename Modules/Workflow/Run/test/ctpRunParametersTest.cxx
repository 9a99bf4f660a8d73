#include "ctpError.h"
#include "ctpRunParameters.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <unistd.h>

namespace
{
const ctp::RunParameter &
Find(const std::string & name)
{
  for (const auto & p : ctp::RunParameters())
  {
    if (p.Name == name)
    {
      return p;
    }
  }
  throw std::runtime_error("no parameter " + name);
}
} // namespace

TEST(RunParameters, NamesAreUniqueAndEachRoundTripsItsDefault)
{
  std::set<std::string> names;
  const ctp::RunOptions defaults;
  for (const auto & p : ctp::RunParameters())
  {
    EXPECT_TRUE(names.insert(p.Name).second) << p.Name << " declared twice";
    EXPECT_FALSE(p.Help.empty()) << p.Name;
    ctp::RunOptions options;
    p.Set(options, p.Get(defaults));
    EXPECT_EQ(p.Get(options), p.Get(defaults)) << p.Name;
  }
  EXPECT_EQ(names.size(), 41u); // 40 recorded in ctprep.json, and the memory limit
}

TEST(RunParameters, CommandLineTextBecomesTheRecordedValue)
{
  ctp::RunOptions options;
  Find("spacing_mm").Set(options, Find("spacing_mm").Parse("2"));
  ASSERT_TRUE(options.Spacing);
  EXPECT_EQ(*options.Spacing, (std::array<double, 3>{ 2.0, 2.0, 2.0 }));
  Find("spacing_mm").Set(options, Find("spacing_mm").Parse("0.7,0.7,1.25"));
  EXPECT_EQ(*options.Spacing, (std::array<double, 3>{ 0.7, 0.7, 1.25 }));
  Find("spacing_mm").Set(options, Find("spacing_mm").Parse("none"));
  EXPECT_FALSE(options.Spacing);
  Find("effusion_hu").Set(options, Find("effusion_hu").Parse("-10,20"));
  EXPECT_EQ(options.EffusionLowerHU, -10.0);
  EXPECT_EQ(options.EffusionUpperHU, 20.0);
  Find("formats").Set(options, Find("formats").Parse("nii.gz,nrrd,nii.gz"));
  EXPECT_EQ(options.VolumeFormats, (std::vector<std::string>{ "nii.gz", "nrrd" }));
  Find("series").Set(options, Find("series").Parse("largest"));
  EXPECT_EQ(options.Read.Series, "");
  Find("air_hu").Set(options, Find("air_hu").Parse("-1024"));
  EXPECT_EQ(options.Read.PaddingReplacement, -1024);
}

TEST(RunParameters, BadValuesAreUsageErrorsNamingTheParameter)
{
  ctp::RunOptions                                        options;
  const std::vector<std::pair<std::string, std::string>> bad = {
    { "spacing_mm", "0" },
    { "spacing_mm", "1,2" },
    { "effusion_hu", "30,-20" },
    { "effusion_hu", "water" },
    { "crop_to_lungs_mm", "-5" },
    { "mask_input_mm", "-1" },
    { "lesion_envelope_mm", "0" },
    { "fill_closing_mm", "-1" },
    { "smoothing_pass_band", "3" },
    { "decimation", "1" },
    { "air_hu", "40000" },
    { "formats", "tiff" },
    { "uneven_spacing", "sometimes" },
    { "interpolator", "cubic" },
    { "normalize_hu", "400,-1000" },
    { "lung_threshold_hu", "-320x" },
  };
  for (const auto & [name, text] : bad)
  {
    try
    {
      Find(name).Set(options, Find(name).Parse(text));
      ADD_FAILURE() << name << " accepted " << text;
    }
    catch (const ctp::Error & e)
    {
      EXPECT_EQ(e.Kind(), ctp::ErrorKind::Usage) << name;
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
}

TEST(RunParameters, AParameterFileGivesBackEveryRecordedParameter)
{
  ctp::RunOptions options;
  options.Spacing = std::array<double, 3>{ 1.5, 1.5, 2.0 };
  options.Lesions = false;
  options.CropToLungsMm = 10.0;
  options.EffusionLowerHU = -15.0;
  options.VolumeFormats = { "nrrd", "nii.gz" };
  options.Surfaces.SmoothingIterations = 7;
  options.Read.KeepTilt = true;
  options.MaxMemoryGiB = 3.0; // a limit of this machine: not in the file
  const auto path = std::filesystem::temp_directory_path() / ("ctp_parameters_" + std::to_string(::getpid()) + ".json");
  ctp::WriteParameterFile(options, path.string());
  ctp::RunOptions read;
  ctp::ReadParameterFile(read, path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(ctp::RecordedParameters(read), ctp::RecordedParameters(options));
  EXPECT_EQ(read.MaxMemoryGiB, 0.0);
  EXPECT_TRUE(read.Read.KeepTilt);
  EXPECT_EQ(read.Surfaces.SmoothingIterations, 7);
  EXPECT_THROW(ctp::ApplyParameters(read, { { "no_such_parameter", 1 } }, "test"), ctp::Error);
}

TEST(RunParameters, RecordedTypesAreThoseOfTheSidecar)
{
  const auto recorded = ctp::RecordedParameters(ctp::RunOptions{});
  EXPECT_EQ(recorded.size(), 40u);
  EXPECT_TRUE(recorded.at("air_hu").is_number_integer());
  EXPECT_TRUE(recorded.at("smoothing_iterations").is_number_integer());
  EXPECT_TRUE(recorded.at("lesion_envelope_mm").is_number_float());
  EXPECT_TRUE(recorded.at("crop_to_lungs_mm").is_null());
  EXPECT_EQ(recorded.at("spacing_mm"), nlohmann::json({ 1.0, 1.0, 1.0 }));
  EXPECT_EQ(recorded.at("effusion_hu"), nlohmann::json({ -20.0, 30.0 }));
  EXPECT_EQ(recorded.at("uneven_spacing"), "resample");
}
