#include "ctpRgbCanvas.h"
#include "ctpWriteImageAtomically.h"
#include "ctpError.h"

#include "itkPNGImageIO.h"
#include "itkRGBPixel.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

namespace ctp
{
namespace
{
// 5 x 7 glyphs, rows top to bottom, '#' drawn.
const std::map<char, const char *> &
Font()
{
  static const std::map<char, const char *> font = {
    { ' ', "..................................." }, { '0', ".###.#...##..###.#.###..##...#.###." },
    { '1', "..#...##....#....#....#....#...###." }, { '2', ".###.#...#....#...#...#...#...#####" },
    { '3', "#####...#...#.....#.....##...#.###." }, { '4', "...#...##..#.#.#..#.#####...#....#." },
    { '5', "######....####.....#....##...#.###." }, { '6', "..##..#...#....####.#...##...#.###." },
    { '7', "#####....#...#...#...#....#....#..." }, { '8', ".###.#...##...#.###.#...##...#.###." },
    { '9', ".###.#...##...#.####....#...#..##.." }, { 'A', ".###.#...##...#######...##...##...#" },
    { 'B', "####.#...##...#####.#...##...#####." }, { 'C', ".###.#...##....#....#....#...#.###." },
    { 'D', "###..#..#.#...##...##...##..#.###.." }, { 'E', "######....#....####.#....#....#####" },
    { 'F', "######....#....####.#....#....#...." }, { 'G', ".###.#...##....#.####...##...#.####" },
    { 'H', "#...##...##...#######...##...##...#" }, { 'I', ".###...#....#....#....#....#...###." },
    { 'J', "..###...#....#....#....#.#..#..##.." }, { 'K', "#...##..#.#.#..##...#.#..#..#.#...#" },
    { 'L', "#....#....#....#....#....#....#####" }, { 'M', "#...###.###.#.##.#.##...##...##...#" },
    { 'N', "#...##...###..##.#.##..###...##...#" }, { 'O', ".###.#...##...##...##...##...#.###." },
    { 'P', "####.#...##...#####.#....#....#...." }, { 'Q', ".###.#...##...##...##.#.##..#..##.#" },
    { 'R', "####.#...##...#####.#.#..#..#.#...#" }, { 'S', ".#####....#.....###.....#....#####." },
    { 'T', "#####..#....#....#....#....#....#.." }, { 'U', "#...##...##...##...##...##...#.###." },
    { 'V', "#...##...##...##...##...#.#.#...#.." }, { 'W', "#...##...##...##.#.##.#.##.#.#.#.#." },
    { 'X', "#...##...#.#.#...#...#.#.#...##...#" }, { 'Y', "#...##...#.#.#...#....#....#....#.." },
    { 'Z', "#####....#...#...#...#...#....#####" }, { '-', "...............#####..............." },
    { '+', ".......#....#..#####..#....#......." }, { '.', "..........................##...##.." },
    { ',', ".....................##....#...#..." }, { ':', "......##...##........##...##......." },
    { '(', "...#...#...#....#....#.....#.....#." }, { ')', ".#.....#.....#....#....#...#...#..." },
    { '/', ".........#...#...#...#...#........." }, { '%', "##...##..#...#...#...#...#..##...##" },
    { '=', "..........#####.....#####.........." }, { '_', "..............................#####" },
  };
  return font;
}

bool
GlyphPixel(char c, int column, int row)
{
  const auto & font = Font();
  const auto   it = font.find(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  const char * glyph = it == font.end() ? font.at(' ') : it->second;
  const size_t n = static_cast<size_t>(row * 5 + column);
  return n < std::char_traits<char>::length(glyph) && glyph[n] == '#';
}
} // namespace

RgbCanvas::RgbCanvas(int width, int height, Rgb background)
  : m_Width(width)
  , m_Height(height)
  , m_Pixels(static_cast<size_t>(width) * height * 3)
{
  for (size_t n = 0; n < m_Pixels.size(); n += 3)
  {
    std::copy(background.begin(), background.end(), m_Pixels.begin() + static_cast<long>(n));
  }
}

void
RgbCanvas::Set(int x, int y, Rgb colour)
{
  if (x < 0 || y < 0 || x >= m_Width || y >= m_Height)
  {
    return;
  }
  std::copy(colour.begin(), colour.end(), m_Pixels.begin() + (static_cast<long>(y) * m_Width + x) * 3);
}

void
RgbCanvas::FillRect(int x0, int y0, int x1, int y1, Rgb colour)
{
  for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y)
  {
    for (int x = std::min(x0, x1); x <= std::max(x0, x1); ++x)
    {
      Set(x, y, colour);
    }
  }
}

void
RgbCanvas::Line(int x0, int y0, int x1, int y1, Rgb colour)
{
  const int dx = std::abs(x1 - x0);
  const int dy = -std::abs(y1 - y0);
  const int sx = x0 < x1 ? 1 : -1;
  const int sy = y0 < y1 ? 1 : -1;
  int       error = dx + dy;
  while (true)
  {
    Set(x0, y0, colour);
    if (x0 == x1 && y0 == y1)
    {
      break;
    }
    const int e2 = 2 * error;
    if (e2 >= dy)
    {
      error += dy;
      x0 += sx;
    }
    if (e2 <= dx)
    {
      error += dx;
      y0 += sy;
    }
  }
}

int
RgbCanvas::TextWidth(const std::string & text, int scale)
{
  return static_cast<int>(text.size()) * 6 * scale - scale;
}

int
RgbCanvas::TextHeight(int scale)
{
  return 7 * scale;
}

void
RgbCanvas::Text(int x, int y, const std::string & text, Rgb colour, int scale)
{
  for (size_t c = 0; c < text.size(); ++c)
  {
    for (int row = 0; row < 7; ++row)
    {
      for (int column = 0; column < 5; ++column)
      {
        if (GlyphPixel(text[c], column, row))
        {
          const int px = x + static_cast<int>(c) * 6 * scale + column * scale;
          FillRect(px, y + row * scale, px + scale - 1, y + row * scale + scale - 1, colour);
        }
      }
    }
  }
}

void
RgbCanvas::TextVertical(int x, int y, const std::string & text, Rgb colour, int scale)
{
  // Reading bottom to top: character c starts at y - c * 6 * scale, glyph column -> -y, row -> +x.
  for (size_t c = 0; c < text.size(); ++c)
  {
    for (int row = 0; row < 7; ++row)
    {
      for (int column = 0; column < 5; ++column)
      {
        if (GlyphPixel(text[c], column, row))
        {
          const int py = y - static_cast<int>(c) * 6 * scale - column * scale;
          const int px = x + row * scale;
          FillRect(px, py - scale + 1, px + scale - 1, py, colour);
        }
      }
    }
  }
}

void
RgbCanvas::WritePng(const std::string & path) const
{
  using PixelType = itk::RGBPixel<uint8_t>;
  using ImageType = itk::Image<PixelType, 2>;
  auto                image = ImageType::New();
  ImageType::SizeType size{ { static_cast<itk::SizeValueType>(m_Width), static_cast<itk::SizeValueType>(m_Height) } };
  image->SetRegions(size);
  image->Allocate();
  std::copy(m_Pixels.begin(), m_Pixels.end(), reinterpret_cast<uint8_t *>(image->GetBufferPointer()));
  WriteImageAtomically(image.GetPointer(), path, "PNG", itk::PNGImageIO::New().GetPointer());
}

} // namespace ctp
