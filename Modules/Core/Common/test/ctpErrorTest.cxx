#include "ctpError.h"

#include <gtest/gtest.h>

TEST(Error, MessageNamesFileAndProblemOnOneLine)
{
  const ctp::Error e(ctp::ErrorKind::InvalidInput, "/data/a.dcm", "truncated pixel data\n  (expected 524288 bytes)");
  EXPECT_STREQ(e.what(), "/data/a.dcm: truncated pixel data (expected 524288 bytes)");
  EXPECT_EQ(e.Kind(), ctp::ErrorKind::InvalidInput);
}

TEST(Error, OneLineFoldsWhiteSpace)
{
  EXPECT_EQ(ctp::OneLine("  a\n\n b\t c  "), "a b c");
  EXPECT_EQ(ctp::OneLine("/data/Thorax  8.0.0  B40f/1.dcm: bad"), "/data/Thorax  8.0.0  B40f/1.dcm: bad")
    << "runs of spaces inside a path are kept";
  EXPECT_EQ(ctp::OneLine(""), "");
}

TEST(Error, KindNamesAreDistinct)
{
  EXPECT_STREQ(ctp::ErrorKindName(ctp::ErrorKind::NoDicom), "no-dicom");
  EXPECT_STRNE(ctp::ErrorKindName(ctp::ErrorKind::NoSeries), ctp::ErrorKindName(ctp::ErrorKind::NoDicom));
}
