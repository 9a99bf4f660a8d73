#ifndef ctpSlicePngWriter_h
#define ctpSlicePngWriter_h

#include "ctpImageTypes.h"

#include <string>

namespace ctp
{
/** A display window in HU: values center - width/2 .. center + width/2 map to black .. white. */
struct DisplayWindow
{
  double Center{ -600.0 }; ///< the lung window, the one chest CT readers start with
  double Width{ 1500.0 };
};

/** Parses "C,W" (e.g. "-600,1500" or "40,400"); throws ctp::Error(Usage). */
DisplayWindow
ParseDisplayWindow(const std::string & text);

/** \brief Writes slice `slice` (third index) of a volume as an 8-bit greyscale PNG, windowed, atomically.
 *
 * Rows of the PNG are the volume's second index, columns its first: for an axial DICOM slice this
 * is how the scanner shows it (patient's right on the left of the picture, anterior at the top).
 * Throws ctp::Error(OutputNotWritable) naming the file, or Usage for a slice out of range. */
void
WriteSlicePng(const HUImageType * volume, long slice, const std::string & path, const DisplayWindow & window = {});
void
WriteSlicePng(const FloatImageType * volume, long slice, const std::string & path, const DisplayWindow & window = {});

} // namespace ctp

#endif
