#include "ctpChestPhantomWriter.h"
#include "ctpRenderOutputs.h"
#include "ctpRunPipeline.h"
#include "ctpSurfaceRenderer.h"

#include "itkImageFileReader.h"
#include "itkRGBPixel.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

TEST(RenderOutputs, RenderShowsBoneAndLungs)
{
  const std::string ctprep = std::string(CTP_BINARY_DIR) + "/bin/ctprep";
  if (!ctp::HasDisplay() && std::system("command -v xvfb-run > /dev/null 2>&1") != 0)
  {
    GTEST_SKIP() << "no X display and no xvfb-run (apt-get install xvfb xauth libgl1-mesa-dri)";
  }
  const fs::path              dir = fs::temp_directory_path() / ("ctp-render-" + std::to_string(::getpid()));
  ctp::ChestPhantomParameters p;
  p.Matrix = 128;
  p.Slices = 40;
  p.SliceSpacing = 4.0;
  const auto      phantom = ctp::WriteChestPhantom(p, (dir / "in").string());
  ctp::RunOptions options;
  options.Input = phantom.DicomDirectory;
  options.OutputDirectory = (dir / "out").string();
  const auto result = ctp::RunPipeline(options);
  ASSERT_TRUE(fs::exists(dir / "out" / "render.png"))
    << "render.png missing; warnings: " << (result.Warnings.empty() ? "" : result.Warnings.back());

  using Image = itk::Image<itk::RGBPixel<unsigned char>, 2>;
  auto reader = itk::ImageFileReader<Image>::New();
  reader->SetFileName((dir / "out" / "render.png").string());
  reader->Update();
  const auto * image = reader->GetOutput();
  const auto   background = image->GetPixel({ { 0, 0 } });
  size_t       drawn = 0;
  size_t       ivory = 0;
  size_t       pink = 0;
  const size_t n = image->GetLargestPossibleRegion().GetNumberOfPixels();
  for (size_t v = 0; v < n; ++v)
  {
    const auto & c = image->GetBufferPointer()[v];
    drawn += c != background;
    ivory += c[0] > 150 && c[1] > 140 && c[2] > 110 && std::abs(int(c[0]) - int(c[2])) < 60;
    pink += c[0] > 100 && c[0] > c[1] + 30 && c[0] > c[2] + 30;
  }
  EXPECT_GT(drawn, n / 20) << "more than 5% of the picture drawn";
  EXPECT_GT(ivory, n / 500) << "bone visible";
  EXPECT_GT(pink, n / 500) << "lungs visible";
  fs::remove_all(dir);
}
