#include "ctpChestPhantomWriter.h"
#include "ctpError.h"
#include "ctpRunMemory.h"
#include "ctpRunPipeline.h"
#include "ctpSliceGeometry.h"
#include "ctpSliceStackResampler.h"

#include "itkGDCMImageIO.h"
#include "itkImageFileReader.h"
#include "itkImageFileWriter.h"
#include "itkImageRegionConstIteratorWithIndex.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
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
  options.Render = false;  // render.png: RenderOutputsTest
  const auto result = ctp::RunPipeline(options);
  // hu, lungmask, lungmask.seg.nrrd, input.npy, bone.stl, lungs.stl, preview, histogram, scene.mrml
  // (ctprep.json is not listed in itself; render.png is off here, tested in ctpRenderOutputsTest).
  ASSERT_EQ(result.Outputs.size(), 9u);
  EXPECT_TRUE(fs::exists(dir / "out" / "ctprep.json"));

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

namespace
{
/** input.npy's floats (C order z, y, x) after its NumPy 1.0 header. */
std::vector<float>
ReadNpy(const fs::path & path)
{
  const std::string  bytes = ReadAll(path);
  const size_t       header = 10 + size_t(uint8_t(bytes[8])) + 256 * size_t(uint8_t(bytes[9]));
  std::vector<float> values((bytes.size() - header) / sizeof(float));
  std::memcpy(values.data(), bytes.data() + header, values.size() * sizeof(float));
  return values;
}

template <typename TImage>
typename TImage::Pointer
ReadImage(const fs::path & path)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(path.string());
  reader->Update();
  return reader->GetOutput();
}
} // namespace

TEST(RunPipeline, CropToLungsHoldsTheLungsAndItsGeometryMapsCropVoxelsToLps)
{
  const fs::path              dir = TempDir("crop");
  ctp::ChestPhantomParameters p;
  p.Matrix = 96;
  p.Slices = 40;
  p.SliceSpacing = 4.0;
  const auto      phantom = ctp::WriteChestPhantom(p, (dir / "in").string());
  ctp::RunOptions options;
  options.Input = phantom.DicomDirectory;
  options.Spacing.reset(); // the truth's own grid
  options.Mesh = false;
  options.OutputDirectory = (dir / "whole").string();
  ctp::RunPipeline(options);
  options.OutputDirectory = (dir / "crop").string();
  options.CropToLungsMm = 10.0;
  options.MaskInputMm = 8.0;
  options.MaskPadHU = 0.0;
  ctp::RunPipeline(options);

  const auto                  truth = ctp::ChestPhantom(p).Generate();
  const auto                  whole = ReadImage<ctp::HUImageType>(dir / "whole" / "hu.nrrd");
  const auto                  cropped = ReadImage<ctp::HUImageType>(dir / "crop" / "hu.nrrd");
  const auto                  sidecar = nlohmann::json::parse(ReadAll(dir / "crop" / "ctprep.json"));
  const auto                  offset = sidecar["crop"]["index_offset_xyz"].get<std::array<long, 3>>();
  const auto                  size = cropped->GetLargestPossibleRegion().GetSize();
  const std::array<size_t, 3> sizeXyz{ size[0], size[1], size[2] };
  const auto                  sizeInSidecar = sidecar["crop"]["size_xyz"].get<std::array<size_t, 3>>();
  EXPECT_EQ(sizeInSidecar, sizeXyz);
  // The crop holds every truth lung voxel with 10 mm around it (clamped at the grid's faces).
  const auto spacing = truth.HU->GetSpacing();
  const auto full = truth.HU->GetLargestPossibleRegion().GetSize();
  long       low[3] = { long(full[0]), long(full[1]), long(full[2]) }, high[3] = { -1, -1, -1 };
  for (itk::ImageRegionConstIteratorWithIndex<ctp::MaskImageType> it(truth.Lungs,
                                                                     truth.Lungs->GetLargestPossibleRegion());
       !it.IsAtEnd();
       ++it)
  {
    if (it.Get())
    {
      for (unsigned int a = 0; a < 3; ++a)
      {
        low[a] = std::min(low[a], long(it.GetIndex()[a]));
        high[a] = std::max(high[a], long(it.GetIndex()[a]));
      }
    }
  }
  for (unsigned int a = 0; a < 3; ++a)
  {
    const long margin = long(std::ceil(10.0 / spacing[a]));
    EXPECT_LE(offset[a], std::max(0L, low[a] - margin)) << "axis " << a;
    EXPECT_GE(offset[a] + long(size[a]) - 1, std::min(long(full[a]) - 1, high[a] + margin)) << "axis " << a;
  }
  // ctprep.json's output geometry maps a crop voxel to the LPS point of the whole grid's voxel at the
  // offset, and hu.nrrd holds that voxel's value.
  const auto & g = sidecar["output_geometry"];
  for (const auto & c : { std::array<long, 3>{ 0, 0, 0 },
                          std::array<long, 3>{ long(size[0]) - 1, long(size[1]) / 2, long(size[2]) - 1 },
                          std::array<long, 3>{ 3, long(size[1]) - 1, 7 } })
  {
    ctp::HUImageType::IndexType wholeIndex{ { c[0] + offset[0], c[1] + offset[1], c[2] + offset[2] } };
    ctp::HUImageType::PointType expected;
    whole->TransformIndexToPhysicalPoint(wholeIndex, expected);
    for (unsigned int r = 0; r < 3; ++r)
    {
      double lps = g["origin"][r].get<double>();
      for (unsigned int a = 0; a < 3; ++a)
      {
        lps += g["direction"][3 * r + a].get<double>() * g["spacing"][a].get<double>() * double(c[a]);
      }
      EXPECT_NEAR(lps, expected[r], 1e-6);
    }
    EXPECT_EQ(cropped->GetPixel({ { c[0], c[1], c[2] } }), whole->GetPixel(wholeIndex));
  }
  // input.npy: the crop's shape; beyond 8 mm of the lungs the pad (0 HU: (0 + 1000) / 1400 - 0.25),
  // inside the lungs the normalized HU.
  const auto mask = ReadImage<ctp::MaskImageType>(dir / "crop" / "lungmask.nrrd");
  const auto values = ReadNpy(dir / "crop" / "input.npy");
  ASSERT_EQ(values.size(), size[0] * size[1] * size[2]);
  const float pad = float(1000.0 / 1400.0 - 0.25);
  EXPECT_NEAR(sidecar["input_npy"]["masked"]["pad_value"].get<double>(), pad, 1e-6);
  EXPECT_NEAR(values[0], pad, 1e-6) << "the crop's corner is outside the lungs";
  size_t lungVoxels = 0;
  for (size_t v = 0; v < values.size(); ++v)
  {
    const auto l = mask->GetBufferPointer()[v];
    if (l == 1 || l == 2)
    {
      const double hu = cropped->GetBufferPointer()[v];
      EXPECT_NEAR(values[v], std::clamp((hu + 1000.0) / 1400.0, 0.0, 1.0) - 0.25, 1e-5);
      ++lungVoxels;
    }
  }
  EXPECT_GT(lungVoxels, 1000u);
}
