#ifndef ctpLungCrop_h
#define ctpLungCrop_h

#include "ctpImageTypes.h"

#include "itkRegionOfInterestImageFilter.h"

namespace ctp
{
/** \brief The deep-learning uses of the lung mask, as the DSB 2017 winners (grt123) made them: the
 * lungs' bounding box to crop the inputs to, and the lungs grown by a margin to mask them with.
 *
 * Lungs are labels 1, 2 (aerated) and 4, 5 (dense tissue taken into them); airways, effusion and the
 * background are not. */

/** The lungs' bounding region grown by `marginMm` along each axis (whole voxels, rounded up), clamped
 *  to the image. Throws ctp::Error(ProcessingFailed) naming `what` when the mask holds no lung. */
MaskImageType::RegionType
LungBoundingRegion(const MaskImageType * mask, double marginMm, const std::string & what);

/** 1 within `marginMm` of the lungs (exact Euclidean distance), 0 elsewhere, on the mask's grid. */
MaskImageType::Pointer
DilatedLungs(const MaskImageType * mask, double marginMm);

/** The image cut to a region: same spacing and direction, the origin moved to the region's first voxel,
 *  the largest possible region starting at index 0 (ITK's RegionOfInterestImageFilter); so that
 *  index-to-LPS of the cut image is exactly the original's for the voxel offset by the region's index. */
template <typename TImage>
typename TImage::Pointer
CropToRegion(const TImage * image, const typename TImage::RegionType & region)
{
  auto crop = itk::RegionOfInterestImageFilter<TImage, TImage>::New();
  crop->SetInput(image);
  crop->SetRegionOfInterest(region);
  crop->Update();
  typename TImage::Pointer out = crop->GetOutput();
  out->DisconnectPipeline();
  out->SetMetaDataDictionary(image->GetMetaDataDictionary());
  return out;
}

} // namespace ctp

#endif
