#include "ctpRenderOutputs.h"
#include "ctpParameterSpelling.h"

#include <vtkSTLReader.h>
#include <vtkSmartPointer.h>

#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** The surface in an STL file, or null when there is none. STL repeats each vertex once per
 *  triangle; the renderer does not need them merged (it shades from the triangles). */
vtkSmartPointer<vtkPolyData>
ReadStl(const fs::path & path)
{
  if (!fs::exists(path))
  {
    return nullptr;
  }
  auto reader = vtkSmartPointer<vtkSTLReader>::New();
  reader->SetFileName(path.string().c_str());
  reader->MergingOff();
  reader->Update();
  if (reader->GetErrorCode() != 0 || reader->GetOutput()->GetNumberOfPolys() == 0)
  {
    return nullptr;
  }
  return reader->GetOutput();
}

/** Detail kept when a surface is too large to draw whole (see RenderedSurface::DetailMm): 1.5 mm keeps
 *  every rib whole (at 2.5 mm re-meshed, thin ribs broke apart); the lungs, a third opaque, show no
 *  finer detail than the 2.5 mm they were once drawn at. */
constexpr double BoneDetailMm = 1.5;
constexpr double LungDetailMm = 2.5;
} // namespace

bool
RenderRunSurfaces(vtkPolyData * bone, vtkPolyData * lungs, const std::string & png, VirtualDisplay * display,
                  std::string & reason)
{
  return RenderSurfacesAnywhere(
    { { bone, { 0.93, 0.90, 0.80 }, 1.0, BoneDetailMm }, { lungs, { 0.95, 0.50, 0.50 }, 0.35, LungDetailMm } },
    png,
    reason,
    display);
}

bool
RenderRunFolder(const std::string & directory, const std::string & png, std::string & reason)
{
  const fs::path folder(directory);
  const auto     bone = ReadStl(folder / "bone.stl");
  const auto     lungs = ReadStl(folder / "lungs.stl");
  if (!bone && !lungs)
  {
    reason = "no bone.stl or lungs.stl in " + directory + " (a `ctprep run` output folder; " + SpellParameter("mesh") +
             " leaves them out)";
    return false;
  }
  return RenderRunSurfaces(bone, lungs, png, nullptr, reason);
}

} // namespace ctp
