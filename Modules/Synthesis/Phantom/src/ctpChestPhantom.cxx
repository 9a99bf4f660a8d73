#include "ctpChestPhantom.h"
#include "ctpError.h"

#include "itkMultiThreaderBase.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

namespace ctp
{
namespace
{
using Tissue = ChestPhantomTissues;
using Vec3 = std::array<double, 3>;

double
Sq(double v)
{
  return v * v;
}

/** A tapered tube between two points (vessels, bronchi). */
struct Capsule
{
  Vec3   A;
  Vec3   B;
  double RadiusA;
  double RadiusB;

  bool
  Contains(const Vec3 & p) const
  {
    const Vec3   ab{ B[0] - A[0], B[1] - A[1], B[2] - A[2] };
    const Vec3   ap{ p[0] - A[0], p[1] - A[1], p[2] - A[2] };
    const double len2 = Sq(ab[0]) + Sq(ab[1]) + Sq(ab[2]);
    const double u = std::clamp((ap[0] * ab[0] + ap[1] * ab[1] + ap[2] * ab[2]) / len2, 0.0, 1.0);
    const double d2 = Sq(ap[0] - u * ab[0]) + Sq(ap[1] - u * ab[1]) + Sq(ap[2] - u * ab[2]);
    return d2 <= Sq(RadiusA + u * (RadiusB - RadiusA));
  }
};

/** Every anatomical size, fixed once from the grid. */
class Anatomy
{
public:
  Anatomy(double fieldOfViewRadius, double zLow, double zHigh, const ChestPhantomPathology & pathology)
    : m_R(fieldOfViewRadius)
    , m_S(fieldOfViewRadius / 180.0)
    , m_ZLow(zLow)
    , m_Pathology(pathology)
  {
    const double height = zHigh - zLow;
    m_LungBottom = zLow + 0.10 * height;
    m_LungTop = zHigh - 0.08 * height;
    m_LungLength = m_LungTop - m_LungBottom;
    m_Carina = m_LungBottom + 0.62 * m_LungLength;
    const double s = m_S;
    const double zMid = m_LungBottom + 0.5 * m_LungLength;
    const double L = m_LungLength;
    for (const double side : { -1.0, 1.0 })
    {
      const Vec3 hilum{ side * 32 * s, -18 * s, zMid };
      const Vec3 ends[] = { { side * 105 * s, -20 * s, zMid + 0.30 * L }, { side * 100 * s, -55 * s, zMid - 0.25 * L },
                            { side * 90 * s, 35 * s, zMid - 0.35 * L },   { side * 95 * s, 20 * s, zMid + 0.20 * L },
                            { side * 65 * s, -60 * s, zMid + 0.10 * L },  { side * 80 * s, 10 * s, zMid - 0.05 * L } };
      for (const auto & end : ends)
      {
        m_Vessels.push_back({ hilum, end, 3.5 * s, 1.5 * s });
      }
      m_Bronchi.push_back(
        { { 0.0, -30 * s, m_Carina }, { side * 40 * s, -22 * s, m_Carina - 0.10 * L }, 6 * s, 5 * s });
    }
    // A free nodule in the right lung, and a juxtapleural one on the lateral wall of the left lung.
    m_Nodules.push_back({ "free", "right", { -80 * s, -8 * s, m_LungBottom + 0.40 * L }, 7 * s });
    const double tWall = 0.45;
    const double wallX = 70 * s + 52 * s * LungScale(tWall);
    const double radius = 6 * s;
    m_Nodules.push_back(
      { "juxtapleural", "left", { wallX - 0.7 * radius, -10 * s, m_LungBottom + tWall * L }, radius });
    AddPathology();
  }

  const std::vector<PhantomNodule> &
  Nodules() const
  {
    return m_Nodules;
  }

  const std::vector<PhantomLesion> &
  Lesions() const
  {
    return m_Lesions;
  }

  /** Lung outline scale along its height: broad base on the diaphragm, tapering to the apex. */
  static double
  LungScale(double t)
  {
    if (t < 0.0 || t > 1.0)
    {
      return 0.0;
    }
    const double u = t < 0.4 ? (0.4 - t) / 0.55 : (t - 0.4) / 0.6;
    return std::sqrt(std::max(0.0, 1.0 - u * u));
  }

  struct Voxel
  {
    double  HU{ Tissue::Air };
    uint8_t Lung{ 0 };
    uint8_t Airway{ 0 };
    uint8_t Bone{ 0 };
    uint8_t Lesion{ 0 };
  };

