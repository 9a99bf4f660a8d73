#include "ctpChestPhantomWriter.h"
#include "ctpRenderOutputs.h"
#include "ctpRunPipeline.h"

#include "itkImageFileReader.h"
#include "itkRGBPixel.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
/** Checks a render.png: 1200 x 700, mostly drawn, bone (ivory) and lungs (pink) both visible. */
void
ExpectBoneAndLungs(const fs::path & png)
{
  using Image = itk::Image<itk::RGBPixel<unsigned char>, 2>;
  auto reader = itk::ImageFileReader<Image>::New();
  reader->SetFileName(png.string());
  reader->Update();
  const auto * image = reader->GetOutput();
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(0), 1200u);
  EXPECT_EQ(image->GetLargestPossibleRegion().GetSize(1), 700u);
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
  EXPECT_GT(drawn, n / 20) << png << ": more than 5% of the picture drawn";
  EXPECT_GT(ivory, n / 500) << png << ": bone visible";
  EXPECT_GT(pink, n / 500) << png << ": lungs visible";
}

/** Processes whose parent is this one (an Xvfb left running would be one). */
size_t
ChildProcesses()
{
  size_t children = 0;
  for (const auto & entry : fs::directory_iterator("/proc"))
  {
    std::ifstream status(entry.path() / "status");
    std::string   line;
    while (std::getline(status, line))
    {
      if (line.rfind("PPid:", 0) == 0)
      {
        children += std::stol(line.substr(5)) == long(::getpid());
        break;
      }
    }
  }
  return children;
}
} // namespace

// `ctprep run` without an X display draws render.png in its own process on a private Xvfb, from the
// surfaces it made, and leaves no process behind; `ctprep render` draws it again from the STL files.
TEST(RenderOutputs, RenderShowsBoneAndLungsWithoutDisplay)
{
  if (std::system("command -v Xvfb > /dev/null 2>&1") != 0)
  {
    GTEST_SKIP() << "no Xvfb (apt-get install xvfb libgl1-mesa-dri)";
  }
  const char *      display = std::getenv("DISPLAY");
  const std::string saved = display ? display : "";
  ::unsetenv("DISPLAY");
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
  EXPECT_EQ(ChildProcesses(), 0u) << "the private X server is still running";
  ASSERT_TRUE(fs::exists(dir / "out" / "render.png"))
    << "render.png missing; warnings: " << (result.Warnings.empty() ? "" : result.Warnings.back());
  ExpectBoneAndLungs(dir / "out" / "render.png");
  std::ifstream  sidecar(dir / "out" / "ctprep.json");
  nlohmann::json json = nlohmann::json::parse(sidecar);
  // The old second process (xvfb-run, ctprep render, a second lung mask) took seconds even here;
  // a loose bound, so a busy machine does not fail it.
  EXPECT_LT(json["seconds"]["render"].get<double>(), 10.0);

  std::string reason;
  EXPECT_TRUE(ctp::RenderRunFolder((dir / "out").string(), (dir / "again.png").string(), reason)) << reason;
  EXPECT_EQ(ChildProcesses(), 0u);
  ExpectBoneAndLungs(dir / "again.png");

  // A folder without surfaces: a clear refusal, no picture.
  EXPECT_FALSE(ctp::RenderRunFolder((dir / "in").string(), (dir / "none.png").string(), reason));
  EXPECT_NE(reason.find("bone.stl"), std::string::npos) << reason;
  EXPECT_FALSE(fs::exists(dir / "none.png"));
  if (!saved.empty())
  {
    ::setenv("DISPLAY", saved.c_str(), 1);
  }
  fs::remove_all(dir);
}
