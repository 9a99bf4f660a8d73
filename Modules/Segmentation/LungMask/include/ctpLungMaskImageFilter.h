#ifndef ctpLungMaskImageFilter_h
#define ctpLungMaskImageFilter_h

#include "ctpImageTypes.h"
#include "ctpLungLesionImageFilter.h"

#include "itkImageToImageFilter.h"

#include <string>
#include <vector>

namespace ctp
{
/** \class LungMaskImageFilter
 * \brief Segments the lungs of a chest CT in HU: 1 right lung, 2 left lung, 3 trachea and main bronchi,
 * 4 and 5 dense tissue (masses, consolidation) of the right and the left lung, 6 pleural effusion (on
 * request).
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
 * 8. Lesions (CaptureLesions, on by default): the dense tissue the lung encloses, masses against the
 *    mediastinum or the chest wall and consolidation, joins the lung as labels 4 (right) and 5 (left):
 *    LungLesionImageFilter, whose main parameters this filter forwards (Lesion...). Off, the mask is
 *    the classic aerated one.
 * 9. Effusion (FindEffusion, on by default): fluid against the back of a lung is measured
 *    (PleuralEffusion; GetRightEffusionMl()) and labelled 6 with LabelEffusion.
 * Stages 8 and 9 run only on a plausible mask.
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
  static constexpr MaskPixelType RightLesion = LungLesionImageFilter::RightLesion;
  static constexpr MaskPixelType LeftLesion = LungLesionImageFilter::LeftLesion;
  static constexpr MaskPixelType Effusion = 6;
  /** The lungs' labels: aerated (1, 2) and the dense tissue taken into them (4, 5). */
  static std::vector<MaskPixelType>
  LungLabels()
  {
    return { RightLung, LeftLung, RightLesion, LeftLesion };
  }
  static constexpr bool
  IsLung(MaskPixelType label)
  {
    return label == RightLung || label == LeftLung || label == RightLesion || label == LeftLesion;
  }

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
  itkSetMacro(CaptureLesions, bool);
  itkGetConstMacro(CaptureLesions, bool);
  itkBooleanMacro(CaptureLesions);
  itkSetMacro(LesionEnvelopeRadius, double);
  itkGetConstMacro(LesionEnvelopeRadius, double);
  itkSetMacro(LesionEnclosureLength, double);
  itkGetConstMacro(LesionEnclosureLength, double);
  itkSetMacro(LesionBronchogramReach, double);
  itkGetConstMacro(LesionBronchogramReach, double);
  itkSetMacro(LesionContralateralDepth, double);
  itkGetConstMacro(LesionContralateralDepth, double);
  itkSetMacro(LesionMinimumVolume, double);
  itkGetConstMacro(LesionMinimumVolume, double);
  itkSetMacro(LesionGrowth, double);
  itkGetConstMacro(LesionGrowth, double);
  itkSetMacro(LesionCompletion, double);
  itkGetConstMacro(LesionCompletion, double);
  itkSetMacro(FindEffusion, bool);
  itkGetConstMacro(FindEffusion, bool);
  itkBooleanMacro(FindEffusion);
  /** The HU range of pleural fluid (block means): PleuralEffusion's FluidLower and FluidUpper. */
  itkSetMacro(EffusionLower, double);
  itkGetConstMacro(EffusionLower, double);
  itkSetMacro(EffusionUpper, double);
  itkGetConstMacro(EffusionUpper, double);
  itkSetMacro(LabelEffusion, bool);
  itkGetConstMacro(LabelEffusion, bool);
  itkBooleanMacro(LabelEffusion);
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
  /** Dense regions taken into the lungs (stage 8), largest first. */
  const std::vector<LungLesion> &
  GetLesions() const
  {
    return m_Lesions;
  }
  double
  GetRightLesionMl() const
  {
    return m_RightLesionMl;
  }
  double
  GetLeftLesionMl() const
  {
    return m_LeftLesionMl;
  }
  double
  GetRightEffusionMl() const
  {
    return m_RightEffusionMl;
  }
  double
  GetLeftEffusionMl() const
  {
    return m_LeftEffusionMl;
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
  /** Stage 8 on the output. */
  void
  CaptureLesions();
  /** Stage 9 on the output. */
  void
  FindEffusion();

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
  bool   m_CaptureLesions{ true };
  double m_LesionEnvelopeRadius{ 25.0 };
  double m_LesionEnclosureLength{ 80.0 };
  double m_LesionBronchogramReach{ 24.0 };
  double m_LesionContralateralDepth{ 4.0 };
  double m_LesionMinimumVolume{ 1.0 };
  double m_LesionGrowth{ 25.0 };
  double m_LesionCompletion{ 12.0 };
  bool   m_FindEffusion{ true };
  double m_EffusionLower{ -20.0 };
  double m_EffusionUpper{ 30.0 };
  bool   m_LabelEffusion{ false };

  MaskImageType::Pointer m_BodyMask;

  double                         m_RightVolumeMl{ 0.0 };
  double                         m_LeftVolumeMl{ 0.0 };
  double                         m_AirwayVolumeMl{ 0.0 };
  std::vector<LungLesion>        m_Lesions;
  double                         m_RightLesionMl{ 0.0 };
  double                         m_LeftLesionMl{ 0.0 };
  double                         m_RightEffusionMl{ 0.0 };
  double                         m_LeftEffusionMl{ 0.0 };
  LungLesionImageFilter::Pointer m_LesionFilter; ///< of stage 8, its blocks reused by stage 9
  bool                           m_UsedFallback{ false };
  bool                           m_Plausible{ false };
  std::vector<std::string>       m_Warnings;
  std::vector<std::string>       m_Decisions;
};

} // namespace ctp

#endif