  Voxel
  Classify(const Vec3 & p) const
  {
    const double s = m_S;
    const double x = p[0];
    const double y = p[1];
    const double z = p[2];
    Voxel        v;
    if (Sq(x) + Sq(y) > Sq(m_R))
    {
      v.HU = Tissue::OutOfScan;
      return v;
    }
    // Patient table below (posterior to) the body, separated from it by 10 mm of air.
    if (std::abs(x) <= 110 * s && y >= 125 * s && y <= 137 * s)
    {
      const bool core = std::abs(x) < 106 * s && y > 128 * s && y < 134 * s;
      v.HU = core ? Tissue::TableFoam : Tissue::TableShell;
      return v;
    }
    const double yb = y + 5 * s; // body centre is 5 mm anterior
    if (Sq(x / (165 * s)) + Sq(yb / (120 * s)) > 1.0)
    {
      return v; // outside air
    }
    if (Sq(x / (153 * s)) + Sq(yb / (108 * s)) > 1.0)
    {
      v.HU = Tissue::Fat;
      return v;
    }
    v.HU = Tissue::SoftTissue;

    if (ClassifyBone(x, y, z, v))
    {
      return v;
    }

    ClassifyHeartAndLungs(p, v);
    // Masses: solid wherever the sphere is (in the mediastinum or the chest wall too, where it cannot be
    // told from them); lung, and a lesion, where it lies in the lung's outline.
    for (const auto & mass : m_Masses)
    {
      if (Sq(x - mass.Center[0]) + Sq(y - mass.Center[1]) + Sq(z - mass.Center[2]) <= Sq(mass.Radius))
      {
        v.HU = Tissue::Mass;
        v.Lesion = v.Lung ? ChestPhantomLesionLabels::InsideLung : uint8_t(0);
      }
    }
    for (const auto & nodule : m_Nodules)
    {
      if (Sq(x - nodule.Center[0]) + Sq(y - nodule.Center[1]) + Sq(z - nodule.Center[2]) <= Sq(nodule.Radius))
      {
        v.HU = Tissue::Nodule;
      }
    }
    // Trachea from the top of the volume down to the carina, then the two main bronchi.
    bool airway = z >= m_Carina && Sq(x) + Sq(y + 30 * s) <= Sq(9 * s);
    airway = airway || Sq(x) + Sq(y + 30 * s) + Sq(z - m_Carina) <= Sq(9 * s);
    for (const auto & bronchus : m_Bronchi)
    {
      airway = airway || bronchus.Contains(p);
    }
    if (airway)
    {
      v.HU = Tissue::Air;
      v.Airway = 1;
      v.Lung = 0;
      v.Lesion = 0;
    }
    return v;
  }

private:
  /** The heart and, beside it, the lungs with their vessels, the effusion behind the left lung and the
   *  consolidation in the right lower lobe: what soft tissue `v` becomes at p. */
  void
  ClassifyHeartAndLungs(const Vec3 & p, Voxel & v) const
  {
    const double s = m_S;
    const double x = p[0];
    const double y = p[1];
    const double z = p[2];
    const double t = (z - m_LungBottom) / m_LungLength;
    // Heart: carves the medial sides of both lungs in their lower 60%.
    const double heartRadius =
      t > 0.6 ? 0.0 : 50 * s * std::sqrt(std::max(0.0, 1.0 - Sq(std::max(0.0, (t - 0.3) / 0.3))));
    const bool inHeart = Sq(x - 15 * s) + Sq(y + 30 * s) <= Sq(heartRadius);
    if (inHeart)
    {
      v.HU = Tissue::Blood;
    }
    const double scale = LungScale(t);
    if (!inHeart && scale > 0.0)
    {
      for (const double side : { -1.0, 1.0 })
      {
        const double u2 = Sq((x - side * 70 * s) / (52 * s * scale));
        const double b = 65 * s * scale;
        if (u2 + Sq((y + 10 * s) / b) > 1.0)
        {
          continue;
        }
        // An effusion pushes the lung's back wall forward by its depth; the fluid fills the space.
        const double depth = side > 0 ? EffusionDepth(t) : 0.0;
        if (depth > 0.0 && u2 + Sq((y + 10 * s + 0.5 * depth) / (b - 0.5 * depth)) > 1.0)
        {
          v.HU = Tissue::Effusion;
          v.Lesion = ChestPhantomLesionLabels::Effusion;
          continue;
        }
        v.Lung = side < 0 ? 1 : 2; // 1 right (patient right is -x in LPS), 2 left
        v.HU = Tissue::Lung;
        for (const auto & vessel : m_Vessels)
        {
          if ((vessel.A[0] < 0) == (side < 0) && vessel.Contains(p))
          {
            v.HU = Tissue::Blood;
            break;
          }
        }
        if (side < 0 && InConsolidation(y, t, b))
        {
          v.HU = Tissue::Consolidation;
          v.Lesion = ChestPhantomLesionLabels::InsideLung;
          for (const auto & bronchus : m_Bronchograms)
          {
            if (bronchus.Contains(p))
            {
              v.HU = Tissue::Air; // air bronchogram: the airways stay open in the airless lobe
              break;
            }
          }
        }
      }
    }
  }

