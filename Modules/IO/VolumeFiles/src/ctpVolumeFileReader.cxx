#include "ctpVolumeFileReader.h"
#include "ctpError.h"
#include "ctpText.h"

#include "itkImageFileReader.h"
#include "itkImageIOFactory.h"
#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <numeric>
#include <sstream>
#include <cmath>
#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
using ReadImageType = itk::Image<float, 3>;

/** The extensions CTPrep reads as volume files, and their formats (.nii.gz before .nii's .gz). */
constexpr std::pair<const char *, const char *> VolumeExtensions[] = {
  { ".nii.gz", "NIfTI" },  { ".nii", "NIfTI" }, { ".mhd", "MetaImage" },
  { ".mha", "MetaImage" }, { ".nrrd", "NRRD" }, { ".nhdr", "NRRD" },
};

/** The extension of `path` CTPrep reads (any case) and its format; empty when none. */
std::pair<std::string, std::string>
ExtensionOf(const std::string & path)
{
  const std::string name = LowerCase(fs::path(path).filename().string());
  for (const auto & [extension, format] : VolumeExtensions)
  {
    if (EndsWith(name, extension))
    {
      return { extension, format };
    }
  }
  return {};
}

std::string
FormatOf(const std::string & path)
{
  return ExtensionOf(path).second;
}

/** Flips the axes whose direction points against the patient axis it runs along (a diagonal direction
 *  with a negative entry), so that a volume stored bottom-up lies on the grid its DICOM series gives:
 *  dcm2niix writes an axial series with its rows reversed (NIfTI's convention), direction
 *  diag(1, -1, 1) in LPS. The same voxels at the same points; oblique directions are kept.
 *  Returns the axes flipped ("y"). */
std::string
FlipReversedAxes(HUImageType * image)
{
  auto        direction = image->GetDirection();
  const auto  size = image->GetLargestPossibleRegion().GetSize();
  auto        origin = image->GetOrigin();
  std::string flipped;
  for (unsigned int a = 0; a < 3; ++a)
  {
    bool diagonal = std::abs(direction[a][a]) > 1.0 - 1e-6;
    if (!diagonal || direction[a][a] > 0.0)
    {
      continue;
    }
    const size_t  n = size[a];
    const size_t  stride = a == 0 ? 1 : a == 1 ? size[0] : size[0] * size[1];
    const size_t  outer = size[0] * size[1] * size[2] / (n * stride);
    HUPixelType * buffer = image->GetBufferPointer();
    for (size_t o = 0; o < outer; ++o)
    {
      for (size_t s = 0; s < stride; ++s)
      {
        HUPixelType * line = buffer + o * n * stride + s;
        for (size_t i = 0, j = n - 1; i < j; ++i, --j)
        {
          std::swap(line[i * stride], line[j * stride]);
        }
      }
    }
    for (unsigned int r = 0; r < 3; ++r)
    {
      origin[r] += double(n - 1) * image->GetSpacing()[a] * direction[r][a];
      direction[r][a] = -direction[r][a];
    }
    flipped += flipped.empty() ? "" : ", ";
    flipped += "xyz"[a];
  }
  image->SetOrigin(origin);
  image->SetDirection(direction);
  return flipped;
}
} // namespace

bool
IsVolumeFile(const std::string & path)
{
  std::error_code ec;
  return !FormatOf(path).empty() && fs::is_regular_file(path, ec);
}

std::string
VolumeFileStem(const std::string & path)
{
  const std::string name = fs::path(path).filename().string();
  return name.substr(0, name.size() - ExtensionOf(path).first.size());
}

