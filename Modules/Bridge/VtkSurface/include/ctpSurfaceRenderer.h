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

/** Runs `command` under `xvfb-run -a` (a virtual X display for rendering) and waits; false, with
 *  the reason, when xvfb-run is missing or the command fails. */
bool
RunUnderXvfb(const std::vector<std::string> & command, std::string & reason);

} // namespace ctp

#endif