  /** Masses, consolidation and effusion as asked, placed from the anatomy's own sizes. */
  void
  AddPathology()
  {
    const double s = m_S;
    const double L = m_LungLength;
    if (m_Pathology.HilarMass)
    {
      // At the right hilum, 14 mm of its 22 mm radius lateral to the lung's medial edge: the medial
      // part is cut flat by the mediastinum over a disc 34 mm across.
      const double        t = 0.55;
      const double        medialEdge = -(70 - 52 * LungScale(t)) * s;
      const PhantomNodule mass{ "hilar mass", "right", { medialEdge - 14 * s, -15 * s, m_LungBottom + t * L }, 22 * s };
      m_Masses.push_back(mass);
      m_Lesions.push_back({ mass.Name, mass.Side, ChestPhantomLesionLabels::InsideLung, mass.Center });
    }
    if (m_Pathology.ParavertebralMass)
    {
      // In the back of the left lung beside the spine, centred on the lung's posterior wall: half of it
      // lies in the lung, the rest against the back wall.
      const double t = 0.45;
      const double scale = LungScale(t);
      const double x = 32 * s;
      const double yEdge =
        -10 * s + 65 * s * scale * std::sqrt(std::max(0.0, 1.0 - Sq((x - 70 * s) / (52 * s * scale))));
      const PhantomNodule mass{ "paravertebral mass", "left", { x, yEdge - 4 * s, m_LungBottom + t * L }, 21 * s };
      m_Masses.push_back(mass);
      m_Lesions.push_back({ mass.Name, mass.Side, ChestPhantomLesionLabels::InsideLung, mass.Center });
    }
    if (m_Pathology.Consolidation)
    {
      // Air bronchograms: the lobe's bronchi, fanning out from the aerated lung down and back into the
      // airless lobe (two generations, so that they reach its lateral and medial parts).
      const double z0 = m_LungBottom + 0.30 * L;
      const double z1 = m_LungBottom;
      for (const double dx : { -21.0, -7.0, 7.0, 21.0 })
      {
        const Vec3 root{ -70 * s + 0.5 * dx * s, 0 * s, z0 };
        const Vec3 fork{ -70 * s + dx * s, 22 * s, 0.5 * (z0 + z1) };
        m_Bronchograms.push_back({ root, fork, 2.6 * s, 2.2 * s });
        for (const double spread : { -0.6, 0.6 })
        {
          m_Bronchograms.push_back(
            { fork, { fork[0] + spread * std::abs(dx) * s + 0.3 * dx * s, 40 * s, z1 }, 2.2 * s, 1.6 * s });
        }
        // and up the back of the lobe, where the airless part thins out under the aerated lung
        m_Bronchograms.push_back({ fork, { fork[0], 48 * s, m_LungBottom + 0.27 * L }, 2.2 * s, 1.6 * s });
      }
      m_Lesions.push_back({ "consolidation",
                            "right",
                            ChestPhantomLesionLabels::InsideLung,
                            { -70 * s, 35 * s, m_LungBottom + 0.08 * L } });
    }
    if (m_Pathology.Effusion)
    {
      m_Lesions.push_back(
        { "effusion", "left", ChestPhantomLesionLabels::Effusion, { 70 * s, 40 * s, m_LungBottom + 0.05 * L } });
    }
  }

  /** Depth of the effusion behind the left lung at height t of the lung: 20 mm at the base, none from
   *  half its height. */
  double
  EffusionDepth(double t) const
  {
    return m_Pathology.Effusion && t < 0.5 ? 20 * m_S * (1.0 - t / 0.5) : 0.0;
  }

