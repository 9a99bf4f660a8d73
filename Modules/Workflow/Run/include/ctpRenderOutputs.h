#ifndef ctpRenderOutputs_h
#define ctpRenderOutputs_h

#include <string>

namespace ctp
{
/** \brief render.png of a `ctprep run` output folder: bone (ivory) and lungs (semi-transparent pink).
 *
 * Made from the folder's hu.nrrd and lungmask.nrrd at 2.5 mm: a picture needs no more, and a few
 * hundred thousand triangles render in a fraction of a second even in software. Bone is cut to the
 * body, as in bone.stl. Needs an X display (see RenderRunOutputsAnywhere). Throws ctp::Error. */
void
RenderRunOutputs(const std::string & directory, const std::string & png);

/** RenderRunOutputs here when there is a display, else `executable render DIRECTORY -o PNG` under
 *  xvfb-run. Returns false with the reason when neither works. */
bool
RenderRunOutputsAnywhere(const std::string & directory, const std::string & png, const std::string & executable,
                         std::string & reason);

} // namespace ctp

#endif
