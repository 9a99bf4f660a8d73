#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpRunPipeline.h"
#include "ctpSliceGeometry.h"
#include "ctpSliceStackResampler.h"

#include "itkGDCMImageIO.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"

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

// A few kilobytes of compressed slices may declare a 65535 x 65535 matrix. Without --max-memory the
// guard uses the machine's memory: a clear refusal (exit 9) before any volume is allocated, instead
// of the kernel's out-of-memory killer.
TEST(RunPipeline, MatrixLargerThanTheMachineIsRefusedBeforeReading)
{
  const fs::path              dir = TempDir("huge");
  ctp::ChestPhantomParameters p;
  p.Matrix = 32;
  p.Slices = 3;
  const auto phantom = ctp::WriteChestPhantom(p, (dir / "in").string());
  fs::create_directories(dir / "compressed");
  size_t slices = 0;
  for (const auto & entry : fs::directory_iterator(phantom.DicomDirectory))
  {
    // The slice again, JPEG 2000 compressed, its tags (series, position) kept.
    auto readIO = itk::GDCMImageIO::New();
    auto reader = itk::ImageFileReader<ctp::HUImageType>::New();
    reader->SetImageIO(readIO);
    reader->SetFileName(entry.path().string());
    reader->Update();
    auto writeIO = itk::GDCMImageIO::New();
    writeIO->KeepOriginalUIDOn();
    writeIO->SetCompressionType(itk::GDCMImageIO::JPEG2000);
    writeIO->SetMetaDataDictionary(readIO->GetMetaDataDictionary());
    auto writer = itk::ImageFileWriter<ctp::HUImageType>::New();
    writer->SetImageIO(writeIO);
    writer->UseCompressionOn();
    writer->SetInput(reader->GetOutput());
    const fs::path path = dir / "compressed" / entry.path().filename();
    writer->SetFileName(path.string());
    writer->Update();
    // Rows and Columns (US, explicit VR little endian) become 65535, and so do the codestream's.
    std::string  bytes = ReadAll(path);
    const size_t siz = bytes.find(std::string("\xff\x4f\xff\x51", 4));
    ASSERT_NE(siz, std::string::npos);
    for (const size_t at : { siz + 8, siz + 12 }) // Xsiz, Ysiz (big endian)
    {
      bytes.replace(at, 4, std::string("\0\0\xff\xff", 4));
    }
    for (const char element : { '\x10', '\x11' })
    {
      const size_t at = bytes.find(std::string("\x28\x00", 2) + element + std::string("\x00US\x02\x00", 5));
      ASSERT_NE(at, std::string::npos);
      bytes[at + 8] = '\xff';
      bytes[at + 9] = '\xff';
    }
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    ++slices;
  }
  ASSERT_EQ(slices, 3u);
  ctp::RunOptions options;
  options.Input = (dir / "compressed").string();
  options.OutputDirectory = (dir / "out").string();
  try
  {
    ctp::RunPipeline(options);
    ADD_FAILURE() << "read";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::MemoryLimit) << e.what();
    EXPECT_NE(std::string(e.what()).find("GiB exceeds this machine's memory"), std::string::npos) << e.what();
  }
  EXPECT_TRUE(fs::is_empty(dir / "out")) << "nothing written";
  fs::remove_all(dir);
}

// The memory estimate of a tilted series counts the tilt-corrected grid, which holds every pixel of
// every slice: 512 rows of 0.7 mm reach 123 mm further along the table at 20 degrees than the first
// pixels of 100 slices 2 mm apart span (198 mm), and the rows' shadow widens too.
TEST(RunPipeline, MemoryEstimateOfATiltedSeriesCountsTheCorrectedGrid)
{
  auto series = [](double tiltDegrees, int slices) {
    const double         t = tiltDegrees * M_PI / 180.0;
    ctp::DicomSeriesInfo info;
    for (int k = 0; k < slices; ++k)
    {
      ctp::DicomFileInfo f;
      f.Path = "s" + std::to_string(k);
      f.Rows = f.Columns = 512;
      f.HasPixelSpacing = f.HasPosition = f.HasOrientation = true;
      f.PixelSpacing = { { 0.7, 0.7 } };
      f.ImageOrientationPatient = { { 1, 0, 0, 0, std::cos(t), -std::sin(t) } };
      f.ImagePositionPatient = { { 0.0, 0.0, 2.0 * k } };
      info.Files.push_back(f);
    }
    info.Geometry = ctp::AnalyzeSliceGeometry(info.Files);
    return info;
  };
  const auto tilted = series(20.0, 100);
  ASSERT_TRUE(tilted.Geometry->Tilted);
  const auto   grid = ctp::PlanUniformGrid(*tilted.Geometry, ctp::StackMapping::Physical);
  const double stackVoxels = 512.0 * 512.0 * 100.0;
  const double gridVoxels = double(grid.Size[0]) * double(grid.Size[1]) * double(grid.Size[2]);
  EXPECT_GT(gridVoxels, 1.5 * stackVoxels) << "the corrected grid is larger than the stack";
  // Without resampling the estimate is linear in the voxels: its slope from 100 and 200 flat slices.
  const double flat = ctp::EstimateRunMemoryGiB(series(0.0, 100), std::nullopt);
  const double slope = (ctp::EstimateRunMemoryGiB(series(0.0, 200), std::nullopt) - flat) / stackVoxels;
  EXPECT_NEAR(ctp::EstimateRunMemoryGiB(tilted, std::nullopt) - flat, slope * (gridVoxels - stackVoxels), 1e-9);
}
