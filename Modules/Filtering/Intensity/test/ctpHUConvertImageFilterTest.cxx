#include "ctpHUConvertImageFilter.h"

#include "itkImageRegionIterator.h"
#include "itkPipelineMonitorImageFilter.h"
#include "itkShiftScaleImageFilter.h"
#include "itkStreamingImageFilter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace
{
using FloatImage = itk::Image<float, 3>;

/** 4 x 3 x n image whose voxel (i, j, k) holds values[j * 4 + i] on every slice. */
FloatImage::Pointer
MakeImage(const std::vector<float> & values, unsigned int slices)
{
  auto                  image = FloatImage::New();
  FloatImage::SizeType  size{ { 4, 3, slices } };
  FloatImage::IndexType start{ { 0, 0, 5 } }; // a region that does not start at 0
  image->SetRegions(FloatImage::RegionType(start, size));
  image->Allocate();
  for (itk::ImageRegionIterator<FloatImage> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    const auto index = it.GetIndex();
    it.Set(values[static_cast<size_t>(index[1] * 4 + index[0]) % values.size()]);
  }
  return image;
}
} // namespace

TEST(HUConvertImageFilter, RoundsClampsAndSetsPaddingToAir)
{
  // stored -2000 with intercept -1024 -> -3024: padding; -1025: below air; 3.5 rounds to 4; 40000 clamps.
  const std::vector<float> values{ -3024.f, -1025.f,  -1024.f, -1000.f, 3.5f, -2.5f,
                                   40000.f, -40000.f, 0.49f,   1200.f,  7.f,  8.f };
  auto                     filter = ctp::HUConvertImageFilter<FloatImage>::New();
  EXPECT_STREQ(filter->GetNameOfClass(), "HUConvertImageFilter");
  std::ostringstream printed;
  filter->Print(printed);
  EXPECT_NE(printed.str().find("MinimumHU: -1024"), std::string::npos);
  filter->SetInput(MakeImage(values, 2));
  filter->Update();
  const auto *           out = filter->GetOutput();
  const std::vector<int> expected{ -1024, -1024, -1024, -1000, 4, -2, 32767, -1024, 0, 1200, 7, 8 };
  for (unsigned int k = 5; k < 7; ++k)
  {
    for (unsigned int n = 0; n < expected.size(); ++n)
    {
      const ctp::HUImageType::IndexType index{ { n % 4, n / 4, k } };
      EXPECT_EQ(out->GetPixel(index), expected[n]) << "value " << values[n] << " slice " << k;
    }
  }
}

TEST(HUConvertImageFilter, PerSlicePaddingValueAndConfigurableReplacement)
{
  // Slice 5 pads with -1000 HU (e.g. stored 24 with intercept -1024), slice 6 with -990 HU.
  const std::vector<float> values{ -1000.f, -990.f, 20.f, -3000.f };
  auto                     filter = ctp::HUConvertImageFilter<FloatImage>::New();
  filter->SetInput(MakeImage(values, 2));
  filter->SetSlicePaddingHU({ -1000.0, -990.0 });
  filter->SetPaddingReplacement(-1000);
  filter->Update();
  const auto * out = filter->GetOutput();
  EXPECT_EQ(out->GetPixel({ { 0, 0, 5 } }), -1000); // padding of slice 5
  EXPECT_EQ(out->GetPixel({ { 1, 0, 5 } }), -990);  // a real value in slice 5
  EXPECT_EQ(out->GetPixel({ { 1, 0, 6 } }), -1000); // padding of slice 6
  EXPECT_EQ(out->GetPixel({ { 0, 0, 6 } }), -1000); // real -1000 in slice 6 stays -1000
  EXPECT_EQ(out->GetPixel({ { 2, 0, 6 } }), 20);
  EXPECT_EQ(out->GetPixel({ { 3, 0, 6 } }), -1000); // below air
}

TEST(HUConvertImageFilter, WrongNumberOfPaddingValuesThrows)
{
  auto filter = ctp::HUConvertImageFilter<FloatImage>::New();
  filter->SetInput(MakeImage({ 0.f }, 3));
  filter->SetSlicePaddingHU({ -1000.0 });
  EXPECT_THROW(filter->Update(), itk::ExceptionObject);
}

TEST(HUConvertImageFilter, Streams)
{
  const unsigned int numberOfStreamDivisions = 4;
  // A filter in front of the monitor, so each streamed piece is produced on request.
  auto source = itk::ShiftScaleImageFilter<FloatImage, FloatImage>::New();
  source->SetInput(MakeImage({ -3024.f, 40.f, 700.f }, 8));
  auto monitor = itk::PipelineMonitorImageFilter<FloatImage>::New();
  monitor->SetInput(source->GetOutput());
  auto filter = ctp::HUConvertImageFilter<FloatImage>::New();
  filter->SetInput(monitor->GetOutput());
  std::vector<double> padding(8, -2000.0);
  filter->SetSlicePaddingHU(padding);
  // Stream the whole output through the filter in pieces: the monitor sees each piece requested.
  auto streamer = itk::StreamingImageFilter<ctp::HUImageType, ctp::HUImageType>::New();
  streamer->SetInput(filter->GetOutput());
  streamer->SetNumberOfStreamDivisions(numberOfStreamDivisions);
  streamer->Update();
  EXPECT_TRUE(monitor->VerifyAllInputCanStream(numberOfStreamDivisions));
  EXPECT_EQ(streamer->GetOutput()->GetPixel({ { 0, 0, 12 } }), -1024);
  EXPECT_EQ(streamer->GetOutput()->GetPixel({ { 1, 0, 12 } }), 40);
}
