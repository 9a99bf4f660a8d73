#ifndef ctpLungMaskSegments_h
#define ctpLungMaskSegments_h

#include "ctpSegmentDescription.h"

#include <vector>

namespace ctp
{
/** The six labels of LungMaskImageFilter (1 right lung ... 6 pleural effusion), in label order:
 *
 * | label | segment | category / type (SNOMED CT) | Slicer colour (general anatomy entry) |
 * |---|---|---|---|
 * | 1, 2 | right / left lung | Anatomical Structure 123037004 / Lung 39607008, Right 24028007 / Left 7771000 |
 * 197,165,145 (lung) | | 3 | airways (trachea and main bronchi) | Anatomical Structure / Airway structure 89187006 |
 * 182,228,255 (trachea) | | 4, 5 | dense tissue taken into the right / left lung (mass, consolidation) |
 * Morphologically Altered Structure 49755003 / Lesion 52988006, in Lung, Right / Left | 144,238,144 (mass) | | 6 |
 * pleural effusion | Morphologically Altered Structure / Pleural effusion 60046008 | 170,250,250 (body fluid) |
 *
 * Slicer's general anatomy list has no airway, lesion or effusion type: those segments take the DICOM
 * code that says what they are and the colour of the nearest entry of Slicer's list (its trachea,
 * mass and body fluid). */
const std::vector<SegmentDescription> &
LungMaskSegments();

/** The segment of `label` (1-6); throws std::out_of_range for another value. */
const SegmentDescription &
LungMaskSegmentOf(MaskPixelType label);

} // namespace ctp

#endif
