#ifndef ctpRgbCanvas_h
#define ctpRgbCanvas_h

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ctp
{
using Rgb = std::array<uint8_t, 3>;

/** \class RgbCanvas
 * \brief A small raster for CTPrep's pictures (previews, histograms): pixels, rectangles, lines and
 * text in a built-in 5 x 7 bitmap font (upper-case letters, digits, common signs), saved as PNG.
 *
 * No plotting library and no X server: `ctprep run` draws its pictures in any batch job. */
class RgbCanvas
{
public:
  RgbCanvas(int width, int height, Rgb background = { 255, 255, 255 });

  int
  Width() const
  {
    return m_Width;
  }
  int
  Height() const
  {
    return m_Height;
  }
  void
  Set(int x, int y, Rgb colour);
  void
  FillRect(int x0, int y0, int x1, int y1, Rgb colour);
  void
  Line(int x0, int y0, int x1, int y1, Rgb colour);
  /** Text with its top-left corner at (x, y), each font pixel `scale` x `scale`; lower case is drawn as upper. */
  void
  Text(int x, int y, const std::string & text, Rgb colour, int scale = 2);
  /** Same, rotated 90 degrees counter-clockwise (for a vertical axis label), reading bottom to top. */
  void
  TextVertical(int x, int y, const std::string & text, Rgb colour, int scale = 2);
  static int
  TextWidth(const std::string & text, int scale = 2);
  static int
  TextHeight(int scale = 2);

  /** Writes the canvas as an 8-bit RGB PNG, atomically; throws ctp::Error(OutputNotWritable). */
  void
  WritePng(const std::string & path) const;

private:
  int                  m_Width;
  int                  m_Height;
  std::vector<uint8_t> m_Pixels; ///< RGB, row-major, top row first
};

} // namespace ctp

#endif
