// The per-slice fill of the lung mask and of a lesion's margin.
#include "ctpSliceFill.h"

#include <gtest/gtest.h>

namespace
{
/** A 40 x 40 slice of 1 mm pixels: label 1 in a disc of radius 12 about (20, 20), minus a notch. */
std::vector<ctp::MaskPixelType>
DiscWithNotch()
{
  std::vector<ctp::MaskPixelType> slice(40 * 40, 0);
  for (int j = 0; j < 40; ++j)
  {
    for (int i = 0; i < 40; ++i)
    {
      const bool disc = (i - 20) * (i - 20) + (j - 20) * (j - 20) <= 144;
      const bool notch = i >= 29 && j >= 19 && j <= 21; // 3 pixels wide, from the edge inwards
      const bool hole = (i - 15) * (i - 15) + (j - 20) * (j - 20) <= 4;
      slice[static_cast<size_t>(j * 40 + i)] = disc && !notch && !hole ? 1 : 0;
    }
  }
  return slice;
}
} // namespace

TEST(SliceFill, ClosingFillsANarrowNotchAndHolesFillAVessel)
{
  auto         slice = DiscWithNotch();
  const size_t added = ctp::FillLabelsInSlice(slice.data(), 40, 40, 1.0, 1.0, { 1 }, 1, 3.0);
  EXPECT_EQ(slice[20 * 40 + 29], 1) << "the notch, 3 pixels wide: a 3 mm disc does not fit in it";
  EXPECT_EQ(slice[20 * 40 + 30], 1) << "the notch";
  EXPECT_EQ(slice[20 * 40 + 15], 1) << "the hole";
  EXPECT_EQ(slice[20 * 40 + 35], 0) << "outside the disc";
  EXPECT_GT(added, 13u);
}

TEST(SliceFill, AroundALesionOnlyTheMarginNextToItIsFilled)
{
  // The notch holds a lesion (label 4) at its inner end; the hole is far from it.
  auto slice = DiscWithNotch();
  slice[20 * 40 + 29] = 4;
  const size_t added = ctp::FillAroundLesionInSlice(slice.data(), 40, 0, 39, 0, 39, 1.0, 1.0, 1, 4, 3.0);
  EXPECT_EQ(slice[20 * 40 + 30], 4) << "the notch next to the lesion becomes lesion";
  EXPECT_EQ(slice[20 * 40 + 15], 0) << "the hole is 14 mm from the lesion: left alone";
  EXPECT_GT(added, 0u);
  // Within a window, nothing outside it changes.
  auto windowed = DiscWithNotch();
  windowed[20 * 40 + 29] = 4;
  ctp::FillAroundLesionInSlice(windowed.data(), 40, 25, 39, 10, 30, 1.0, 1.0, 1, 4, 3.0);
  for (int j = 0; j < 40; ++j)
  {
    for (int i = 0; i < 25; ++i)
    {
      EXPECT_EQ(windowed[static_cast<size_t>(j * 40 + i)], DiscWithNotch()[static_cast<size_t>(j * 40 + i)]);
    }
  }
}
