#include "ctpSurfaceRenderer.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <vtkActor.h>
#include <vtkBinnedDecimation.h>
#include <vtkCamera.h>
#include <vtkPNGWriter.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>

#include <algorithm>
#include <cstdlib>

// Last: Xlib defines macros (None, Bool, Status) that VTK's headers use as names.
#include <X11/Xlib.h>

namespace ctp
{
namespace
{
/** The box around every non-empty mesh; empty (low > high) when there is none. */
std::array<double, 6>
UnionBounds(const std::vector<RenderedSurface> & surfaces)
{
  std::array<double, 6> bounds = { 1e300, -1e300, 1e300, -1e300, 1e300, -1e300 };
  for (const auto & s : surfaces)
  {
    if (s.Mesh && s.Mesh->GetNumberOfPoints() > 0)
    {
      double b[6];
      s.Mesh->GetBounds(b);
      for (int a = 0; a < 3; ++a)
      {
        bounds[2 * a] = std::min(bounds[2 * a], b[2 * a]);
        bounds[2 * a + 1] = std::max(bounds[2 * a + 1], b[2 * a + 1]);
      }
    }
  }
  return bounds;
}

/** The mesh drawn for `s`: its own, or when it is large, clustered to bins of s.DetailMm. */
vtkSmartPointer<vtkPolyData>
MeshToDraw(const RenderedSurface & s)
{
  if (s.DetailMm <= 0.0 || s.Mesh->GetNumberOfPolys() <= vtkIdType(RenderTrianglesWithoutDecimation))
  {
    return s.Mesh;
  }
  double b[6];
  s.Mesh->GetBounds(b);
  auto bins = vtkSmartPointer<vtkBinnedDecimation>::New();
  bins->SetInputData(s.Mesh);
  bins->AutoAdjustNumberOfDivisionsOff();
  bins->SetNumberOfDivisions(
    int((b[1] - b[0]) / s.DetailMm) + 1, int((b[3] - b[2]) / s.DetailMm) + 1, int((b[5] - b[4]) / s.DetailMm) + 1);
  bins->SetPointGenerationMode(vtkBinnedDecimation::BIN_AVERAGES); // the smoothest of its four
  bins->Update();
  auto mesh = vtkSmartPointer<vtkPolyData>::New();
  mesh->ShallowCopy(bins->GetOutput());
  return mesh;
}

/** A viewport of the window's width from `left` to `right` (0..1) looking at the surfaces from
 *  `direction` (from the focal point towards the camera), head up. */
vtkSmartPointer<vtkRenderer>
MakeView(const std::vector<vtkSmartPointer<vtkActor>> & actors, std::array<double, 6> bounds, const double direction[3],
         double left, double right)
{
  auto renderer = vtkSmartPointer<vtkRenderer>::New();
  renderer->SetViewport(left, 0.0, right, 1.0);
  renderer->SetBackground(0.08, 0.09, 0.12);
  renderer->SetUseDepthPeeling(0);
  renderer->SetMaximumNumberOfPeels(8);
  renderer->UseFXAAOn();
  for (const auto & actor : actors)
  {
    renderer->AddActor(actor);
  }
  if (bounds[0] <= bounds[1])
  {
    const double centre[3] = { 0.5 * (bounds[0] + bounds[1]),
                               0.5 * (bounds[2] + bounds[3]),
                               0.5 * (bounds[4] + bounds[5]) };
    auto *       camera = renderer->GetActiveCamera();
    camera->SetFocalPoint(centre);
    camera->SetPosition(
      centre[0] + 1000.0 * direction[0], centre[1] + 1000.0 * direction[1], centre[2] + 1000.0 * direction[2]);
    camera->SetViewUp(0.0, 0.0, 1.0); // head up
    renderer->ResetCamera(bounds.data());
    camera->Zoom(1.2);
  }
  return renderer;
}

/** DISPLAY's X display, if it can be opened (it may name a server that has gone, e.g. an ended ssh -X). */
struct DisplayConnection
{
  DisplayConnection()
    : Id(::XOpenDisplay(nullptr))
  {}
  ~DisplayConnection()
  {
    if (Id)
    {
      ::XCloseDisplay(Id);
    }
  }
  DisplayConnection(const DisplayConnection &) = delete;
  DisplayConnection &
            operator=(const DisplayConnection &) = delete;
  Display * Id;
};
} // namespace

bool
HasDisplay()
{
  const char * display = std::getenv("DISPLAY");
  return display != nullptr && display[0] != '\0';
}

void
RenderSurfacesPng(const std::vector<RenderedSurface> & surfaces, const std::string & path, int width, int height,
                  void * xDisplay)
{
  if (!xDisplay && !HasDisplay())
  {
    throw Error(ErrorKind::ProcessingFailed, path, "no X display to render on");
  }
  auto window = vtkSmartPointer<vtkRenderWindow>::New();
  if (xDisplay)
  {
    window->SetDisplayId(xDisplay); // VTK uses it and leaves it open: its owner closes it after the window is gone
  }
  window->SetOffScreenRendering(1);
  window->SetSize(width, height);
  window->SetMultiSamples(0);
  window->SetAlphaBitPlanes(1);
  // One actor (one copy of the mesh in OpenGL buffers) per surface, shared by both views.
  std::vector<vtkSmartPointer<vtkActor>> actors;
  for (const auto & s : surfaces)
  {
    if (!s.Mesh || s.Mesh->GetNumberOfPolys() == 0)
    {
      continue;
    }
    auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
    mapper->SetInputData(MeshToDraw(s));
    mapper->ScalarVisibilityOff();
    auto actor = vtkSmartPointer<vtkActor>::New();
    actor->SetMapper(mapper);
    actor->GetProperty()->SetColor(s.Colour[0], s.Colour[1], s.Colour[2]);
    actor->GetProperty()->SetOpacity(s.Opacity);
    actor->GetProperty()->SetSpecular(0.2);
    actors.push_back(actor);
  }
  const auto bounds = UnionBounds(surfaces);
  // Two viewports: anterior view (camera in front of the patient, at -y in LPS) and left lateral (+x).
  const double views[2][3] = { { 0.0, -1.0, 0.0 }, { 1.0, 0.0, 0.0 } };
  for (int v = 0; v < 2; ++v)
  {
    window->AddRenderer(MakeView(actors, bounds, views[v], 0.5 * v, 0.5 * (v + 1)));
  }
  window->Render();
  auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->ShouldRerenderOff(); // just rendered: a second Render() would double the time
  grab->Update();
  AtomicOutputFile file(path);
  auto             writer = vtkSmartPointer<vtkPNGWriter>::New();
  writer->SetInputConnection(grab->GetOutputPort());
  writer->SetFileName(file.TemporaryPath().c_str());
  writer->Write();
  file.Commit();
}

std::unique_ptr<VirtualDisplay>
StartRenderDisplay()
{
  return HasDisplay() ? nullptr : std::make_unique<VirtualDisplay>();
}

bool
RenderSurfacesAnywhere(const std::vector<RenderedSurface> & surfaces, const std::string & path, std::string & reason,
                       VirtualDisplay * started)
{
  std::unique_ptr<DisplayConnection> existing;
  std::unique_ptr<VirtualDisplay>    own;
  void *                             display = nullptr;
  if (started)
  {
    display = started->Open(reason);
  }
  else
  {
    if (HasDisplay())
    {
      existing = std::make_unique<DisplayConnection>();
      display = existing->Id;
    }
    if (!display)
    {
      own = std::make_unique<VirtualDisplay>();
      display = own->Open(reason);
    }
  }
  if (!display)
  {
    return false;
  }
  try
  {
    RenderSurfacesPng(surfaces, path, 1200, 700, display);
    return true;
  }
  catch (const std::exception & e)
  {
    reason = e.what();
    return false;
  }
}

} // namespace ctp
