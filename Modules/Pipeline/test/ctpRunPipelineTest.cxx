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
  const auto result = ctp::RunPipeline(options);
  ASSERT_EQ(result.Outputs.size(), 2u);

  auto reader = itk::ImageFileReader<ctp::HUImageType>::New();
  reader->SetFileName((dir / "out" / "hu.nrrd").string());
  reader->Update();
  const auto truth = ctp::ChestPhantom(p).Generate();
  EXPECT_EQ(reader->GetOutput()->GetLargestPossibleRegion().GetSize(), truth.HU->GetLargestPossibleRegion().GetSize());
  EXPECT_EQ(reader->GetOutput()->GetPixel({ { 32, 20, 10 } }), truth.HU->GetPixel({ { 32, 20, 10 } }));

  const std::string header = ReadAll(dir / "out" / "hu.nrrd");
  EXPECT_EQ(header.find("CTPREP^PHANTOM"), std::string::npos);
  EXPECT_EQ(header.find("CTP-PHANTOM-0001"), std::string::npos);
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