  /** The consolidated part of the right lower lobe: behind a surface that rises from the lung's middle
   *  at the base to its back wall at 35% of its height. */
  bool
  InConsolidation(double y, double t, double halfDepth) const
  {
    return m_Pathology.Consolidation && t < 0.35 && y + 10 * m_S > halfDepth * (0.05 + 0.95 * t / 0.35);
  }

  bool
  ClassifyBone(double x, double y, double z, Voxel & v) const
  {
    const double s = m_S;
    const double yb = y + 5 * s;
    auto         setBone = [&v](double hu) {
      v.HU = hu;
      v.Bone = 1;
      return true;
    };
    // Ribs: an elliptical band inside the chest wall, in oblique bands along z; none in front of
    // the sternum (costal cartilage).
    const double rho = std::sqrt(Sq(x / (140 * s)) + Sq(yb / (98 * s)));
    if (std::abs(rho - 1.0) < 5.0 / 98.0 && !(yb < 0 && std::abs(x) < 30 * s))
    {
      const double phase = std::fmod(z - m_ZLow + 12 * s * std::sin(std::atan2(yb, x)) + 1000 * 25 * s, 25 * s);
      if (phase < 10 * s)
      {
        return setBone(Tissue::Rib);
      }
    }
    if (Sq(x / (14 * s)) + Sq((y + 103 * s) / (6 * s)) <= 1.0)
    {
      return setBone(Tissue::Sternum);
    }
    // Vertebral body with intervertebral discs, spinal canal, posterior arch and spinous process.
    const double body = std::sqrt(Sq(x) + Sq(y - 60 * s));
    if (body <= 18 * s)
    {
      if (std::fmod(z - m_ZLow, 28 * s) < 5 * s)
      {
        v.HU = Tissue::SoftTissue + 30.0; // disc
        return true;
      }
      return setBone(body > 15 * s ? Tissue::Cortical : Tissue::Cancellous);
    }
    const double canal = std::sqrt(Sq(x) + Sq(y - 86 * s));
    if (canal <= 7 * s)
    {
      v.HU = 15.0; // cerebrospinal fluid
      return true;
    }
    if ((canal <= 12 * s && y >= 80 * s) || (std::abs(x) <= 3 * s && y >= 96 * s && y <= 101 * s))
    {
      return setBone(Tissue::Cortical);
    }
    return false;
  }

