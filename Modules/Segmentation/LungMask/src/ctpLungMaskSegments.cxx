#include "ctpLungMaskSegments.h"
#include "ctpLungMaskImageFilter.h"

#include <stdexcept>

namespace ctp
{
namespace
{
const CodedConcept AnatomicalStructure{ "123037004", "SCT", "Anatomical Structure" };
const CodedConcept MorphologicallyAltered{ "49755003", "SCT", "Morphologically Altered Structure" };
const CodedConcept Lung{ "39607008", "SCT", "Lung" };
const CodedConcept Right{ "24028007", "SCT", "Right" };
const CodedConcept Left{ "7771000", "SCT", "Left" };
const CodedConcept None{};

/** An sRGB colour given as 0-255, as Slicer's terminology files give them. */
std::array<double, 3>
Rgb(int r, int g, int b)
{
  return { r / 255.0, g / 255.0, b / 255.0 };
}
} // namespace

const std::vector<SegmentDescription> &
LungMaskSegments()
{
  using Filter = LungMaskImageFilter;
  static const std::vector<SegmentDescription> segments{
    { Filter::RightLung, "right_lung", "Right lung", AnatomicalStructure, Lung, Right, None, None, Rgb(197, 165, 145) },
    { Filter::LeftLung, "left_lung", "Left lung", AnatomicalStructure, Lung, Left, None, None, Rgb(197, 165, 145) },
    { Filter::Airway,
      "airways",
      "Airways",
      AnatomicalStructure,
      { "89187006", "SCT", "Airway structure" },
      None,
      None,
      None,
      Rgb(182, 228, 255) },
    { Filter::RightLesion,
      "right_lung_lesion",
      "Right lung lesion",
      MorphologicallyAltered,
      { "52988006", "SCT", "Lesion" },
      None,
      Lung,
      Right,
      Rgb(144, 238, 144) },
    { Filter::LeftLesion,
      "left_lung_lesion",
      "Left lung lesion",
      MorphologicallyAltered,
      { "52988006", "SCT", "Lesion" },
      None,
      Lung,
      Left,
      Rgb(144, 238, 144) },
    { Filter::Effusion,
      "pleural_effusion",
      "Pleural effusion",
      MorphologicallyAltered,
      { "60046008", "SCT", "Pleural effusion" },
      None,
      None,
      None,
      Rgb(170, 250, 250) },
  };
  return segments;
}

const SegmentDescription &
LungMaskSegmentOf(MaskPixelType label)
{
  for (const auto & segment : LungMaskSegments())
  {
    if (segment.Label == label)
    {
      return segment;
    }
  }
  throw std::out_of_range("no lung mask segment has label " + std::to_string(label));
}

} // namespace ctp
