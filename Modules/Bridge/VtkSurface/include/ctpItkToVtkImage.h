#ifndef ctpItkToVtkImage_h
#define ctpItkToVtkImage_h

#include "ctpImageTypes.h"

#include "itkProcessObject.h"

#include <vtkImageData.h>

#include <array>
#include <vtkSmartPointer.h>

namespace ctp
{
/** \class ItkToVtkImage
 * \brief An ITK image seen as a vtkImageData without copying the pixels: origin, spacing and the
 * direction matrix included (Debian's ITK has no ITKVtkGlue; this is its small equivalent, an
 * itk::VTKImageExport wired to a vtkImageImport through their callbacks).
 *
 * The object keeps the exporter, the importer and the ITK image alive: use GetOutput() while it
 * exists. One class per pixel type of the pipeline (int16 HU, uint8 masks). */
template <typename TImage>
class ItkToVtkImage
{
public:
  explicit ItkToVtkImage(const TImage * image);
  ~ItkToVtkImage();
  ItkToVtkImage(const ItkToVtkImage &) = delete;
  ItkToVtkImage &
  operator=(const ItkToVtkImage &) = delete;

  /** The image in VTK, updated. */
  vtkImageData *
  GetOutput() const;

private:
  struct Impl;
  Impl * m_Impl;
};

/** The 4x4 matrix from continuous index (i, j, k) to LPS millimetres: direction x spacing, then origin. */
template <typename TImage>
std::array<double, 16>
IndexToPhysicalMatrix(const TImage * image);

} // namespace ctp

#endif