  double                     m_R;
  double                     m_S;
  double                     m_ZLow;
  ChestPhantomPathology      m_Pathology;
  double                     m_LungBottom{};
  double                     m_LungTop{};
  double                     m_LungLength{};
  double                     m_Carina{};
  std::vector<Capsule>       m_Vessels;
  std::vector<Capsule>       m_Bronchi;
  std::vector<PhantomNodule> m_Nodules;
  std::vector<PhantomNodule> m_Masses;
  std::vector<Capsule>       m_Bronchograms;
  std::vector<PhantomLesion> m_Lesions;
};

template <typename TImage>
typename TImage::Pointer
MakeImage(const HUImageType * reference)
{
  auto image = TImage::New();
  image->CopyInformation(reference);
  image->SetRegions(reference->GetLargestPossibleRegion());
  image->Allocate();
  return image;
}
} // namespace

ChestPhantom::ChestPhantom(const ChestPhantomParameters & parameters)
  : m_Parameters(parameters)
{}

ChestPhantomVolumes
ChestPhantom::Generate() const
{
  const auto & p = m_Parameters;
  if (p.Matrix < 16 || p.Matrix > 2048)
  {
    throw Error(ErrorKind::Usage, "phantom matrix " + std::to_string(p.Matrix) + " is outside 16..2048");
  }
  if (p.Slices < 2 || p.Slices > 4000)
  {
    throw Error(ErrorKind::Usage, "phantom slice count " + std::to_string(p.Slices) + " is outside 2..4000");
  }
  if (p.ExtraSlices > 4000)
  {
    throw Error(ErrorKind::Usage, "phantom extra slice count " + std::to_string(p.ExtraSlices) + " is above 4000");
  }
  if (!(p.SliceSpacing > 0.0) || !(p.PixelSpacing >= 0.0) || !(p.NoiseSigma >= 0.0))
  {
    throw Error(ErrorKind::Usage, "phantom slice spacing must be > 0, pixel spacing and noise >= 0");
  }
  const double pixel = p.PixelSpacing > 0.0 ? p.PixelSpacing : 360.0 / p.Matrix;
  const double height = (p.Slices - 1) * p.SliceSpacing;
  const double zCentre = -150.0; // a typical table position
  const double zLow = zCentre - 0.5 * height;
  const double zHigh = zCentre + 0.5 * height;

  auto                       hu = HUImageType::New();
  const unsigned int         slices = p.Slices + 2 * p.ExtraSlices;
  HUImageType::SizeType      size{ { p.Matrix, p.Matrix, slices } };
  HUImageType::SpacingType   spacing;
  HUImageType::PointType     origin;
  HUImageType::DirectionType direction;
  spacing[0] = spacing[1] = pixel;
  spacing[2] = p.SliceSpacing;
  origin[0] = (p.FeetFirst ? 0.5 : -0.5) * (p.Matrix - 1) * pixel;
  origin[1] = -0.5 * (p.Matrix - 1) * pixel;
  const double margin = p.ExtraSlices * p.SliceSpacing;
  origin[2] = p.FeetFirst ? zHigh + margin : zLow - margin;
  direction.SetIdentity();
  if (p.FeetFirst)
  {
    direction[0][0] = -1.0;
    direction[2][2] = -1.0;
  }
  hu->SetRegions(size);
  hu->SetSpacing(spacing);
  hu->SetOrigin(origin);
  hu->SetDirection(direction);
  hu->Allocate();

  ChestPhantomVolumes volumes;
  volumes.HU = hu;
  volumes.Lungs = MakeImage<MaskImageType>(hu);
  volumes.Airways = MakeImage<MaskImageType>(hu);
  volumes.Bone = MakeImage<MaskImageType>(hu);
  volumes.Lesions = MakeImage<MaskImageType>(hu);

  const Anatomy anatomy(0.5 * p.Matrix * pixel, zLow, zHigh, p.Pathology);
  volumes.Nodules = anatomy.Nodules();
  volumes.Pathology = anatomy.Lesions();

  const size_t sliceVoxels = size_t(p.Matrix) * p.Matrix;
  auto         work = [&](itk::SizeValueType k) {
    // Seeded by the slice's number in the scanned length (unsigned wrap-around for the extra slices
    // below it), so extra slices leave the noise of the others unchanged.
    std::mt19937                     rng(p.Seed * 1000003u + static_cast<uint32_t>(k) - p.ExtraSlices);
    std::normal_distribution<double> noise(0.0, p.NoiseSigma);
    const size_t                     offset = k * sliceVoxels;
    HUPixelType *                    huBuffer = hu->GetBufferPointer() + offset;
    MaskPixelType *                  lungBuffer = volumes.Lungs->GetBufferPointer() + offset;
    MaskPixelType *                  airwayBuffer = volumes.Airways->GetBufferPointer() + offset;
    MaskPixelType *                  boneBuffer = volumes.Bone->GetBufferPointer() + offset;
    MaskPixelType *                  lesionBuffer = volumes.Lesions->GetBufferPointer() + offset;
    for (unsigned int j = 0; j < p.Matrix; ++j)
    {
      for (unsigned int i = 0; i < p.Matrix; ++i)
      {
        HUImageType::IndexType index{ { static_cast<itk::IndexValueType>(i),
                                        static_cast<itk::IndexValueType>(j),
                                        static_cast<itk::IndexValueType>(k) } };
        HUImageType::PointType point;
        hu->TransformIndexToPhysicalPoint(index, point);
        const auto   voxel = anatomy.Classify({ point[0], point[1], point[2] });
        const size_t n = size_t(j) * p.Matrix + i;
        double       value = voxel.HU;
        if (value > Tissue::OutOfScan && p.NoiseSigma > 0.0)
        {
          value += noise(rng);
        }
        huBuffer[n] = static_cast<HUPixelType>(std::clamp(std::round(value),
                                                          double(std::numeric_limits<HUPixelType>::min()),
                                                          double(std::numeric_limits<HUPixelType>::max())));
        lungBuffer[n] = voxel.Lung;
        airwayBuffer[n] = voxel.Airway;
        boneBuffer[n] = voxel.Bone;
        lesionBuffer[n] = voxel.Lesion;
      }
    }
  };
  itk::MultiThreaderBase::New()->ParallelizeArray(0, slices, work, nullptr);
  return volumes;
}

} // namespace ctp
