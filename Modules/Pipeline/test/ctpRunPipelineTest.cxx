#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpRunPipeline.h"

#include "itkImageFileReader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
fs::path
TempDir(const std::string & name)
{
  const fs::path dir = fs::temp_directory_path() / ("ctp-pipeline-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::string
ReadAll(const fs::path & path)
{
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
} // namespace

TEST(RunPipeline, PhantomGivesHuOnTheOriginalGridWithoutPatientData)
{
  const fs::path              dir = TempDir("phantom");
  ctp::ChestPhantomParameters p;
  p.Matrix = 64;
  p.Slices = 20;
  p.SliceSpacing = 5.0;
  const auto      phantom = ctp::WriteChestPhantom(p, (dir / "in").string());
  ctp::RunOptions options;
  options.Input = phantom.DicomDirectory;
  options.OutputDirectory = (dir / "out").string();
  options.Spacing.reset(); // --spacing none
  const auto result = ctp::RunPipeline(options);
  // hu, lungmask, input.npy, bone.stl, lungs.stl, preview, histogram, ctprep.json; no render.png:
  // no display and no renderer executable given here.
  ASSERT_EQ(result.Outputs.size(), 8u);

  auto reader = itk::ImageFileReader<ctp::HUImageType>::New();
  reader->SetFileName((dir / "out" / "hu.nrrd").string());
  reader->Update();
  const auto truth = ctp::ChestPhantom(p).Generate();
  EXPECT_EQ(reader->GetOutput()->GetLargestPossibleRegion().GetSize(), truth.HU->GetLargestPossibleRegion().GetSize());
  EXPECT_EQ(reader->GetOutput()->GetPixel({ { 32, 20, 10 } }), truth.HU->GetPixel({ { 32, 20, 10 } }));

  for (const char * name :
       { "hu.nrrd", "lungmask.nrrd", "input.npy", "preview.png", "hu_histogram.png", "ctprep.json" })
  {
    const std::string bytes = ReadAll(dir / "out" / name);
    for (const char * identifier :
         { "CTPREP^PHANTOM", "CTP-PHANTOM-0001", "19700101", "CTPrep Synthetic Hospital", "CTP0000001" })
    {
      EXPECT_EQ(bytes.find(identifier), std::string::npos) << identifier << " in " << name;
    }
  }

  // --keep-phi: the user asks for the DICOM tags, they are in the NRRD header.
  options.KeepPatientData = true;
  options.OutputDirectory = (dir / "out-phi").string();
  options.VolumeFormats = { "nrrd", "nii" };
  ctp::RunPipeline(options);
  EXPECT_NE(ReadAll(dir / "out-phi" / "hu.nrrd").find("CTPREP^PHANTOM"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out-phi" / "hu.nii"));
  for (const auto & entry : fs::directory_iterator(dir / "out-phi"))
  {
    EXPECT_NE(entry.path().filename().string().rfind(".ctp-tmp-", 0), 0u) << "temporary file left: " << entry.path();
  }
  fs::remove_all(dir);
}

TEST(RunPipeline, ErrorsNameThePathAndHaveAKind)
{
  const fs::path dir = TempDir("errors");
  fs::create_directories(dir / "empty");
  std::ofstream(dir / "notes.txt") << "not DICOM";
  fs::create_directories(dir / "text");
  std::ofstream(dir / "text" / "a.txt") << "not DICOM either";

  const auto expectKind = [&](const fs::path & input, ctp::ErrorKind kind) {
    ctp::RunOptions options;
    options.Input = input.string();
    options.OutputDirectory = (dir / "out").string();
    try
    {
      ctp::RunPipeline(options);
      ADD_FAILURE() << "expected an error for " << input;
    }
    catch (const ctp::Error & e)
    {
      EXPECT_EQ(e.Kind(), kind) << e.what();
      EXPECT_NE(std::string(e.what()).find(input.string()), std::string::npos) << e.what();
    }
  };
  expectKind(dir / "missing", ctp::ErrorKind::InvalidInput);
  expectKind(dir / "empty", ctp::ErrorKind::NoDicom);
  expectKind(dir / "text", ctp::ErrorKind::NoDicom);
  EXPECT_FALSE(fs::exists(dir / "out" / "hu.nrrd")) << "nothing written for bad input";
  fs::remove_all(dir);
}
