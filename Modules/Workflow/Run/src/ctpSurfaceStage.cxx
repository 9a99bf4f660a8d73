#include "ctpLungMaskImageFilter.h"
#include "ctpRunStages.h"

#include "itkMultiThreaderBase.h"

#include <filesystem>
#include <future>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** Writes `surface` as `file` in `directory` unless it is empty. */
void
WriteSurface(const Surface & surface, const fs::path & directory, const std::string & file, const std::string & what)
{
  if (surface.Triangles > 0)
  {
    WriteStl(surface.Mesh, (directory / file).string(), what);
  }
}

SurfaceRecord
Recorded(const Surface & surface, const std::string & file, const std::string & what, RunRecord & record)
{
  SurfaceRecord s;
  s.File = file;
  s.Contents = what;
  s.Triangles = surface.Triangles;
  if (surface.Triangles == 0)
  {
    record.Warn(file + " not written: empty surface (" + what + ")");
  }
  else
  {
    surface.Mesh->GetBounds(s.BoundsLPS.data());
  }
  return s;
}
} // namespace

RunSurfaces
SurfaceStage(const HUImageType * hu, const LungMaskStageOutput & lungs, const RunOptions & options,
             const std::string & directory, RunRecord & record)
{
  RunSurfaces surfaces;
  record.Meshed = options.Mesh;
  if (!options.Mesh)
  {
    record.EndStage("surfaces");
    return surfaces;
  }
  const fs::path     out(directory);
  const bool         concurrent = itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads() > 1;
  const std::string  lungsWhat = "lungs, labels 1, 2, 4 and 5";
  std::ostringstream bone;
  bone << "bone, HU >= " << options.BoneHU << " inside the body";
  // The two surfaces are independent: the lungs are meshed (smoothing runs on one core) while the
  // bone is (after it with one thread).
  auto lungsMeshed = std::async(concurrent ? std::launch::async : std::launch::deferred, [&]() {
    Surface surface = SurfaceExtractor::FromLabels(lungs.Mask, LungMaskImageFilter::LungLabels(), options.Surfaces);
    WriteSurface(surface, out, "lungs.stl", lungsWhat);
    return surface;
  });
  try
  {
    surfaces.Bone = SurfaceExtractor::FromHU(hu, options.BoneHU, options.Surfaces, lungs.BodyMask);
    WriteSurface(surfaces.Bone, out, "bone.stl", bone.str());
  }
  catch (...)
  {
    if (concurrent)
    {
      lungsMeshed.wait(); // a deferred task is simply not run
    }
    throw;
  }
  surfaces.Lungs = lungsMeshed.get();
  record.Surfaces.push_back(Recorded(surfaces.Bone, "bone.stl", bone.str(), record));
  record.Surfaces.push_back(Recorded(surfaces.Lungs, "lungs.stl", lungsWhat, record));
  if (surfaces.Lungs.Triangles > 0)
  {
    record.Surfaces.back().EnclosedVolumeMl = EnclosedVolumeMl(surfaces.Lungs.Mesh);
  }
  record.EndStage("surfaces");
  return surfaces;
}

} // namespace ctp
