#ifndef ctpImageTypes_h
#define ctpImageTypes_h

#include "itkImage.h"

#include <cstdint>

namespace ctp
{
/** The fixed pixel types of a CT pipeline: no run-time pixel-type dispatch.
 *  - HU volumes are int16 (Hounsfield units, -1024 is air),
 *  - masks and labels are uint8,
 *  - network inputs are float32. */
constexpr unsigned int Dimension = 3;
using HUPixelType = int16_t;
using MaskPixelType = uint8_t;
using FloatPixelType = float;
using HUImageType = itk::Image<HUPixelType, Dimension>;
using MaskImageType = itk::Image<MaskPixelType, Dimension>;
using FloatImageType = itk::Image<FloatPixelType, Dimension>;

/** Hounsfield unit of air: what out-of-scan padding is set to. */
constexpr HUPixelType AirHU = -1024;
} // namespace ctp

#endif
