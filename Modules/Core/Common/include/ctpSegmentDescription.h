#ifndef ctpSegmentDescription_h
#define ctpSegmentDescription_h

#include "ctpImageTypes.h"

#include <array>
#include <string>

namespace ctp
{
/** A coded concept as DICOM writes one (PS3.3 Code Sequence Macro): value, scheme, meaning. Empty
 *  value: none. */
struct CodedConcept
{
  std::string Value;
  std::string Scheme; ///< "SCT" (SNOMED CT)
  std::string Meaning;

  bool
  IsSet() const
  {
    return !Value.empty();
  }
};

/** \brief What a label of a label map is, in the terms 3D Slicer and DICOM Segmentation objects use.
 *
 * Category and type follow DICOM's segmentation property codes (CID 7150, 7151 and 7159), with a
 * laterality modifier for the lungs; a lesion or an effusion is placed by its anatomic region. The
 * colour is the one 3D Slicer's general anatomy terminology recommends (sRGB, 0..1). */
struct SegmentDescription
{
  MaskPixelType         Label{ 0 };
  std::string           Id;   ///< stable and file-friendly: "right_lung"
  std::string           Name; ///< for people: "Right lung"
  CodedConcept          Category;
  CodedConcept          Type;
  CodedConcept          TypeModifier;
  CodedConcept          AnatomicRegion;
  CodedConcept          AnatomicRegionModifier;
  std::array<double, 3> Color{};
};

} // namespace ctp

#endif
