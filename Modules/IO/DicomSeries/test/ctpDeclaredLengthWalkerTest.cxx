#include "ctpDeclaredLengthWalker.h"
#include "ctpPixelDataFragments.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace
{
// Files of a few dozen bytes built element by element, so each test shows the one length it breaks
// (ctpDicomFileInfoTest breaks real slices written by ITK and checks ReadDicomFileInfo's errors).
void
Add16(std::string & b, uint16_t v)
{
  b.push_back(static_cast<char>(v & 0xff));
  b.push_back(static_cast<char>(v >> 8));
}

void
Add32(std::string & b, uint32_t v)
{
  Add16(b, static_cast<uint16_t>(v & 0xffff));
  Add16(b, static_cast<uint16_t>(v >> 16));
}

/** An explicit VR little endian element; `declared` replaces the value's length when given. */
void
AddExplicit(std::string & b, uint16_t group, uint16_t element, const std::string & vr, const std::string & value,
            int64_t declared = -1)
{
  const auto length = static_cast<uint32_t>(declared >= 0 ? declared : int64_t(value.size()));
  Add16(b, group);
  Add16(b, element);
  b += vr;
  if (vr == "OB" || vr == "OW" || vr == "SQ" || vr == "UN")
  {
    Add16(b, 0);
    Add32(b, length);
  }
  else
  {
    Add16(b, static_cast<uint16_t>(length));
  }
  b += value;
}

/** Preamble, "DICM" and the file meta information naming explicit VR little endian. */
std::string
ExplicitFileStart()
{
  std::string b(128, '\0');
  b += "DICM";
  AddExplicit(b, 0x0002, 0x0010, "UI", std::string("1.2.840.10008.1.2.1") + '\0');
  return b;
}

void
AddItem(std::string & b, uint16_t element, uint32_t length, const std::string & value = {})
{
  Add16(b, 0xfffe);
  Add16(b, element);
  Add32(b, length);
  b += value;
}

class DeclaredLengthWalkerTest : public testing::Test
{
protected:
  void
  TearDown() override
  {
    std::filesystem::remove(m_Path);
  }
  /** Saves the bytes and walks them: the walker's problem, its pixel data message in `cutShort`. */
  std::string
  Walk(const std::string & bytes, bool preamble, std::string * cutShort = nullptr)
  {
    Save(bytes);
    ctp::detail::WindowedFile         in(m_Path);
    ctp::detail::DeclaredLengthWalker walker(in, bytes.size());
    const std::string                 problem = walker.Check(preamble);
    if (cutShort)
    {
      *cutShort = walker.PixelDataCutShort();
    }
    return problem;
  }
  void
  Save(const std::string & bytes)
  {
    std::ofstream(m_Path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::string m_Path{
    (std::filesystem::temp_directory_path() / ("ctpDeclaredLengthWalkerTest-" + std::to_string(::getpid()))).string()
  };
};

TEST_F(DeclaredLengthWalkerTest, WellFormedFilePasses)
{
  std::string b = ExplicitFileStart();
  AddExplicit(b, 0x0010, 0x0010, "PN", "AB^C");
  AddExplicit(b, 0x7fe0, 0x0010, "OW", std::string(8, '\1'));
  std::string cutShort = "unset";
  EXPECT_EQ(Walk(b, true, &cutShort), "");
  EXPECT_EQ(cutShort, "");
}

TEST_F(DeclaredLengthWalkerTest, ElementLongerThanTheFileIsNamed)
{
  std::string b = ExplicitFileStart();
  AddExplicit(b, 0x0009, 0x1010, "OB", "ab", 1000000);
  const size_t left = 2; // the value's bytes after the 12-byte header
  EXPECT_EQ(Walk(b, true),
            "malformed: element (0009,1010) declares 1000000 bytes, the file has " + std::to_string(left) + " left");
}

TEST_F(DeclaredLengthWalkerTest, PixelDataCutShortIsLeftToTheCaller)
{
  std::string b = ExplicitFileStart();
  AddExplicit(b, 0x7fe0, 0x0010, "OW", std::string(8, '\1'), 1000);
  std::string cutShort;
  EXPECT_EQ(Walk(b, true, &cutShort), "");
  EXPECT_EQ(cutShort, "malformed: element (7FE0,0010) declares 1000 bytes, the file has 8 left");
}

TEST_F(DeclaredLengthWalkerTest, ItemInsideASequenceIsWalked)
{
  std::string b = ExplicitFileStart();
  AddExplicit(b, 0x0008, 0x1140, "SQ", "", 0xffffffff);
  AddItem(b, 0xe000, 5000, "short");
  EXPECT_EQ(Walk(b, true), "malformed: item (FFFE,E000) declares 5000 bytes, the file has 5 left");
}

TEST_F(DeclaredLengthWalkerTest, ImplicitVRIsSniffedWithoutFileMetaInformation)
{
  std::string b;
  Add16(b, 0x0008);
  Add16(b, 0x0020);
  Add32(b, 8);
  b += "20240101";
  Add16(b, 0x0010);
  Add16(b, 0x0010);
  Add32(b, 100000); // implicit VR: a 4-byte length where an explicit file has its VR
  b += "AB^C";
  EXPECT_EQ(Walk(b, false), "malformed: element (0010,0010) declares 100000 bytes, the file has 4 left");
}

/** Encapsulated pixel data at byte 16: an empty offset table, fragments "abcd" and "ef", a delimiter. */
std::string
EncapsulatedPixelData()
{
  std::string b(16, '\0');
  AddExplicit(b, 0x7fe0, 0x0010, "OB", "", 0xffffffff);
  AddItem(b, 0xe000, 0);
  AddItem(b, 0xe000, 4, "abcd");
  AddItem(b, 0xe000, 2, "ef");
  AddItem(b, 0xe0dd, 0);
  return b;
}

TEST_F(DeclaredLengthWalkerTest, FragmentsFoundWhereTheParserStopped)
{
  const std::string b = EncapsulatedPixelData();
  Save(b);
  ctp::detail::WindowedFile in(m_Path);
  // In front of the element, or just past its header: GDCM stops at either.
  for (const size_t position : { size_t(16), size_t(28) })
  {
    std::vector<ctp::detail::FragmentSpan> fragments;
    EXPECT_EQ(ctp::detail::PixelDataFragments(in, b.size(), position, false, fragments), "");
    ASSERT_EQ(fragments.size(), 2u);
    EXPECT_EQ(fragments[0], ctp::detail::FragmentSpan(44, 4));
    EXPECT_EQ(fragments[1], ctp::detail::FragmentSpan(56, 2));
    const ctp::BufferReader joined = ctp::detail::JoinedFragments(in, fragments);
    uint8_t                 out[3] = {};
    ASSERT_TRUE(joined(2, 3, out));
    EXPECT_EQ(std::string(reinterpret_cast<char *>(out), 3), "cde");
    EXPECT_FALSE(joined(4, 3, out)); // past the joined 6 bytes
  }
}

TEST_F(DeclaredLengthWalkerTest, BrokenFragmentsAreNamed)
{
  std::string b = EncapsulatedPixelData();
  b[48] = '\xff'; // the second fragment's tag (at 48, after the offset table and "abcd"): (FFFF,E000)
  Save(b);
  ctp::detail::WindowedFile              in(m_Path);
  std::vector<ctp::detail::FragmentSpan> fragments;
  EXPECT_EQ(ctp::detail::PixelDataFragments(in, b.size(), 16, false, fragments),
            "malformed: (FFFF,E000) at offset 48 where a fragment of the pixel data should be");

  b = EncapsulatedPixelData();
  b[40] = '\x40'; // the first fragment (at 36) declares 64 bytes; 66 - 36 - 8 are left
  Save(b);
  ctp::detail::WindowedFile reread(m_Path);
  fragments.clear();
  EXPECT_EQ(ctp::detail::PixelDataFragments(reread, b.size(), 16, false, fragments),
            "malformed: a fragment of the pixel data at offset 36 declares 64 bytes, 22 are left");
}

} // namespace
