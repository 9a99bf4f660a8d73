#include "ctpSurfaceRenderer.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkPNGWriter.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>


#include <cstdlib>
#include <spawn.h>
#include <sys/wait.h>

extern char ** environ;

namespace ctp
{
bool
HasDisplay()
{
  const char * display = std::getenv("DISPLAY");
  return display != nullptr && display[0] != '\0';
}

void
RenderSurfacesPng(const std::vector<RenderedSurface> & surfaces, const std::string & path, int width, int height)
{
  if (!HasDisplay())
  {
    throw Error(ErrorKind::ProcessingFailed, path, "no X display to render on (run under xvfb-run)");
  }
  auto window = vtkSmartPointer<vtkRenderWindow>::New();
  window->SetOffScreenRendering(1);
  window->SetSize(width, height);
  window->SetMultiSamples(4);
  window->SetAlphaBitPlanes(1);
  double bounds[6] = { 1e300, -1e300, 1e300, -1e300, 1e300, -1e300 };
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
  // Two viewports: anterior view (camera in front of the patient, at -y in LPS) and left lateral (+x).
  const double views[2][3] = { { 0.0, -1.0, 0.0 }, { 1.0, 0.0, 0.0 } };
  for (int v = 0; v < 2; ++v)
  {
    auto renderer = vtkSmartPointer<vtkRenderer>::New();
    renderer->SetViewport(0.5 * v, 0.0, 0.5 * (v + 1), 1.0);
    renderer->SetBackground(0.08, 0.09, 0.12);
    renderer->SetUseDepthPeeling(0);
    renderer->SetMaximumNumberOfPeels(8);
    for (const auto & s : surfaces)
    {
      if (!s.Mesh || s.Mesh->GetNumberOfPolys() == 0)
      {
        continue;
      }
      auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
      mapper->SetInputData(s.Mesh);
      mapper->ScalarVisibilityOff();
      auto actor = vtkSmartPointer<vtkActor>::New();
      actor->SetMapper(mapper);
      actor->GetProperty()->SetColor(s.Colour[0], s.Colour[1], s.Colour[2]);
      actor->GetProperty()->SetOpacity(s.Opacity);
      actor->GetProperty()->SetSpecular(0.2);
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
        centre[0] + 1000.0 * views[v][0], centre[1] + 1000.0 * views[v][1], centre[2] + 1000.0 * views[v][2]);
      camera->SetViewUp(0.0, 0.0, 1.0); // head up
      renderer->ResetCamera(bounds);
      camera->Zoom(1.2);
    }
    window->AddRenderer(renderer);
  }
  window->Render();
  auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
  grab->SetInput(window);
  grab->SetInputBufferTypeToRGB();
  grab->ReadFrontBufferOff();
  grab->Update();
  AtomicOutputFile file(path);
  auto             writer = vtkSmartPointer<vtkPNGWriter>::New();
  writer->SetInputConnection(grab->GetOutputPort());
  writer->SetFileName(file.TemporaryPath().c_str());
  writer->Write();
  file.Commit();
}

bool
RunUnderXvfb(const std::vector<std::string> & command, std::string & reason)
{
  std::vector<std::string> args = { "xvfb-run", "-a", "-s", "-screen 0 1280x1024x24" };
  args.insert(args.end(), command.begin(), command.end());
  std::vector<char *> argv;
  for (auto & a : args)
  {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "xvfb-run", nullptr, nullptr, argv.data(), environ) != 0)
  {
    reason = "no X display and xvfb-run not found (apt-get install xvfb xauth libgl1-mesa-dri)";
    return false;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
  {
    reason = "rendering under xvfb-run failed (exit status " +
             std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1) + ")";
    return false;
  }
  return true;
}

} // namespace ctp
