#include "ctpDicomSeriesReader.h"
#include "ctpParameterSpelling.h"
#include "ctpAbortGuard.h"
#include "ctpError.h"
#include "ctpHUConvertImageFilter.h"
#include "ctpDicomSliceStackSource.h"
#include "ctpSliceStackResampler.h"

#include "itkGDCMImageIO.h"
#include "itkImageFileReader.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace ctp
{
namespace
{
std::string
Format(double value, int precision = 4)
{
  std::ostringstream text;
  text.precision(precision);
  text << value;
  return text.str();
}

/** PixelPaddingValue of each slice in HU, or empty when no file has one (or it is not air-like). */
std::vector<double>
SlicePaddingHU(const DicomSeriesInfo & series, std::vector<std::string> & decisions,
               std::vector<std::string> & warnings)
{
  bool any = false;
  for (const auto & f : series.Files)
  {
    any = any || f.PixelPaddingValue.has_value();
  }
  if (!any)
  {
    decisions.push_back("out-of-scan padding: no PixelPaddingValue; values below -1024 HU set to air");
    return {};
  }
  std::vector<double> padding;
  for (const auto & f : series.Files)
  {
    // No tag in this file: a value that can never match (below everything, handled as < -1024 anyway).
    const double hu = f.PixelPaddingValue ? *f.PixelPaddingValue * f.RescaleSlope + f.RescaleIntercept : -1e9;
    if (hu > -900.0)
    {
      warnings.push_back(f.Path + ": PixelPaddingValue " + Format(*f.PixelPaddingValue) + " maps to " + Format(hu) +
                         " HU, inside the tissue range: ignored");
      padding.push_back(-1e9);
      continue;
    }
    padding.push_back(hu);
  }
  decisions.push_back("out-of-scan padding: PixelPaddingValue " +
                      Format(series.Files.front().PixelPaddingValue.value_or(0)) +
                      " (stored) and values below -1024 HU set to air");
  return padding;
}
} // namespace

LoadedSeries
ReadDicomSeries(const std::string & path, const SeriesReadOptions & options)
{
  const DicomScan scan = ScanDicomPath(path, options.Tolerances);
  std::string     note;
  LoadedSeries    loaded;
  loaded.Series = ChooseSeries(scan, options.Series, &note);
  loaded.SeriesFound = scan.Series.size();
  auto & decisions = loaded.Decisions;
  auto & warnings = loaded.Warnings;
  decisions.push_back("series " + loaded.Series.Label());
  if (!note.empty())
  {
    decisions.push_back(note);
  }
  for (const auto & other : scan.Series)
  {
    if (!other.IsCandidate())
    {
      decisions.push_back("set aside series " + other.Label() + ": " + other.SetAsideReason);
    }
  }
  if (const size_t skipped = scan.NonDicomFiles.size() + scan.NonImageFiles.size() + scan.DicomDirFiles.size();
      skipped > 0)
  {
    decisions.push_back("skipped " + std::to_string(skipped) + " non-image file(s) (DICOMDIR, DIRFILE, text, ...)");
  }
  for (const auto & unreadable : scan.UnreadableFiles)
  {
    warnings.push_back("unreadable, skipped: " + unreadable);
  }

  const SliceGeometry & g = *loaded.Series.Geometry;
  if (g.DuplicatePositions > 0)
  {
    throw Error(ErrorKind::InvalidInput,
                "series " + loaded.Series.Label() + ": " + std::to_string(g.DuplicatePositions) +
                  " slice(s) share a position with another (several acquisitions in one series?)");
  }
  if (!g.Uniform())
  {
    warnings.push_back("slice spacing: " + g.DescribeSpacing());
    if (options.UnevenSpacing == UnevenSpacingPolicy::Refuse)
    {
      throw Error(ErrorKind::InvalidInput,
                  "series " + loaded.Series.Label() + ": slice spacing is not uniform (" + g.DescribeSpacing() +
                    "); use " + SpellParameter("uneven_spacing") + " resample to put it on a uniform grid");
    }
  }

  if (options.BeforeReadingPixels)
  {
    options.BeforeReadingPixels(loaded.Series);
  }
  auto source = DicomSliceStackSource::New();
  source->SetSlices(loaded.Series.Files, g);
  auto convert = HUConvertImageFilter<HUImageType, HUImageType>::New();
  convert->SetInput(source->GetOutput());
  convert->InPlaceOn();
  convert->SetPaddingReplacement(options.PaddingReplacement);
  convert->SetSlicePaddingHU(SlicePaddingHU(loaded.Series, decisions, warnings));
  try
  {
    convert->Update();
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot read series: ") + e.GetDescription());
  }
  HUImageType::Pointer stack = convert->GetOutput();
  stack->DisconnectPipeline();
  if (options.KeepDicomTags)
  {
    auto io = itk::GDCMImageIO::New();
    io->SetFileName(loaded.Series.Files.front().Path);
    if (RunGuardedDecoder(loaded.Series.Files.front().Path, [&]() { io->ReadImageInformation(); }))
    {
      stack->SetMetaDataDictionary(io->GetMetaDataDictionary());
    }
  }
  if (g.NominalSliceThickness && std::abs(*g.NominalSliceThickness - g.MedianStep) > 0.01 && g.Uniform())
  {
    decisions.push_back("slice spacing " + Format(g.MedianStep) + " mm from positions (SliceThickness says " +
                        Format(*g.NominalSliceThickness) + " mm)");
  }

  const bool correctTilt = g.Tilted && !options.KeepTilt;
  if (g.Tilted)
  {
    if (correctTilt)
    {
      decisions.push_back("gantry tilt " + Format(g.TiltDegrees, 3) +
                          " degrees corrected: resampled onto an orthogonal grid (" + SpellParameter("keep_tilt") +
                          " to opt out)");
    }
    else
    {
      warnings.push_back("gantry tilt " + Format(g.TiltDegrees, 3) + " degrees kept (" + SpellParameter("keep_tilt") +
                         "): the grid ignores the shear between slices");
    }
  }
  if (correctTilt || !g.Uniform())
  {
    const auto mapping =
      correctTilt ? StackMapping::Physical : (g.Tilted ? StackMapping::Stack : StackMapping::Physical);
    const auto grid = PlanUniformGrid(g, mapping);
    auto       resampled = ResampleSliceStack(stack, g, grid, mapping, options.PaddingReplacement);
    resampled->SetMetaDataDictionary(stack->GetMetaDataDictionary());
    stack = resampled;
    loaded.Resampled = true;
    if (!g.Uniform())
    {
      decisions.push_back("uneven slice spacing resampled onto a uniform grid of " + std::to_string(grid.Size[2]) +
                          " slices, " + Format(grid.Spacing[2]) + " mm apart (linear interpolation)");
    }
  }
  loaded.Image = stack;
  return loaded;
}

FloatImageType::Pointer
ReadDicomFile(const std::string & path)
{
  const auto info = ReadDicomFileInfo(path);
  if (!info)
  {
    throw Error(ErrorKind::InvalidInput, path, "not a DICOM file");
  }
  // GDCM copies the declared image out of shorter pixel data (a heap over-read, found by fuzzing).
  if (info->Truncated)
  {
    throw Error(ErrorKind::InvalidInput, path, info->Problem);
  }
  auto reader = itk::ImageFileReader<FloatImageType>::New();
  reader->SetImageIO(itk::GDCMImageIO::New());
  reader->SetFileName(path);
  try
  {
    if (!RunGuardedDecoder(
          path, [&]() { reader->Update(); }, info->DecodedFloatBytes()))
    {
      throw Error(ErrorKind::InvalidInput, path, "cannot decode: malformed DICOM (the decoder gave up)");
    }
  }
  catch (const itk::ExceptionObject & e)
  {
    throw Error(ErrorKind::InvalidInput, path, std::string("cannot decode: ") + e.GetDescription());
  }
  return reader->GetOutput();
}

} // namespace ctp
