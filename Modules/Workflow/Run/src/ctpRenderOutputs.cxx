#include "ctpRenderOutputs.h"
#include "ctpError.h"
#include "ctpIsotropicResampler.h"
#include "ctpLungMaskImageFilter.h"
#include "ctpSurfaceExtractor.h"
#include "ctpSurfaceRenderer.h"

#include "itkImageFileReader.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
template <typename TImage>
typename TImage::Pointer
Read(const fs::path & path)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(path.string());
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path.string(), std::string("cannot read: ") + e.GetDescription());
  }
  return reader->GetOutput();
}
} // namespace

void
RenderRunOutputs(const std::string & directory, const std::string & png)
{
  const fs::path folder(directory);
  const auto     fullHU = Read<HUImageType>(folder / "hu.nrrd");
  const auto     grid = PlanResampleGrid(fullHU, { 2.5, 2.5, 2.5 });
  const auto     hu = ResampleHU(fullHU, grid, Interpolator::Linear);
  auto           body = LungMaskImageFilter::New();
  body->SetInput(hu);
  body->ComputeBodyMaskOn();
  body->FillOff();
  body->SetFallbackClosingRadius(0.0);
  body->Update();
  SurfaceOptions options;
  options.SmoothingIterations = 10;
  const Surface bone = SurfaceExtractor::FromHU(hu, 400.0, options, body->GetBodyMask());
  Surface       lungs;
  if (fs::exists(folder / "lungmask.nrrd"))
  {
    const auto labels = ResampleLabels(Read<MaskImageType>(folder / "lungmask.nrrd"), grid);
    lungs = SurfaceExtractor::FromLabels(labels, LungMaskImageFilter::LungLabels(), options);
  }
  RenderSurfacesPng({ { bone.Mesh, { 0.93, 0.90, 0.80 }, 1.0 }, { lungs.Mesh, { 0.95, 0.50, 0.50 }, 0.35 } }, png);
}

bool
RenderRunOutputsAnywhere(const std::string & directory, const std::string & png, const std::string & executable,
                         std::string & reason)
{
  if (HasDisplay())
  {
    try
    {
      RenderRunOutputs(directory, png);
      return true;
    }
    catch (const std::exception & e)
    {
      reason = e.what();
      return false;
    }
  }
  if (executable.empty())
  {
    reason = "no X display, and no ctprep to run under xvfb-run";
    return false;
  }
  return RunUnderXvfb({ executable, "render", directory, "-o", png, "--verbosity", "error" }, reason);
}

} // namespace ctp
