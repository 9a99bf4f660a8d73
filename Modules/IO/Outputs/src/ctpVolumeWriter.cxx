#include "ctpVolumeWriter.h"
#include "ctpError.h"

#include "ctpWriteImageAtomically.h"

namespace ctp
{
namespace
{
template <typename TImage>
void
WriteVolumeImpl(const TImage * image, const std::string & path, const VolumeWriteOptions & options)
{
  if (image == nullptr)
  {
    throw Error(ErrorKind::ProcessingFailed, path, "no image to write");
  }
  // A view on the same pixels without the metadata dictionary: nothing copied, nothing leaked.
  auto view = TImage::New();
  view->CopyInformation(image);
  view->SetRegions(image->GetLargestPossibleRegion());
  view->SetPixelContainer(const_cast<typename TImage::PixelContainer *>(image->GetPixelContainer()));
  if (options.KeepPatientData)
  {
    view->SetMetaDataDictionary(image->GetMetaDataDictionary());
  }

  WriteImageAtomically(view.GetPointer(), path, "volume", nullptr, options.Compress);
}
} // namespace

void
WriteVolume(const HUImageType * image, const std::string & path, const VolumeWriteOptions & options)
{
  WriteVolumeImpl(image, path, options);
}

void
WriteVolume(const MaskImageType * image, const std::string & path, const VolumeWriteOptions & options)
{
  WriteVolumeImpl(image, path, options);
}

void
WriteVolume(const FloatImageType * image, const std::string & path, const VolumeWriteOptions & options)
{
  WriteVolumeImpl(image, path, options);
}

} // namespace ctp
