#include "ctpDicomSeriesReader.h"
#include "ctpError.h"

#include "itkGDCMImageIO.h"
#include "itkGDCMSeriesFileNames.h"
#include "itkImageSeriesReader.h"
#include "itkMetaDataObject.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
std::string
SeriesNumberOf(const std::string & file)
{
  auto io = itk::GDCMImageIO::New();
  io->SetFileName(file);
  try
  {
    io->ReadImageInformation();
  }
  catch (const itk::ExceptionObject &)
  {
    return {};
  }
  std::string number;
  itk::ExposeMetaData<std::string>(io->GetMetaDataDictionary(), "0020|0011", number);
  return OneLine(number);
}
} // namespace

LoadedSeries
ReadDicomSeries(const std::string & path, const std::string & series)
{
  std::error_code ec;
  if (!fs::exists(path, ec))
  {
    throw Error(ErrorKind::InvalidInput, path, "does not exist");
  }
  if (!fs::is_directory(path, ec))
  {
    throw Error(ErrorKind::InvalidInput, path, "is not a folder (give the folder that holds the series)");
  }

  auto names = itk::GDCMSeriesFileNames::New();
  names->SetRecursive(true);
  names->SetUseSeriesDetails(false);
  names->SetInputDirectory(path);

  LoadedSeries loaded;
  loaded.SeriesFound = names->GetSeriesUIDs();
  if (loaded.SeriesFound.empty())
  {
    throw Error(ErrorKind::NoDicom, path, "no DICOM series found");
  }

  std::vector<std::string> files;
  if (series.empty())
  {
    for (const auto & uid : loaded.SeriesFound)
    {
      auto candidate = names->GetFileNames(uid);
      if (candidate.size() > files.size())
      {
        files = candidate;
        loaded.SeriesInstanceUID = uid;
      }
    }
  }
  else
  {
    for (const auto & uid : loaded.SeriesFound)
    {
      auto candidate = names->GetFileNames(uid);
      if (uid == series || (!candidate.empty() && SeriesNumberOf(candidate.front()) == series))
      {
        files = candidate;
        loaded.SeriesInstanceUID = uid;
        break;
      }
    }
    if (files.empty())
    {
      throw Error(ErrorKind::NoSeries, path, "no series with UID or number '" + series + "'");
    }
  }

  using ReaderType = itk::ImageSeriesReader<HUImageType>;
  auto reader = ReaderType::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileNames(files);
  try
  {
    reader->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot read series: ") + e.GetDescription());
  }
  loaded.Image = reader->GetOutput();
  loaded.Image->DisconnectPipeline();
  loaded.Files = std::move(files);
  return loaded;
}

} // namespace ctp
