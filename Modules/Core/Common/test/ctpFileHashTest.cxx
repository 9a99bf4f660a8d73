#include "ctpError.h"
#include "ctpFileHash.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <vector>

TEST(FileHash, FileEqualsMemoryAndChangesWithContent)
{
  const auto        path = std::filesystem::temp_directory_path() / ("ctp-hash-" + std::to_string(::getpid()));
  std::vector<char> data(3 * 1024 * 1024 + 17);
  for (size_t i = 0; i < data.size(); ++i)
  {
    data[i] = static_cast<char>(i * 31 + 7);
  }
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
  const std::string a = ctp::FileHash64(path.string());
  char              expected[17];
  std::snprintf(
    expected, sizeof(expected), "%016llx", static_cast<unsigned long long>(ctp::Hash64(data.data(), data.size())));
  EXPECT_EQ(a, expected) << "streamed in 1 MiB blocks = one block";
  data[1000000] ^= 1;
  std::ofstream(path, std::ios::binary).write(data.data(), static_cast<std::streamsize>(data.size()));
  EXPECT_NE(ctp::FileHash64(path.string()), a) << "one bit flipped";
  std::filesystem::resize_file(path, data.size() - 1);
  EXPECT_NE(ctp::FileHash64(path.string()), a) << "truncated";
  std::filesystem::remove(path);
  EXPECT_THROW(ctp::FileHash64(path.string()), ctp::Error);
  EXPECT_NE(ctp::Hash64("", 0), ctp::Hash64("a", 1));
}
