// LungMask against the chest phantom's ground truth, on the phantom's own grid.
#include "ctpChestPhantom.h"
#include "ctpLungMaskImageFilter.h"

#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
struct Scores
{
  double Dice{ 0.0 };
  double RightRatio{ 0.0 }; ///< mask / truth volume
  double LeftRatio{ 0.0 };
};

Scores
Compare(const ctp::MaskImageType * mask, const ctp::MaskImageType * truth)
{
  size_t       both = 0, inMask = 0, inTruth = 0, maskRight = 0, maskLeft = 0, truthRight = 0, truthLeft = 0;
  const size_t n = truth->GetLargestPossibleRegion().GetNumberOfPixels();
  const auto * m = mask->GetBufferPointer();
  const auto * t = truth->GetBufferPointer();
  for (size_t v = 0; v < n; ++v)
  {
    const bool lungM = m[v] == 1 || m[v] == 2;
    const bool lungT = t[v] != 0;
    both += lungM && lungT;
    inMask += lungM;
    inTruth += lungT;
    maskRight += m[v] == 1;
    maskLeft += m[v] == 2;
    truthRight += t[v] == 1;
    truthLeft += t[v] == 2;
  }
  return { 2.0 * double(both) / double(inMask + inTruth),
           double(maskRight) / double(truthRight),
           double(maskLeft) / double(truthLeft) };
}

/** The phantom's HU as CTPrep reads it: out-of-scan padding set to air. */
ctp::HUImageType::Pointer
AsRead(ctp::HUImageType::Pointer hu)
{
  for (itk::ImageRegionIterator<ctp::HUImageType> it(hu, hu->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    it.Set(std::max<ctp::HUPixelType>(it.Get(), ctp::AirHU));
  }
  return hu;
}

ctp::ChestPhantomParameters
Parameters()
{
  ctp::ChestPhantomParameters p;
  p.Matrix = 192;
  p.Slices = 70;
  p.SliceSpacing = 2.5;
  p.Seed = 11;
  return p;
}
} // namespace

TEST(LungMaskPhantom, MatchesTheGroundTruth)
{
  const auto phantom = ctp::ChestPhantom(Parameters()).Generate();
  auto       filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(AsRead(phantom.HU));
  filter->Update();
  const auto * mask = filter->GetOutput();
  const auto   scores = Compare(mask, phantom.Lungs);
  EXPECT_GE(scores.Dice, 0.98);
  EXPECT_NEAR(scores.RightRatio, 1.0, 0.03);
  EXPECT_NEAR(scores.LeftRatio, 1.0, 0.03);
  EXPECT_TRUE(filter->GetPlausible());
  EXPECT_FALSE(filter->GetUsedFallback());
  EXPECT_GT(filter->GetAirwayVolumeMl(), 0.0) << "trachea labelled";
  // Both nodules, the free one and the one on the lung wall, are inside the filled mask.
  for (const auto & nodule : phantom.Nodules)
  {
    ctp::HUImageType::PointType center;
    for (unsigned int i = 0; i < 3; ++i)
    {
      center[i] = nodule.Center[i];
    }
    const auto index = mask->TransformPhysicalPointToIndex(center);
    EXPECT_EQ(mask->GetPixel(index), nodule.Side == "right" ? 1 : 2) << nodule.Name << " nodule centre";
  }
  std::cout << "Dice " << scores.Dice << ", volume ratio right " << scores.RightRatio << " left " << scores.LeftRatio
            << std::endl;
}

TEST(LungMaskPhantom, FeetFirstKeepsThePatientSides)
{
  auto p = Parameters();
  p.FeetFirst = true;
  const auto phantom = ctp::ChestPhantom(p).Generate();
  auto       filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(AsRead(phantom.HU));
  filter->Update();
  const auto scores = Compare(filter->GetOutput(), phantom.Lungs);
  EXPECT_GE(scores.Dice, 0.98);
  EXPECT_NEAR(scores.RightRatio, 1.0, 0.03) << "label 1 is the patient's right lung whatever the orientation";
}

