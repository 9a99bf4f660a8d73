#ifndef ctpRenderOutputs_h
#define ctpRenderOutputs_h

#include "ctpSurfaceRenderer.h"

#include <vtkPolyData.h>

#include <string>

namespace ctp
{
/** \brief render.png of a `ctprep run`: bone (ivory) and lungs (semi-transparent pink), anterior and
 * left lateral views.
 *
 * Drawn from the run's own surfaces (bone.stl's and lungs.stl's meshes, either may be null or empty),
 * at their full resolution so thin ribs stay whole, in this process (RenderSurfacesAnywhere: the X
 * display, or a private Xvfb, `display` when the run started one early). Returns false, with the
 * reason, when no picture could be made. */
bool
RenderRunSurfaces(vtkPolyData * bone, vtkPolyData * lungs, const std::string & png, VirtualDisplay * display,
                  std::string & reason);

/** render.png again from a run's output folder (`ctprep render`): its bone.stl and lungs.stl (at least
 *  one must exist), drawn as RenderRunSurfaces() does. Returns false with the reason. */
bool
RenderRunFolder(const std::string & directory, const std::string & png, std::string & reason);

} // namespace ctp

#endif
