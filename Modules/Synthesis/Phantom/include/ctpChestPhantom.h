#ifndef ctpChestPhantom_h
#define ctpChestPhantom_h

#include "ctpImageTypes.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ctp
{
/** Disease the phantom can carry, each with its ground truth (ChestPhantomVolumes::Lesions). Sizes are
 *  for a 360 mm field of view and scale with it, as the anatomy does. */
struct ChestPhantomPathology
{
  /** A 44 mm solid mass at the right hilum, its medial side flattened broadly against the mediastinum. */
  bool HilarMass{ false };
  /** A 42 mm mass in the back of the left lung, against the posterior chest wall beside the spine. */
  bool ParavertebralMass{ false };
  /** The posterior right lower lobe airless (35 HU) with air bronchograms running into it. */
  bool Consolidation{ false };
  /** A dependent fluid crescent (10 HU) behind the left lower lung, up to 20 mm deep at the base,
   *  pushing the lung forward: the lung is smaller, the fluid is not lung. */
  bool Effusion{ false };
};

/** Grid and randomness of a synthetic chest CT. */
struct ChestPhantomParameters
{
  unsigned int Matrix{ 256 };       ///< rows = columns
  unsigned int Slices{ 80 };        ///< number of axial slices
  double       SliceSpacing{ 2.5 }; ///< mm between slice centres
  double       PixelSpacing{ 0.0 }; ///< mm; <= 0: a 360 mm field of view (360 / Matrix)
  double       NoiseSigma{ 10.0 };  ///< HU, Gaussian
  uint32_t     Seed{ 1 };
  /** Feet-first supine, as scanners write it: ImageOrientationPatient (-1,0,0, 0,1,0), so columns run
   *  to the patient's right and the slice normal points to the feet (direction diag(-1, 1, -1)).
   *  The anatomy stays where it is in patient space. */
  bool FeetFirst{ false };
  /** Slices generated beyond each end of the scanned length, with the anatomy of the scanned length
   *  (the lungs still span 82% of `Slices`, the noise of slice k is the same): room to sample the
   *  slices of a tilted gantry, which reach above and below the table positions. */
  unsigned int          ExtraSlices{ 0 };
  ChestPhantomPathology Pathology;
};

/** Tissue values of the phantom, in HU (noise-free). */
struct ChestPhantomTissues
{
  static constexpr double Air = -1000.0;
  static constexpr double Lung = -850.0;
  static constexpr double Fat = -100.0;
  static constexpr double SoftTissue = 40.0;
  static constexpr double Blood = 45.0;
  static constexpr double Nodule = 30.0;
  static constexpr double Mass = 35.0;
  static constexpr double Consolidation = 35.0;
  static constexpr double Effusion = 10.0;
  static constexpr double TableFoam = -950.0;
  static constexpr double TableShell = 250.0;
  static constexpr double Cancellous = 700.0;
  static constexpr double Cortical = 1300.0;
  static constexpr double Rib = 900.0;
  static constexpr double Sternum = 750.0;
  /** Out of the circular field of view: stored -2000 with intercept -1024, as on real scanners. */
  static constexpr double OutOfScan = -3024.0;
};

/** A sphere in patient LPS millimetres. */
struct PhantomNodule
{
  std::string           Name;
  std::string           Side; ///< "right" or "left"
  std::array<double, 3> Center;
  double                Radius;
};

/** A region of disease and its truth label. */
struct PhantomLesion
{
  std::string           Name;   ///< "hilar mass", "paravertebral mass", "consolidation", "effusion"
  std::string           Side;   ///< "right" or "left"
  uint8_t               Label;  ///< its value in ChestPhantomVolumes::Lesions
  std::array<double, 3> Center; ///< a point inside it, LPS mm
};

/** Label values of ChestPhantomVolumes::Lesions. */
struct ChestPhantomLesionLabels
{
  static constexpr uint8_t InsideLung = 1; ///< masses, consolidation: part of the lung
  static constexpr uint8_t Effusion = 2;   ///< pleural fluid: outside the lung
};

/** The phantom and its ground truth, all on the slice grid.
 *  Lungs: 0 outside, 1 right lung, 2 left lung (patient sides; nonzero = lung), vessels and nodules
 *  inside the lung outline included, trachea and main bronchi excluded. Airways: trachea + main
 *  bronchi. Bone: spine, ribs, sternum (the table is not bone). Lesions: the pathology's voxels, 1 where
 *  they are lung (masses, consolidation and its air bronchograms: also in Lungs), 2 effusion (not in Lungs). */
struct ChestPhantomVolumes
{
  HUImageType::Pointer       HU;
  MaskImageType::Pointer     Lungs;
  MaskImageType::Pointer     Airways;
  MaskImageType::Pointer     Bone;
  MaskImageType::Pointer     Lesions;
  std::vector<PhantomNodule> Nodules;
  std::vector<PhantomLesion> Pathology;
};

/** \brief Synthetic chest CT with known anatomy, for tests, demos and benchmarks.
 *
 * Patient space is LPS (x to the patient's left, y posterior, z superior). In-plane sizes scale
 * with the field of view (a 360 mm field gives the nominal sizes below), the lungs span 82% of the
 * scanned length so the whole chest is in any grid:
 * - body ellipse 330 x 240 mm with a 12 mm fat layer, soft tissue inside;
 * - two lungs (-850 HU) whose outline tapers to the apex, the heart (45 HU) carving their medial
 *   sides; vessels (45 HU) branching from each hilum; a free nodule in the right lung and one on the
 *   lateral wall of the left lung (30 HU);
 * - the trachea leaving the top of the volume, splitting at the carina into two main bronchi;
 * - spine (cortical 1300 HU shell, 700 HU cancellous, discs), ribs (900 HU) and sternum;
 * - a patient table (250 HU shell, -950 HU foam core) 10 mm below the body, air in between;
 * - optional pathology (ChestPhantomPathology): masses against the mediastinum and the chest wall,
 *   consolidation with air bronchograms, a pleural effusion;
 * - Gaussian noise (seeded per slice, so the result does not depend on threading);
 * - -3024 HU outside the circular field of view. */
class ChestPhantom
{
public:
  explicit ChestPhantom(const ChestPhantomParameters & parameters);

  /** Throws ctp::Error(Usage) for parameters out of range. */
  ChestPhantomVolumes
  Generate() const;

  const ChestPhantomParameters &
  GetParameters() const
  {
    return m_Parameters;
  }

private:
  ChestPhantomParameters m_Parameters;
};

} // namespace ctp

#endif
