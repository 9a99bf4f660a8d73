#ifndef ctpLungMaskImageFilter_h
#define ctpLungMaskImageFilter_h

#include "ctpImageTypes.h"

#include "itkImageToImageFilter.h"

#include <string>
#include <vector>

namespace ctp
{
/** \class LungMaskImageFilter
 * \brief Segments the lungs of a chest CT in HU: 1 right lung, 2 left lung, 3 trachea and main bronchi.
 *
 * The classic threshold recipe, made robust where it is known to fail:
 * 1. Air = HU below LungThreshold (-320).
 * 2. Outside air = in every slice (planes of the first two axes), the air connected to the slice's
 *    edge. Not the single corner voxel of the classic recipe: the table and the field-of-view edge
 *    split the outside air into several parts. Per slice, so that lungs cut by the top or bottom of
 *    the scan stay, and a tracheostomy connecting the trachea to the outside in the neck does not
 *    take the lungs with it.
 * 3. Trachea and main bronchi: found in the most superior slices as a small air region near the
 *    body's midline and followed down slice by slice while it stays small; labelled 3 (not lung).
 * 4. Lungs = the largest remaining air component (6-connected), plus the second when it lies on the
 *    other side and has at least MinimumSecondFraction of the largest's volume. One component holding
 *    both lungs is split at the trachea's (else its own) left-right centre. Sides by patient
 *    position: LPS x below the split is the patient's right (1), above the left (2).
 * 5. Fill (on by default): per slice and per lung, a closing by FillClosingRadius (mm) and hole
 *    filling, so vessels, nodules and nodules on the lung wall belong to the lung: they are solid
 *    and a nodule finder must see them.
 * 6. DilationRadius (mm, default 0): optional dilation of each lung.
 * 7. Plausibility: total lung volume within [MinimumVolumeLitres, MaximumVolumeLitres] and both
 *    sides present (each at least 10% of the total). Failing that, the tissue is closed in each slice
 *    by FallbackClosingRadius (mm) before step 2 (seals a tracheostomy channel, metal streaks from a
 *    pacemaker, gaps in the chest wall) and the segmentation is redone; if it still fails, a warning
 *    says why (GetWarnings()).
 *
 * \par Streaming
 * Whole-image filter: it requests and produces the largest possible region.
 */
class LungMaskImageFilter : public itk::ImageToImageFilter<HUImageType, MaskImageType>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(LungMaskImageFilter);

  using Self = LungMaskImageFilter;
  using Superclass = itk::ImageToImageFilter<HUImageType, MaskImageType>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(LungMaskImageFilter, ImageToImageFilter);

  /** Output labels. */
  static constexpr MaskPixelType Background = 0;
  static constexpr MaskPixelType RightLung = 1;
  static constexpr MaskPixelType LeftLung = 2;
  static constexpr MaskPixelType Airway = 3;

  itkSetMacro(LungThreshold, double);
  itkGetConstMacro(LungThreshold, double);
  itkSetMacro(Fill, bool);
  itkGetConstMacro(Fill, bool);
  itkBooleanMacro(Fill);
  itkSetMacro(FillClosingRadius, double);
  itkGetConstMacro(FillClosingRadius, double);
  itkSetMacro(DilationRadius, double);
  itkGetConstMacro(DilationRadius, double);
  itkSetMacro(LabelAirways, bool);
  itkGetConstMacro(LabelAirways, bool);
  itkBooleanMacro(LabelAirways);
  itkSetMacro(MinimumSecondFraction, double);
  itkGetConstMacro(MinimumSecondFraction, double);
  itkSetMacro(MinimumVolumeLitres, double);
  itkGetConstMacro(MinimumVolumeLitres, double);
  itkSetMacro(MaximumVolumeLitres, double);
  itkGetConstMacro(MaximumVolumeLitres, double);
  itkSetMacro(FallbackClosingRadius, double);
  itkGetConstMacro(FallbackClosingRadius, double);
  /** Also compute the body mask (GetBodyMask()): what bone surfaces and pictures are cut to. */
  itkSetMacro(ComputeBodyMask, bool);
  itkGetConstMacro(ComputeBodyMask, bool);
  itkBooleanMacro(ComputeBodyMask);

  /** After an update with ComputeBodyMask on: 1 inside the body, 0 elsewhere, on the input grid.
   *  The body is the largest 6-connected region of voxels that are not outside air (step 2): the
   *  lungs and airways are in it, the patient table and the air around are not. */
  MaskImageType *
  GetBodyMask() const
  {
    return m_BodyMask.GetPointer();
  }

  /** Results of the last update. */
  double
  GetRightVolumeMl() const
  {
    return m_RightVolumeMl;
  }
  double
  GetLeftVolumeMl() const
  {
    return m_LeftVolumeMl;
  }
  double
  GetAirwayVolumeMl() const
  {
    return m_AirwayVolumeMl;
  }
  bool
  GetUsedFallback() const
  {
    return m_UsedFallback;
  }
  bool
  GetPlausible() const
  {
    return m_Plausible;
  }
  const std::vector<std::string> &
  GetWarnings() const
  {
    return m_Warnings;
  }
  const std::vector<std::string> &
  GetDecisions() const
  {
    return m_Decisions;
  }

protected:
  LungMaskImageFilter() = default;
  ~LungMaskImageFilter() override = default;

  void
  GenerateInputRequestedRegion() override;
  void
  EnlargeOutputRequestedRegion(itk::DataObject * output) override;
  void
  GenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** One attempt; returns whether the result is plausible, with the reason otherwise. */
  bool
  Segment(double tissueClosingRadius, std::string & reason);

  double m_LungThreshold{ -320.0 };
  bool   m_Fill{ true };
  double m_FillClosingRadius{ 6.0 };
  double m_DilationRadius{ 0.0 };
  bool   m_LabelAirways{ true };
  double m_MinimumSecondFraction{ 0.25 };
  double m_MinimumVolumeLitres{ 0.5 };
  double m_MaximumVolumeLitres{ 12.0 };
  double m_FallbackClosingRadius{ 5.0 };
  bool   m_ComputeBodyMask{ false };

  MaskImageType::Pointer m_BodyMask;

  double                   m_RightVolumeMl{ 0.0 };
  double                   m_LeftVolumeMl{ 0.0 };
  double                   m_AirwayVolumeMl{ 0.0 };
  bool                     m_UsedFallback{ false };
  bool                     m_Plausible{ false };
  std::vector<std::string> m_Warnings;
  std::vector<std::string> m_Decisions;
};

} // namespace ctp

#endif
