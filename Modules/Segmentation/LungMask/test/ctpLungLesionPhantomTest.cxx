// The lung mask's lesion and effusion stages against the chest phantom's pathology ground truth.
#include "ctpChestPhantom.h"
#include "ctpLungLesionImageFilter.h"
#include "ctpLungMaskImageFilter.h"

#include "itkImageRegionIterator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <sstream>

namespace
{
ctp::ChestPhantomParameters
Parameters(const std::function<void(ctp::ChestPhantomPathology &)> & disease)
{
  ctp::ChestPhantomParameters p;
  p.Matrix = 192; // 1.875 mm pixels: air bronchograms 3-5 mm wide are resolved
  p.Slices = 70;
  p.SliceSpacing = 2.5;
  p.Seed = 11;
  disease(p.Pathology);
  return p;
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

struct Scores
{
  double Dice{ 0.0 };            ///< lungs (1, 2, 4, 5) against the truth's lungs
  double LesionInside{ 0.0 };    ///< share of the truth's lesion voxels (label 1) in the lungs
  double EffusionInside{ 0.0 };  ///< share of the truth's effusion voxels in the lungs
  size_t Dense[3] = { 0, 0, 0 }; ///< voxels of labels 4 ([1]) and 5 ([2])
};

Scores
Score(const ctp::MaskImageType * mask, const ctp::ChestPhantomVolumes & truth)
{
  Scores       s;
  size_t       both = 0, inMask = 0, inTruth = 0, lesion = 0, lesionIn = 0, effusion = 0, effusionIn = 0;
  const size_t n = mask->GetLargestPossibleRegion().GetNumberOfPixels();
  for (size_t v = 0; v < n; ++v)
  {
    const auto m = mask->GetBufferPointer()[v];
    const bool lung = m == 1 || m == 2 || m == 4 || m == 5;
    const bool truthLung = truth.Lungs->GetBufferPointer()[v] != 0;
    const auto l = truth.Lesions->GetBufferPointer()[v];
    both += lung && truthLung;
    inMask += lung;
    inTruth += truthLung;
    lesion += l == ctp::ChestPhantomLesionLabels::InsideLung;
    lesionIn += l == ctp::ChestPhantomLesionLabels::InsideLung && lung;
    effusion += l == ctp::ChestPhantomLesionLabels::Effusion;
    effusionIn += l == ctp::ChestPhantomLesionLabels::Effusion && lung;
    s.Dense[1] += m == 4;
    s.Dense[2] += m == 5;
  }
  s.Dice = 2.0 * double(both) / double(inMask + inTruth);
  s.LesionInside = lesion ? double(lesionIn) / double(lesion) : 1.0;
  s.EffusionInside = effusion ? double(effusionIn) / double(effusion) : 0.0;
  return s;
}

struct Run
{
  ctp::ChestPhantomVolumes          Truth;
  ctp::LungMaskImageFilter::Pointer Filter;
  Scores                            Result;
};

Run
Segment(const std::function<void(ctp::ChestPhantomPathology &)> & disease,
        const std::function<void(ctp::LungMaskImageFilter *)> &   configure = {})
{
  Run run;
  run.Truth = ctp::ChestPhantom(Parameters(disease)).Generate();
  run.Filter = ctp::LungMaskImageFilter::New();
  run.Filter->SetInput(AsRead(run.Truth.HU));
  if (configure)
  {
    configure(run.Filter);
  }
  run.Filter->Update();
  run.Result = Score(run.Filter->GetOutput(), run.Truth);
  return run;
}

/** Distance (mm) from the largest dense region's centroid to the truth lesion's inside point. */
double
CentroidError(const Run & run)
{
  const auto & c = run.Filter->GetLesions().front().CentroidLPS;
  const auto & t = run.Truth.Pathology.front().Center;
  return std::hypot(c[0] - t[0], c[1] - t[1], c[2] - t[2]);
}
} // namespace

TEST(LungLesionPhantom, AHilarMassAgainstTheMediastinumIsInTheRightLung)
{
  const auto run = Segment([](auto & p) { p.HilarMass = true; });
  EXPECT_GE(run.Result.Dice, 0.97);
  EXPECT_GE(run.Result.LesionInside, 0.95);
  EXPECT_GT(run.Result.Dense[1], 0u) << "labelled 4: dense tissue of the right lung";
  ASSERT_FALSE(run.Filter->GetLesions().empty());
  const auto & largest = run.Filter->GetLesions().front();
  EXPECT_EQ(largest.Side, 1);
  EXPECT_FALSE(largest.AirBronchograms);
  EXPECT_LT(CentroidError(run), 12.0) << "the truth's point is the sphere's centre, inside the mediastinum by 14 mm";
  EXPECT_GT(largest.DiameterMm, 35.0);
  EXPECT_LT(largest.DiameterMm, 70.0);
  std::cout << "hilar mass: Dice " << run.Result.Dice << ", lesion inside " << run.Result.LesionInside << ", "
            << largest.VolumeMl << " mL, largest extent " << largest.DiameterMm << " mm" << std::endl;
}

TEST(LungLesionPhantom, AParavertebralMassAgainstTheBackWallIsInTheLeftLung)
{
  const auto run = Segment([](auto & p) { p.ParavertebralMass = true; });
  EXPECT_GE(run.Result.Dice, 0.97);
  EXPECT_GE(run.Result.LesionInside, 0.95);
  EXPECT_GT(run.Result.Dense[2], 0u) << "labelled 5: dense tissue of the left lung";
  ASSERT_FALSE(run.Filter->GetLesions().empty());
  EXPECT_EQ(run.Filter->GetLesions().front().Side, 2);
  std::cout << "paravertebral mass: Dice " << run.Result.Dice << ", lesion inside " << run.Result.LesionInside
            << std::endl;
}

TEST(LungLesionPhantom, ConsolidationWithAirBronchogramsIsLung)
{
  const auto run = Segment([](auto & p) { p.Consolidation = true; });
  EXPECT_GE(run.Result.Dice, 0.97);
  EXPECT_GE(run.Result.LesionInside, 0.95);
  ASSERT_FALSE(run.Filter->GetLesions().empty());
  EXPECT_EQ(run.Filter->GetLesions().front().Side, 1);
  EXPECT_TRUE(run.Filter->GetLesions().front().AirBronchograms);
  EXPECT_LT(run.Filter->GetRightEffusionMl(), 5.0) << "consolidation is not effusion";
  std::cout << "consolidation: Dice " << run.Result.Dice << ", lesion inside " << run.Result.LesionInside << std::endl;
}

TEST(LungLesionPhantom, AnEffusionStaysOutAndIsMeasured)
{
  const auto run = Segment([](auto & p) { p.Effusion = true; });
  EXPECT_GE(run.Result.Dice, 0.97);
  EXPECT_LE(run.Result.EffusionInside, 0.10);
  EXPECT_TRUE(run.Filter->GetLesions().empty()) << "nothing dense taken in";
  // The truth's effusion volume, from its voxels.
  size_t     voxels = 0;
  const auto spacing = run.Truth.HU->GetSpacing();
  for (size_t v = 0; v < run.Truth.Lesions->GetLargestPossibleRegion().GetNumberOfPixels(); ++v)
  {
    voxels += run.Truth.Lesions->GetBufferPointer()[v] == ctp::ChestPhantomLesionLabels::Effusion;
  }
  const double truthMl = double(voxels) * spacing[0] * spacing[1] * spacing[2] / 1000.0;
  EXPECT_NEAR(run.Filter->GetLeftEffusionMl(), truthMl, 0.35 * truthMl);
  EXPECT_LT(run.Filter->GetRightEffusionMl(), 0.05 * truthMl) << "on the left only";
  std::cout << "effusion: Dice " << run.Result.Dice << ", inside " << run.Result.EffusionInside << ", measured "
            << run.Filter->GetLeftEffusionMl() << " mL of " << truthMl << " mL" << std::endl;
}

TEST(LungLesionPhantom, TheEffusionIsLabelledOnRequestWhereTheFluidIs)
{
  const auto   run = Segment([](auto & p) { p.Effusion = true; }, [](auto * f) { f->LabelEffusionOn(); });
  size_t       labelled = 0, onTruth = 0;
  const size_t n = run.Truth.Lesions->GetLargestPossibleRegion().GetNumberOfPixels();
  for (size_t v = 0; v < n; ++v)
  {
    const bool six = run.Filter->GetOutput()->GetBufferPointer()[v] == ctp::LungMaskImageFilter::Effusion;
    labelled += six;
    onTruth += six && run.Truth.Lesions->GetBufferPointer()[v] == ctp::ChestPhantomLesionLabels::Effusion;
  }
  ASSERT_GT(labelled, 0u);
  EXPECT_GE(double(onTruth) / double(labelled), 0.8) << "label 6 is on the fluid";
}

TEST(LungLesionPhantom, TheClassicMaskLeavesTheHilarMassOut)
{
  // What this stage adds: without it the aerated mask keeps only what the per-slice fill encloses.
  const auto run = Segment([](auto & p) { p.HilarMass = true; }, [](auto * f) { f->CaptureLesionsOff(); });
  EXPECT_EQ(run.Result.Dense[1] + run.Result.Dense[2], 0u);
  EXPECT_LT(run.Result.LesionInside, 0.9);
  EXPECT_TRUE(run.Filter->GetLesions().empty());
}

TEST(LungLesionPhantom, AHealthyPhantomTakesNothingIn)
{
  const auto run = Segment([](auto &) {});
  EXPECT_TRUE(run.Filter->GetLesions().empty()) << "heart, spine, hila and trachea are not lesions";
  EXPECT_DOUBLE_EQ(run.Filter->GetLeftEffusionMl() + run.Filter->GetRightEffusionMl(), 0.0);
}

TEST(LungLesionImageFilter, RefusesParametersOutOfRangeAndLeavesObliqueSlicesAlone)
{
  const auto truth = ctp::ChestPhantom(Parameters([](auto & p) { p.HilarMass = true; })).Generate();
  auto       aerated = ctp::LungMaskImageFilter::New();
  aerated->SetInput(AsRead(truth.HU));
  aerated->CaptureLesionsOff();
  aerated->Update();
  auto filter = ctp::LungLesionImageFilter::New();
  EXPECT_STREQ(filter->GetNameOfClass(), "LungLesionImageFilter");
  std::ostringstream printed;
  filter->Print(printed);
  EXPECT_NE(printed.str().find("EnvelopeRadius: 25 mm"), std::string::npos);
  filter->SetInput(truth.HU);
  filter->SetLabels(aerated->GetOutput());
  filter->SetEnvelopeRadius(0.0);
  EXPECT_THROW(filter->Update(), itk::ExceptionObject);
  filter->SetEnvelopeRadius(25.0);
  filter->SetDenseLower(300.0);
  EXPECT_THROW(filter->Update(), itk::ExceptionObject);
  filter->SetDenseLower(-50.0);
  EXPECT_NO_THROW(filter->Update());
  EXPECT_FALSE(filter->GetLesions().empty());
  // Image axes not along the patient's: unchanged, and said so.
  auto oblique = ctp::HUImageType::New();
  oblique->Graft(truth.HU);
  auto         direction = oblique->GetDirection();
  const double c = std::cos(0.6), s = std::sin(0.6);
  direction[0][0] = c;
  direction[0][1] = -s;
  direction[1][0] = s;
  direction[1][1] = c;
  oblique->SetDirection(direction);
  auto labels = ctp::MaskImageType::New();
  labels->Graft(aerated->GetOutput());
  labels->SetDirection(direction);
  auto leave = ctp::LungLesionImageFilter::New();
  leave->SetInput(oblique);
  leave->SetLabels(labels);
  leave->Update();
  EXPECT_TRUE(leave->GetLesions().empty());
  ASSERT_FALSE(leave->GetDecisions().empty());
  EXPECT_NE(leave->GetDecisions().front().find("not axial"), std::string::npos);
  const size_t n = labels->GetLargestPossibleRegion().GetNumberOfPixels();
  EXPECT_TRUE(
    std::equal(labels->GetBufferPointer(), labels->GetBufferPointer() + n, leave->GetOutput()->GetBufferPointer()));
}
