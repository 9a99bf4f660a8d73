#include "ctpDicomSeriesWriter.h"
#include "ctpAtomicOutputFile.h"
#include "ctpWriteImageAtomically.h"
#include "ctpError.h"

#include "itkExtractImageFilter.h"
#include "itkGDCMImageIO.h"
#include "itkImageFileWriter.h"
#include "itkMetaDataObject.h"

#include "gdcmUIDGenerator.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

namespace ctp
{
namespace
{
// The slice handed to GDCM holds HU: GDCMImageIO itself stores (HU - intercept) / slope when the
// dictionary carries RescaleIntercept/Slope, and picks the stored pixel format from the range.
using StoredImageType = HUImageType;

std::string
FormatDecimal(double value)
{
  // DICOM DS: at most 16 characters.
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.10g", value);
  std::string text(buffer);
  if (text.size() > 16)
  {
    std::snprintf(buffer, sizeof(buffer), "%.6f", value);
    text = buffer;
  }
  return text;
}

void
Set(itk::MetaDataDictionary & dict, const std::string & key, const std::string & value)
{
  itk::EncapsulateMetaData<std::string>(dict, key, value);
}
} // namespace

std::string
NewDicomUID()
{
  gdcm::UIDGenerator generator;
  return generator.Generate();
}

WrittenDicomSeries
WriteDicomSeries(const HUImageType * volume, const std::string & directory, const DicomSeriesDescription & description)
{
  if (description.RescaleSlope <= 0.0)
  {
    throw Error(ErrorKind::Usage, directory, "rescale slope must be positive");
  }
  EnsureWritableDirectory(directory);

  WrittenDicomSeries written;
  written.StudyInstanceUID = description.StudyInstanceUID.empty() ? NewDicomUID() : description.StudyInstanceUID;
  written.SeriesInstanceUID = description.SeriesInstanceUID.empty() ? NewDicomUID() : description.SeriesInstanceUID;
  const std::string frameOfReferenceUID = NewDicomUID();

  const auto   region = volume->GetLargestPossibleRegion();
  const auto   size = region.GetSize();
  const auto   spacing = volume->GetSpacing();
  const auto   direction = volume->GetDirection();
  const double thickness = description.SliceThickness > 0.0 ? description.SliceThickness : spacing[2];

  for (unsigned int k = 0; k < size[2]; ++k)
  {
    // One slice as a 3D image: GDCM takes ImagePositionPatient from its origin and
    // ImageOrientationPatient from its direction, so the geometry cannot drift from the volume.
    auto                       slice = StoredImageType::New();
    StoredImageType::IndexType start = region.GetIndex();
    start[2] += k;
    StoredImageType::PointType origin;
    volume->TransformIndexToPhysicalPoint(start, origin);
    StoredImageType::SizeType sliceSize = size;
    sliceSize[2] = 1;
    slice->SetRegions(StoredImageType::RegionType(sliceSize));
    slice->SetSpacing(spacing);
    slice->SetOrigin(origin);
    slice->SetDirection(direction);
    slice->Allocate();
    HUImageType::RegionType                    sourceRegion(start, sliceSize);
    itk::ImageRegionConstIterator<HUImageType> in(volume, sourceRegion);
    itk::ImageRegionIterator<StoredImageType>  out(slice, slice->GetLargestPossibleRegion());
    for (; !in.IsAtEnd(); ++in, ++out)
    {
      out.Set(in.Get());
    }

    // ImageFileWriter hands the image's dictionary to the ImageIO: the tags go on the slice image.
    auto   io = itk::GDCMImageIO::New();
    auto & dict = slice->GetMetaDataDictionary();
    io->KeepOriginalUIDOn();
    const char * sopClass = description.Modality == "CT"   ? "1.2.840.10008.5.1.4.1.1.2"  // CT Image Storage
                            : description.Modality == "MR" ? "1.2.840.10008.5.1.4.1.1.4"  // MR Image Storage
                                                           : "1.2.840.10008.5.1.4.1.1.7"; // Secondary Capture
    Set(dict, "0008|0016", sopClass);
    Set(dict, "0008|0018", NewDicomUID());
    Set(dict, "0008|0008", description.ImageType);
    Set(dict, "0008|0060", description.Modality);
    Set(dict, "0008|0070", "CTPrep");
    Set(dict, "0008|0080", description.InstitutionName);
    Set(dict, "0008|0050", description.AccessionNumber);
    Set(dict, "0008|1030", description.StudyDescription);
    Set(dict, "0008|103e", description.SeriesDescription);
    Set(dict, "0010|0010", description.PatientName);
    Set(dict, "0010|0020", description.PatientID);
    Set(dict, "0010|0030", description.PatientBirthDate);
    Set(dict, "0010|0040", description.PatientSex);
    Set(dict, "0018|0050", FormatDecimal(thickness));
    if (description.GantryDetectorTilt)
    {
      Set(dict, "0018|1120", FormatDecimal(*description.GantryDetectorTilt));
    }
    // Head-first supine writes ImageOrientationPatient (1,0,0,0,1,0), feet-first supine (-1,0,0,0,1,0).
    Set(dict, "0018|5100", direction[0][0] < 0.0 ? "FFS" : "HFS");
    Set(dict, "0020|000d", written.StudyInstanceUID);
    Set(dict, "0020|000e", written.SeriesInstanceUID);
    Set(dict, "0020|0052", frameOfReferenceUID);
    Set(dict, "0020|0011", std::to_string(description.SeriesNumber));
    Set(dict, "0020|0013", std::to_string(k + 1));
    const double intercept = k < description.SliceRescaleIntercepts.size() ? description.SliceRescaleIntercepts[k]
                                                                           : description.RescaleIntercept;
    Set(dict, "0028|1052", FormatDecimal(intercept));
    Set(dict, "0028|1053", FormatDecimal(description.RescaleSlope));
    Set(dict, "0028|1054", "HU");

    char name[32];
    std::snprintf(name, sizeof(name), "slice_%04u.dcm", k + 1);
    const std::string path = directory + "/" + name;
    WriteImageAtomically(slice.GetPointer(), path, "DICOM", io.GetPointer());
    written.Files.push_back(path);
  }
  return written;
}

} // namespace ctp
