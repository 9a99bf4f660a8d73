#include "ctpWindowedFile.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace
{
// WindowedFile replaces std::ifstream in the header walks: the same calls must give the same bytes,
// counts and failure flags, also across its 64 KiB windows and past the end of the file.
class WindowedFileTest : public testing::Test
{
protected:
  void
  SetUp() override
  {
    m_Path = (std::filesystem::temp_directory_path() / ("ctpWindowedFileTest-" + std::to_string(::getpid()))).string();
    std::string bytes(200000, '\0');
    for (size_t i = 0; i < bytes.size(); ++i)
    {
      bytes[i] = static_cast<char>((i * 7 + i / 251) & 0xff);
    }
    std::ofstream(m_Path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  void
  TearDown() override
  {
    std::filesystem::remove(m_Path);
  }
  std::string m_Path;
};

TEST_F(WindowedFileTest, ReadsAsIfstreamDoes)
{
  ctp::detail::WindowedFile windowed(m_Path);
  std::ifstream             stream(m_Path, std::ios::binary);
  ASSERT_TRUE(windowed);
  ASSERT_TRUE(stream);
  const std::vector<std::streamoff>  offsets{ 0, 2, 128, 65530, 65536, 70000, 131070, 199990, 199999, 200000, 250000 };
  const std::vector<std::streamsize> counts{ 0, 1, 4, 12, 4096, 65536, 70000, 200001 };
  // Backwards and forwards, so that windows are left and read again.
  for (const bool reverse : { false, true })
  {
    for (size_t o = 0; o < offsets.size(); ++o)
    {
      const std::streamoff offset = offsets[reverse ? offsets.size() - 1 - o : o];
      for (const std::streamsize count : counts)
      {
        std::vector<char> expected(static_cast<size_t>(count) + 1, 'x');
        std::vector<char> actual(static_cast<size_t>(count) + 1, 'x');
        stream.clear();
        stream.seekg(offset);
        stream.read(expected.data(), count);
        windowed.clear();
        windowed.seekg(offset);
        windowed.read(actual.data(), count);
        SCOPED_TRACE("offset " + std::to_string(offset) + ", count " + std::to_string(count));
        EXPECT_EQ(windowed.gcount(), stream.gcount());
        EXPECT_EQ(static_cast<bool>(windowed), static_cast<bool>(stream));
        EXPECT_EQ(!windowed, !stream);
        EXPECT_EQ(actual, expected);
      }
    }
  }
}

TEST_F(WindowedFileTest, FailureSticksUntilCleared)
{
  ctp::detail::WindowedFile windowed(m_Path);
  char                      b[4] = {};
  windowed.seekg(-2, std::ios::end);
  windowed.read(b, 4);
  EXPECT_EQ(windowed.gcount(), 2);
  EXPECT_FALSE(windowed);
  windowed.seekg(0);
  windowed.read(b, 4); // still failed: nothing read, as std::ifstream does
  EXPECT_EQ(windowed.gcount(), 0);
  windowed.clear();
  windowed.seekg(0);
  windowed.read(b, 4);
  EXPECT_EQ(windowed.gcount(), 4);
  EXPECT_TRUE(windowed);
}

TEST_F(WindowedFileTest, SeeksAndTells)
{
  ctp::detail::WindowedFile windowed(m_Path);
  windowed.seekg(0, std::ios::end);
  EXPECT_EQ(windowed.tellg(), 200000);
  windowed.seekg(100);
  windowed.seekg(-50, std::ios::cur);
  EXPECT_EQ(windowed.tellg(), 50);
  windowed.seekg(-10); // before the start: to the start
  EXPECT_EQ(windowed.tellg(), 0);
}

TEST(WindowedFile, MissingFileFails)
{
  ctp::detail::WindowedFile windowed("/nonexistent/ctpWindowedFileTest");
  EXPECT_FALSE(windowed);
  EXPECT_TRUE(!windowed);
  windowed.clear();
  EXPECT_FALSE(windowed); // clear() cannot make a file that is not open readable
  char b[2] = {};
  windowed.read(b, 2);
  EXPECT_EQ(windowed.gcount(), 0);
}

} // namespace
