#ifndef ctpLungLesionImageFilter_h
#define ctpLungLesionImageFilter_h

#include "ctpImageTypes.h"

#include "itkImageToImageFilter.h"

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace ctp
{
class BlockGrid;
struct ChestBlocks;

/** A region of dense tissue taken into a lung. */
struct LungLesion
{
  MaskPixelType         Side{ 0 }; ///< 1 right lung, 2 left lung
  double                VolumeMl{ 0.0 };
  std::array<double, 3> CentroidLPS{};            ///< mm
  std::array<double, 3> CentroidIndex{};          ///< continuous index on the image grid
  double                DiameterMm{ 0.0 };        ///< largest extent (see LungLesionImageFilter)
  bool                  AirBronchograms{ false }; ///< air of the lung runs inside it (consolidation)
};

/** \class LungLesionImageFilter
 * \brief Takes into the lung mask the dense tissue the lung encloses: masses against the mediastinum,
 * the hilum, the spine or the chest wall, nodules of any size, consolidation with air bronchograms.
 *
 * Input 0 is the CT in HU, input 1 (SetLabels) the aerated lung mask of LungMaskImageFilter (1 right,
 * 2 left, 3 airways, with its per-slice fill). The output is the same mask with the dense tissue of
 * the right lung labelled 4 and of the left lung 5. A threshold mask keeps air only: a cancer against
 * the mediastinum or the chest wall has broad contact with tissue and is cut away, and so is airless
 * lung. What learned models do with a shape prior this filter does with the lung's own geometry, on
 * blocks of about GridSpacing (3 mm; ChestBlocks, LesionBlocks):
 * 1. Dense: a block whose mean HU is within [DenseLower, DenseUpper] (-50..300: soft tissue, not fat,
 *    not bone), not airway (it may hold a little lung: the thin edge of an airless lobe).
 * 2. Envelope: the lung closed by a ball of EnvelopeRadius (25 mm) holds every bulge into it narrower
 *    than the ball, not the heart or the diaphragm's dome (far wider).
 * 3. Enclosure: a mass is a dense block of the envelope with lung above and below it within
 *    EnclosureLength (80 mm) along the slice axis (the aorta, the venae cavae, the oesophagus and the
 *    spine run through the chest: not them), or on both sides along both in-plane axes. Consolidation
 *    is a dense block within BronchogramReach (24 mm) of air bronchograms, with lung on both sides of it
 *    along an in-plane axis or in the envelope (the liver under the lung's base has lung above only);
 *    air bronchograms are threads of this lung's air (at least two blocks) with at least
 *    BronchogramTissueFraction (75%) of the blocks within BronchogramProbe (7 mm) dense tissue without
 *    lung (an effusion holds no air; the lung's edge has lung around it).
 * 4. The other side: a block is kept only when its mirror image across the midline (the middle of both
 *    lungs' outer extents, per slice) lies ContralateralDepth (4 mm, in whole blocks, at least one) deep
 *    inside the other lung: both hila and the subcarinal space are dense on both sides and fall out, a
 *    mass is one-sided. Within MidlineMargin (15 mm) of the midline a block is its own mirror image and
 *    is not kept, nor is air there a bronchogram (the oesophagus).
 * 5. Seeds: the kept blocks opened by one block, in 6-connected regions of at least MinimumVolume
 *    (1 mL) whose faces touch this lung at MinimumLungContact (15%) or more. Smaller lesions are in the
 *    per-slice fill already.
 * 6. Growth: each seed takes the enclosed dense blocks within CoreGrowth (25 mm) of it (the part of a
 *    hilar mass whose mirror image is the other hilum), then any dense block within Completion (12 mm)
 *    (the base of a mass against the mediastinum or the wall, the rim of a consolidation).
 * 7. Full resolution: in those blocks, voxels at or above the lung threshold not yet labelled become 4
 *    or 5; each slice holding them is filled again around them (closing by FillClosingRadius and holes,
 *    within that radius of the lesion) for the margin between lesion and aerated lung. Regions under 5%
 *    of MinimumVolume (crumbs of the blocks) go back to background.
 * Regions are measured (GetLesions(), largest first): volume, centroid, the largest extent (the longest
 * distance between the extreme voxels along 49 directions, within 2% of the true diameter), whether air
 * bronchograms run in it. Needs axial slices (image axes near the patient's); otherwise the mask is
 * returned unchanged with a decision saying so. Limits, measured on the phantom and two patients: a
 * lesion on the diaphragm with no lung beside it, and a thin airless rim without bronchograms, are
 * not enclosed; a mass against the aortic arch takes some of the arch's wall with it (Completion).
 *
 * \par Streaming
 * Whole-image filter: it requests and produces the largest possible region.
 */
class LungLesionImageFilter : public itk::ImageToImageFilter<HUImageType, MaskImageType>
{
public:
  ITK_DISALLOW_COPY_AND_MOVE(LungLesionImageFilter);

  using Self = LungLesionImageFilter;
  using Superclass = itk::ImageToImageFilter<HUImageType, MaskImageType>;
  using Pointer = itk::SmartPointer<Self>;
  using ConstPointer = itk::SmartPointer<const Self>;

  itkNewMacro(Self);
  itkTypeMacro(LungLesionImageFilter, ImageToImageFilter);

  static constexpr MaskPixelType RightLesion = 4;
  static constexpr MaskPixelType LeftLesion = 5;

  /** The aerated lung mask (1 right, 2 left, 3 airways) on the input's grid. */
  void
  SetLabels(const MaskImageType * labels);
  const MaskImageType *
  GetLabels() const;

  itkSetMacro(LungThreshold, double);
  itkGetConstMacro(LungThreshold, double);
  itkSetMacro(GridSpacing, double);
  itkGetConstMacro(GridSpacing, double);
  itkSetMacro(DenseLower, double);
  itkGetConstMacro(DenseLower, double);
  itkSetMacro(DenseUpper, double);
  itkGetConstMacro(DenseUpper, double);
  itkSetMacro(EnvelopeRadius, double);
  itkGetConstMacro(EnvelopeRadius, double);
  itkSetMacro(EnclosureLength, double);
  itkGetConstMacro(EnclosureLength, double);
  itkSetMacro(BronchogramProbe, double);
  itkGetConstMacro(BronchogramProbe, double);
  itkSetMacro(BronchogramTissueFraction, double);
  itkGetConstMacro(BronchogramTissueFraction, double);
  itkSetMacro(BronchogramReach, double);
  itkGetConstMacro(BronchogramReach, double);
  itkSetMacro(ContralateralDepth, double);
  itkGetConstMacro(ContralateralDepth, double);
  itkSetMacro(MidlineMargin, double);
  itkGetConstMacro(MidlineMargin, double);
  itkSetMacro(MinimumVolume, double);
  itkGetConstMacro(MinimumVolume, double);
  itkSetMacro(MinimumLungContact, double);
  itkGetConstMacro(MinimumLungContact, double);
  itkSetMacro(CoreGrowth, double);
  itkGetConstMacro(CoreGrowth, double);
  itkSetMacro(Completion, double);
  itkGetConstMacro(Completion, double);
  itkSetMacro(FillClosingRadius, double);
  itkGetConstMacro(FillClosingRadius, double);
  /** Write into the labels input's buffer instead of a new image (what LungMaskImageFilter does with
   *  its own output: no copy of the volume). Off by default. */
  itkSetMacro(InPlace, bool);
  itkGetConstMacro(InPlace, bool);
  itkBooleanMacro(InPlace);

  /** Results of the last update. */
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
  const std::vector<std::string> &
  GetDecisions() const
  {
    return m_Decisions;
  }
  /** The chest's blocks the last update pooled, lesions included in its lung flags; for later steps
   *  on the same blocks (PleuralEffusion). Null when the filter did not get that far. */
  const ChestBlocks *
  GetChestBlocks() const
  {
    return m_Chest.get();
  }

protected:
  LungLesionImageFilter();
  ~LungLesionImageFilter() override;

  void
  GenerateInputRequestedRegion() override;
  void
  EnlargeOutputRequestedRegion(itk::DataObject * output) override;
  void
  GenerateData() override;
  void
  PrintSelf(std::ostream & os, itk::Indent indent) const override;

private:
  /** Checks the parameters; throws itk::ExceptionObject naming the first one out of range. */
  void
  VerifyParameters() const;
  /** Step 7: paints, fills and measures each side's regions of blocks (1 right, 2 left) at full
   *  resolution. */
  void
  FullResolution(const std::vector<uint8_t> & regions, const std::vector<uint8_t> & bronchogramBlocks,
                 const BlockGrid & grid);
  /** Labels 4 and 5 at full resolution from the blocks of each side's region (1 right, 2 left). */
  void
  PaintRegions(const std::vector<uint8_t> & regions, const BlockGrid & grid);
  /** Voxel box [Low, High) of the image holding every lesion voxel. */
  struct VoxelBox
  {
    std::array<size_t, 3> Low{};
    std::array<size_t, 3> High{};
  };
  /** Fills each slice holding lesion voxels again, lung and lesion of each side together, in a window
   *  around the lesions; returns the box the lesion voxels are in after it. */
  VoxelBox
  RefillSlices(const VoxelBox & lesions);
  /** Connected regions of labels 4 and 5 in the box, measured into m_Lesions. */
  void
  MeasureLesions(const std::vector<uint8_t> & bronchogramBlocks, const BlockGrid & grid, const VoxelBox & box);

  double m_LungThreshold{ -320.0 };
  double m_GridSpacing{ 3.0 };
  double m_DenseLower{ -50.0 };
  double m_DenseUpper{ 300.0 };
  double m_EnvelopeRadius{ 25.0 };
  double m_EnclosureLength{ 80.0 };
  double m_BronchogramProbe{ 7.0 };
  double m_BronchogramTissueFraction{ 0.75 };
  double m_BronchogramReach{ 24.0 };
  double m_ContralateralDepth{ 4.0 };
  double m_MidlineMargin{ 15.0 };
  double m_MinimumVolume{ 1.0 };
  double m_MinimumLungContact{ 0.15 };
  double m_CoreGrowth{ 25.0 };
  double m_Completion{ 12.0 };
  double m_FillClosingRadius{ 6.0 };
  bool   m_InPlace{ false };

  std::vector<LungLesion>      m_Lesions;
  double                       m_RightLesionMl{ 0.0 };
  double                       m_LeftLesionMl{ 0.0 };
  std::vector<std::string>     m_Decisions;
  std::unique_ptr<ChestBlocks> m_Chest;
};

} // namespace ctp

#endif