VolumeFileInfo
ReadVolumeFileInfo(const std::string & path)
{
  std::error_code ec;
  if (!fs::exists(path, ec))
  {
    throw Error(ErrorKind::InvalidInput, path, "does not exist");
  }
  auto io = itk::ImageIOFactory::CreateImageIO(path.c_str(), itk::IOFileModeEnum::ReadMode);
  if (!io)
  {
    throw Error(ErrorKind::InvalidInput, path, "is not a volume ITK can read (MetaImage, NIfTI, NRRD)");
  }
  io->SetFileName(path);
  try
  {
    io->ReadImageInformation();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path, "cannot read its header: " + OneLine(e.GetDescription()));
  }
  const unsigned int dimensions = io->GetNumberOfDimensions();
  const unsigned int components = io->GetNumberOfComponents();
  if (components != 1)
  {
    throw Error(ErrorKind::InvalidInput,
                path,
                std::to_string(components) + " components per voxel (a vector or colour image), not a CT volume");
  }
  if (dimensions != 3 && !(dimensions == 4 && io->GetDimensions(3) == 1))
  {
    throw Error(ErrorKind::InvalidInput,
                path,
                "a " + std::to_string(dimensions) + "-D image" +
                  (dimensions == 4 ? " of " + std::to_string(io->GetDimensions(3)) + " volumes" : std::string()) +
                  ", not one 3-D CT volume");
  }
  VolumeFileInfo info;
  info.Format = FormatOf(path);
  info.PixelType = itk::ImageIOBase::GetComponentTypeAsString(io->GetComponentType());
  for (unsigned int a = 0; a < 3; ++a)
  {
    info.Size[a] = io->GetDimensions(a);
    info.Spacing[a] = io->GetSpacing(a);
  }
  if (info.Size[0] * info.Size[1] * info.Size[2] == 0)
  {
    throw Error(ErrorKind::InvalidInput, path, "declares no voxel");
  }
  return info;
}

namespace
{
/** The voxels of `path` as TImage (ITK converts the stored type). */
template <typename TImage>
typename TImage::Pointer
ReadVoxels(const std::string & path)
{
  auto reader = itk::ImageFileReader<TImage>::New();
  reader->SetFileName(path);
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path, "cannot read its voxels: " + OneLine(e.GetDescription()));
  }
  return reader->GetOutput();
}

/** HU = round(value + offset), clamped to int16, of any stored type read as float; the count clamped. */
size_t
RoundIntoHU(const ReadImageType * values, double huOffset, HUImageType * hu)
{
  const size_t        n = hu->GetBufferedRegion().GetNumberOfPixels();
  const float *       in = values->GetBufferPointer();
  HUPixelType *       out = hu->GetBufferPointer();
  const unsigned int  parts = std::max(1u, itk::MultiThreaderBase::GetGlobalDefaultNumberOfThreads());
  std::vector<size_t> clamped(parts, 0);
  itk::MultiThreaderBase::New()->ParallelizeArray(
    0,
    parts,
    [&](itk::SizeValueType part) {
      for (size_t v = n * part / parts; v < n * (part + 1) / parts; ++v)
      {
        const double value = std::round(double(in[v]) + huOffset);
        const double kept = std::clamp(value, -32768.0, 32767.0);
        clamped[part] += kept != value;
        out[v] = static_cast<HUPixelType>(kept);
      }
    },
    nullptr);
  return std::accumulate(clamped.begin(), clamped.end(), size_t{ 0 });
}
} // namespace

LoadedVolume
ReadVolumeFile(const std::string & path, double huOffset)
{
  LoadedVolume loaded;
  loaded.Info = ReadVolumeFileInfo(path);
  HUImageType::Pointer hu;
  size_t               outside = 0;
  if (loaded.Info.PixelType == "short" && huOffset == 0.0)
  {
    hu = ReadVoxels<HUImageType>(path); // int16 HU as stored (LUNA16, ctprep's own): no conversion
  }
  else
  {
    const auto values = ReadVoxels<ReadImageType>(path);
    hu = HUImageType::New();
    hu->SetRegions(values->GetLargestPossibleRegion());
    hu->CopyInformation(values);
    hu->Allocate();
    outside = RoundIntoHU(values, huOffset, hu);
  }
  loaded.Image = hu;
  const std::string  flipped = FlipReversedAxes(hu);
  std::ostringstream decision;
  decision << "read a " << loaded.Info.Format << " volume (" << loaded.Info.PixelType << ") of " << loaded.Info.Size[0]
           << " x " << loaded.Info.Size[1] << " x " << loaded.Info.Size[2] << " voxels";
  if (huOffset != 0.0)
  {
    decision << ", " << huOffset << " added to every value";
  }
  loaded.Decisions.push_back(decision.str());
  if (!flipped.empty())
  {
    loaded.Decisions.push_back("axis " + flipped +
                               " stored reversed (as dcm2niix writes rows): flipped, the same voxels "
                               "at the same points, on the grid the DICOM series gives");
  }
  if (outside > 0)
  {
    loaded.Warnings.push_back(std::to_string(outside) + " value(s) outside the int16 range clamped");
  }
  return loaded;
}

} // namespace ctp
