#include "ctpNormalizeImageFilter.h"
#include "ctpZeroCenterImageFilter.h"

#include "itkImageRegionIterator.h"
#include "itkPipelineMonitorImageFilter.h"
#include "itkShiftScaleImageFilter.h"
#include "itkStreamingImageFilter.h"

#include <gtest/gtest.h>

#include <sstream>

namespace
{
ctp::HUImageType::Pointer
MakeHU(const std::vector<int> & values, unsigned int slices = 1)
{
  auto                       image = ctp::HUImageType::New();
  ctp::HUImageType::SizeType size{ { static_cast<itk::SizeValueType>(values.size()), 1, slices } };
  image->SetRegions(size);
  image->Allocate();
  for (itk::ImageRegionIterator<ctp::HUImageType> it(image, image->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    it.Set(static_cast<ctp::HUPixelType>(values[it.GetIndex()[0]]));
  }
  return image;
}
} // namespace

TEST(NormalizeImageFilter, MapsAndClipsExactly)
{
  // Hand-computed: (v + 1000) / 1400, clipped.
  const std::vector<int>   hu{ -3024, -1024, -1000, -650, -300, 0, 400, 401, 3000 };
  const std::vector<float> expected{ 0.f, 0.f, 0.f, 0.25f, 0.5f, 1000.f / 1400.f, 1.f, 1.f, 1.f };
  auto                     filter = ctp::NormalizeImageFilter<>::New();
  filter->SetInput(MakeHU(hu));
  filter->Update();
  for (size_t i = 0; i < hu.size(); ++i)
  {
    EXPECT_FLOAT_EQ(filter->GetOutput()->GetPixel({ { static_cast<long>(i), 0, 0 } }), expected[i]) << hu[i] << " HU";
  }
  EXPECT_STREQ(filter->GetNameOfClass(), "NormalizeImageFilter");
  std::ostringstream printed;
  filter->Print(printed);
  EXPECT_NE(printed.str().find("Lower: -1000 HU"), std::string::npos);
}

TEST(NormalizeImageFilter, ConfigurableBoundsAndInvalidBounds)
{
  auto filter = ctp::NormalizeImageFilter<>::New();
  filter->SetBounds(-1200.0, 600.0);
  filter->SetInput(MakeHU({ -1200, -300, 600 }));
  filter->Update();
  EXPECT_FLOAT_EQ(filter->GetOutput()->GetPixel({ { 0, 0, 0 } }), 0.f);
  EXPECT_FLOAT_EQ(filter->GetOutput()->GetPixel({ { 1, 0, 0 } }), 0.5f);
  EXPECT_FLOAT_EQ(filter->GetOutput()->GetPixel({ { 2, 0, 0 } }), 1.f);
  EXPECT_THROW(filter->SetBounds(400.0, -1000.0), itk::ExceptionObject);
  EXPECT_THROW(filter->SetBounds(0.0, 0.0), itk::ExceptionObject);
}

TEST(ZeroCenterImageFilter, SubtractsTheFixedMeanNotTheImageMean)
{
  auto normalize = ctp::NormalizeImageFilter<>::New();
  normalize->SetInput(MakeHU({ -1000, -650, 400 }));
  auto center = ctp::ZeroCenterImageFilter<>::New();
  center->SetInput(normalize->GetOutput());
  center->Update();
  EXPECT_DOUBLE_EQ(center->GetMean(), 0.25);
  // Image mean is 0.4167; with a per-image mean these would differ.
  EXPECT_FLOAT_EQ(center->GetOutput()->GetPixel({ { 0, 0, 0 } }), -0.25f);
  EXPECT_FLOAT_EQ(center->GetOutput()->GetPixel({ { 1, 0, 0 } }), 0.0f);
  EXPECT_FLOAT_EQ(center->GetOutput()->GetPixel({ { 2, 0, 0 } }), 0.75f);
  center->SetMean(0.1);
  center->Update();
  EXPECT_FLOAT_EQ(center->GetOutput()->GetPixel({ { 2, 0, 0 } }), 0.9f);
}

TEST(NormalizeZeroCenter, StreamThroughThePipeline)
{
  const unsigned int divisions = 5;
  auto               source = itk::ShiftScaleImageFilter<ctp::HUImageType, ctp::HUImageType>::New();
  source->SetInput(MakeHU({ -1000, -300, 400, 50 }, 10));
  auto monitor = itk::PipelineMonitorImageFilter<ctp::HUImageType>::New();
  monitor->SetInput(source->GetOutput());
  auto normalize = ctp::NormalizeImageFilter<>::New();
  normalize->SetInput(monitor->GetOutput());
  auto center = ctp::ZeroCenterImageFilter<>::New();
  center->SetInput(normalize->GetOutput());
  center->InPlaceOn();
  auto streamer = itk::StreamingImageFilter<ctp::FloatImageType, ctp::FloatImageType>::New();
  streamer->SetInput(center->GetOutput());
  streamer->SetNumberOfStreamDivisions(divisions);
  streamer->Update();
  EXPECT_TRUE(monitor->VerifyAllInputCanStream(divisions));
  EXPECT_FLOAT_EQ(streamer->GetOutput()->GetPixel({ { 1, 0, 9 } }), 0.25f);
}
