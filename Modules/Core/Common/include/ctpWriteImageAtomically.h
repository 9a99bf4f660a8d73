#ifndef ctpWriteImageAtomically_h
#define ctpWriteImageAtomically_h

#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include "itkImageFileWriter.h"

#include <string>

namespace ctp
{
/** Writes an ITK image through itk::ImageFileWriter under a temporary name, renamed when complete.
 *  `io` picks the format (else the extension does). Throws ctp::Error(OutputNotWritable) naming the
 *  file and saying what it is. */
template <typename TImage>
void
WriteImageAtomically(const TImage * image, const std::string & path, const char * what, itk::ImageIOBase * io = nullptr,
                     bool compress = false)
{
  AtomicOutputFile file(path);
  auto             writer = itk::ImageFileWriter<TImage>::New();
  if (io != nullptr)
  {
    writer->SetImageIO(io);
  }
  writer->SetInput(image);
  writer->SetFileName(file.TemporaryPath());
  writer->SetUseCompression(compress);
  try
  {
    writer->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write ") + what + ": " + e.GetDescription());
  }
  file.Commit();
}

} // namespace ctp

#endif
