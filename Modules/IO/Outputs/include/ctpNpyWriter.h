#ifndef ctpNpyWriter_h
#define ctpNpyWriter_h

#include "ctpImageTypes.h"

#include "itkImageSource.h"

#include <string>

namespace ctp
{
/** \brief Writes a float32 volume as a NumPy .npy file (format 1.0), atomically.
 *
 * Shape (z, y, x) in C order: ITK's buffer has x fastest, so it is written as it is, without a copy.
 * `numpy.load(path)` returns a float32 array of shape (size[2], size[1], size[0]). The geometry is
 * not in the file (it is in ctprep.json and in the NRRD volumes of the same grid). */
void
WriteNpy(const FloatImageType * image, const std::string & path);

/** \brief Same file, streamed: the pipeline ending in `source` is updated slab by slab (`pieces`
 * slabs of whole slices) and each slab is appended as it comes, so the volume never exists whole
 * in memory and each slab is written while it is still in the cache. */
void
WriteNpyStreamed(itk::ImageSource<FloatImageType> * source, const std::string & path, unsigned int pieces = 16);

} // namespace ctp

#endif
