#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
fs::path
MakeTempDir(const std::string & name)
{
  const fs::path dir = fs::temp_directory_path() / ("ctp-common-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string
ReadAll(const fs::path & path)
{
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
} // namespace

TEST(AtomicOutputFile, FinalNameAppearsOnlyAfterCommit)
{
  const fs::path        dir = MakeTempDir("commit");
  const fs::path        final = dir / "hu.nii.gz";
  ctp::AtomicOutputFile file(final.string());
  EXPECT_EQ(fs::path(file.TemporaryPath()).parent_path(), dir);
  // ITK chooses the writer by extension: the temporary name must keep ".nii.gz".
  EXPECT_EQ(file.TemporaryPath().substr(file.TemporaryPath().size() - 7), ".nii.gz");
  std::ofstream(file.TemporaryPath()) << "data";
  EXPECT_FALSE(fs::exists(final));
  file.Commit();
  EXPECT_TRUE(fs::exists(final));
  EXPECT_FALSE(fs::exists(file.TemporaryPath()));
  EXPECT_EQ(ReadAll(final), "data");
  fs::remove_all(dir);
}

TEST(AtomicOutputFile, AbandonedFileLeavesNothing)
{
  const fs::path dir = MakeTempDir("abandon");
  {
    ctp::AtomicOutputFile file((dir / "out.nrrd").string());
    std::ofstream(file.TemporaryPath()) << "partial";
  } // an exception unwinding through here must not leave the temporary file
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(AtomicOutputFile, CommitWithoutDataThrows)
{
  const fs::path        dir = MakeTempDir("nodata");
  ctp::AtomicOutputFile file((dir / "out.json").string());
  try
  {
    file.Commit();
    FAIL() << "expected ctp::Error";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::OutputNotWritable);
  }
  fs::remove_all(dir);
}

TEST(AtomicOutputFile, WriteTextReplacesExistingFile)
{
  const fs::path dir = MakeTempDir("text");
  ctp::WriteTextFileAtomically((dir / "a.txt").string(), "one");
  ctp::WriteTextFileAtomically((dir / "a.txt").string(), "two");
  EXPECT_EQ(ReadAll(dir / "a.txt"), "two");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(EnsureWritableDirectory, CreatesNestedFolders)
{
  const fs::path dir = MakeTempDir("nested");
  ctp::EnsureWritableDirectory((dir / "a" / "b").string());
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
  EXPECT_TRUE(fs::is_empty(dir / "a" / "b")) << "the write probe must be removed";
  fs::remove_all(dir);
}

TEST(EnsureWritableDirectory, FileInTheWayIsAnOutputError)
{
  const fs::path dir = MakeTempDir("file");
  std::ofstream(dir / "plain") << "x";
  try
  {
    ctp::EnsureWritableDirectory((dir / "plain").string());
    FAIL() << "expected ctp::Error";
  }
  catch (const ctp::Error & e)
  {
    EXPECT_EQ(e.Kind(), ctp::ErrorKind::OutputNotWritable);
    EXPECT_NE(std::string(e.what()).find("plain"), std::string::npos) << "the message names the path";
  }
  fs::remove_all(dir);
}
