#ifndef ctpSurfaceRenderer_h
#define ctpSurfaceRenderer_h

#include "ctpVirtualDisplay.h"

#include <vtkPolyData.h>

#include <array>
#include <memory>
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
  /** The finest detail (mm) the picture must keep of it. A mesh of more than
   *  RenderTrianglesWithoutDecimation triangles is drawn vertex-clustered to bins this size
   *  (vtkBinnedDecimation), for speed; 0: always drawn whole. */
  double DetailMm{ 0.0 };
};

/** Software OpenGL (llvmpipe, what Xvfb offers) spends about a microsecond per triangle and view:
 *  larger meshes are clustered to their RenderedSurface::DetailMm first (see RenderSurfacesPng). */
constexpr size_t RenderTrianglesWithoutDecimation = 250000;

/** \brief Renders surfaces in LPS millimetres offscreen into a PNG: an anterior view (the patient
 * facing the viewer, head up) and a left lateral view side by side, written atomically.
 *
 * A mesh of more than RenderTrianglesWithoutDecimation triangles with a DetailMm is drawn from a
 * copy clustered to bins of DetailMm (ITK's 1 mm surfaces of a chest have millions of triangles,
 * most smaller than a pixel of the picture); no multisampling (8x the cost in software OpenGL), FXAA
 * smooths the edges instead.
 *
 * VTK renders through OpenGL on an X display: `xDisplay` (an Xlib `Display *`, as
 * vtkWindow::SetDisplayId takes it, e.g. VirtualDisplay::Open()'s), or the one in DISPLAY when it is
 * nullptr. Throws ctp::Error(ProcessingFailed) when there is no display, OutputNotWritable when the
 * PNG cannot be written. RenderSurfacesAnywhere() finds a display itself. */
void
RenderSurfacesPng(const std::vector<RenderedSurface> & surfaces, const std::string & path, int width = 1200,
                  int height = 700, void * xDisplay = nullptr);

/** RenderSurfacesPng() in this process, on the first display that works: `started` (a private display
 *  started earlier, see StartRenderDisplay()), else the X display in DISPLAY, else a private Xvfb
 *  started here and stopped before returning. False, with the reason, when none works or rendering
 *  fails. */
bool
RenderSurfacesAnywhere(const std::vector<RenderedSurface> & surfaces, const std::string & path, std::string & reason,
                       VirtualDisplay * started = nullptr);

/** A private display for RenderSurfacesAnywhere(), started now so that its start-up overlaps the
 *  caller's work; nullptr when DISPLAY names one. Make it on the main thread (see VirtualDisplay). */
std::unique_ptr<VirtualDisplay>
StartRenderDisplay();

/** Whether DISPLAY names an X display (set and not empty). */
bool
HasDisplay();

} // namespace ctp

#endif
