#ifndef ctpSurfaceRenderer_h
#define ctpSurfaceRenderer_h

#include <vtkPolyData.h>

#include <array>
#include <string>
#include <vector>

namespace ctp
{
/** One mesh in a picture. */
struct RenderedSurface
{
  vtkPolyData *         Mesh{ nullptr };
  std::array<double, 3> Colour{ { 1.0, 1.0, 1.0 } };
  double                Opacity{ 1.0 };
};

/** \brief Renders surfaces in LPS millimetres offscreen into a PNG: an anterior view (the patient
 * facing the viewer, head up) and a left lateral view side by side, written atomically.
 *
 * VTK renders through OpenGL on an X display, real or virtual: call it where DISPLAY is set (the
 * pipeline runs it under xvfb-run otherwise). Throws ctp::Error(ProcessingFailed) when there is no
 * display, OutputNotWritable when the PNG cannot be written. */
void
RenderSurfacesPng(const std::vector<RenderedSurface> & surfaces, const std::string & path, int width = 1200,
                  int height = 700);

/** Whether this process can open an X display for rendering (DISPLAY set). */
bool
HasDisplay();

/** Renders `directory`/bone.stl and `directory`/lungs.stl (those that exist: bone ivory and opaque,
 *  lungs pink and semi-transparent) into `png`. Throws ctp::Error when neither exists. */
void
RenderStlFiles(const std::string & directory, const std::string & png);

/** \brief Renders like RenderStlFiles, on a virtual display when there is no real one: runs
 * `xvfb-run -a EXECUTABLE render DIRECTORY -o PNG` (EXECUTABLE is a ctprep). Returns false, with the
 * reason, when it cannot (no display, no xvfb-run, no executable given, or the renderer failed). */
bool
RenderStlFilesAnywhere(const std::string & directory, const std::string & png, const std::string & executable,
                       std::string & reason);

} // namespace ctp

#endif