TEST(LungMaskPhantom, WithoutFillTheNodulesAreHoles)
{
  const auto phantom = ctp::ChestPhantom(Parameters()).Generate();
  auto       filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(AsRead(phantom.HU));
  filter->FillOff();
  filter->Update();
  const auto &                free = phantom.Nodules.front();
  ctp::HUImageType::PointType center;
  for (unsigned int i = 0; i < 3; ++i)
  {
    center[i] = free.Center[i];
  }
  EXPECT_EQ(filter->GetOutput()->GetPixel(filter->GetOutput()->TransformPhysicalPointToIndex(center)), 0);
}

TEST(LungMaskPhantom, SurvivesATracheostomy)
{
  // An air channel from the trachea to the skin in the neck, the classic failure of corner-seeded masks.
  const auto phantom = ctp::ChestPhantom(Parameters()).Generate();
  auto       hu = AsRead(phantom.HU);
  const auto size = hu->GetLargestPossibleRegion().GetSize();
  for (itk::ImageRegionIterator<ctp::HUImageType> it(hu, hu->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    ctp::HUImageType::PointType p;
    hu->TransformIndexToPhysicalPoint(it.GetIndex(), p);
    const bool neck = it.GetIndex()[2] >= static_cast<long>(size[2]) - 4;
    if (neck && std::abs(p[0]) < 5.0 && p[1] < -30.0)
    {
      it.Set(-1000); // from the trachea (y = -30) forward through the skin
    }
  }
  auto filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(hu);
  filter->Update();
  const auto scores = Compare(filter->GetOutput(), phantom.Lungs);
  EXPECT_GE(scores.Dice, 0.98);
  EXPECT_TRUE(filter->GetPlausible());
}

TEST(LungMaskPhantom, NoLungsIsReportedNotHidden)
{
  auto phantom = ctp::ChestPhantom(Parameters()).Generate();
  auto hu = AsRead(phantom.HU);
  for (itk::ImageRegionIterator<ctp::HUImageType> it(hu, hu->GetLargestPossibleRegion()); !it.IsAtEnd(); ++it)
  {
    if (it.Get() < -500 && it.Get() > -900)
    {
      it.Set(40); // fill the lungs with soft tissue
    }
  }
  auto filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(hu);
  filter->Update();
  EXPECT_FALSE(filter->GetPlausible());
  EXPECT_TRUE(filter->GetUsedFallback());
  ASSERT_FALSE(filter->GetWarnings().empty());
  EXPECT_NE(filter->GetWarnings().front().find("implausible"), std::string::npos);
}

TEST(LungMaskPhantom, BodyMaskHoldsThePatientNotTheTable)
{
  const auto phantom = ctp::ChestPhantom(Parameters()).Generate();
  auto       filter = ctp::LungMaskImageFilter::New();
  filter->SetInput(AsRead(phantom.HU));
  filter->ComputeBodyMaskOn();
  filter->Update();
  const auto * body = filter->GetBodyMask();
  ASSERT_NE(body, nullptr);
  const auto index = [&](double x, double y, double z) {
    ctp::HUImageType::PointType p;
    p[0] = x;
    p[1] = y;
    p[2] = z;
    return body->TransformPhysicalPointToIndex(p);
  };
  EXPECT_EQ(body->GetPixel(index(0.0, 105.0, -150.0)), 1) << "posterior body wall";
  EXPECT_EQ(body->GetPixel(index(0.0, 60.0, -150.0)), 1) << "spine";
  EXPECT_EQ(body->GetPixel(index(-70.0, -10.0, -150.0)), 1) << "right lung";
  EXPECT_EQ(body->GetPixel(index(0.0, 126.0, -150.0)), 0) << "table shell";
  EXPECT_EQ(body->GetPixel(index(0.0, 120.0, -150.0)), 0) << "air between body and table";
  size_t       boneOutside = 0;
  const size_t n = body->GetLargestPossibleRegion().GetNumberOfPixels();
  for (size_t v = 0; v < n; ++v)
  {
    boneOutside += phantom.Bone->GetBufferPointer()[v] && !body->GetBufferPointer()[v];
  }
  EXPECT_EQ(boneOutside, 0u) << "every bone voxel is in the body";
}
