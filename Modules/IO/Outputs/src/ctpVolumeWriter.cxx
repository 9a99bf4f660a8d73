#include "ctpVolumeWriter.h"
#include "ctpError.h"
#include "ctpText.h"

#include "ctpAtomicOutputFile.h"
#include "ctpWriteImageAtomically.h"

#include "itkImageFileWriter.h"

#include <filesystem>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** A MetaImage header and its data file (x.mhd names x.raw): both written with their final names in a
 *  temporary folder beside them (the header names its data file), then moved in, the data first, so
 *  a reader never finds a header without its voxels. */
template <typename TImage>
void
WriteMetaImagePair(const TImage * image, const std::string & path)
{
  const fs::path  final(path);
  const fs::path  folder = final.parent_path().empty() ? fs::path(".") : final.parent_path();
  const fs::path  work = folder / (TemporaryFilePrefix + std::to_string(::getpid()) + "-" + final.stem().string());
  const fs::path  raw = fs::path(final).replace_extension(".raw").filename();
  std::error_code ec;
  fs::remove_all(work, ec);
  try
  {
    fs::create_directories(work);
    auto writer = itk::ImageFileWriter<TImage>::New();
    writer->SetInput(image);
    writer->SetFileName((work / final.filename()).string());
    writer->Update();
    fs::rename(work / raw, folder / raw);
    fs::rename(work / final.filename(), final);
  }
  catch (const itk::ExceptionObject & e)
  {
    fs::remove_all(work, ec);
    throw Error(ErrorKind::OutputNotWritable, path, "cannot write volume: " + OneLine(e.GetDescription()));
  }
  catch (const fs::filesystem_error & e)
  {
    fs::remove_all(work, ec);
    throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write volume: ") + e.code().message());
  }
  fs::remove_all(work, ec);
}

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

  if (EndsWith(path, ".mhd"))
  {
    WriteMetaImagePair(view.GetPointer(), path);
    return;
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
