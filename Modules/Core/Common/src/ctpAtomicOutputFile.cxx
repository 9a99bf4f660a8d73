#include "ctpAtomicOutputFile.h"
#include "ctpError.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
std::atomic<unsigned long> g_Counter{ 0 };

} // namespace

AtomicOutputFile::AtomicOutputFile(std::string finalPath)
  : m_FinalPath(std::move(finalPath))
{
  const fs::path    final(m_FinalPath);
  const std::string unique =
    std::to_string(::getpid()) + "-" + std::to_string(g_Counter.fetch_add(1)) + "-" + final.filename().string();
  m_TemporaryPath = (final.parent_path() / (std::string(TemporaryFilePrefix) + unique)).string();
}

AtomicOutputFile::~AtomicOutputFile()
{
  if (!m_Committed)
  {
    std::error_code ec;
    fs::remove(m_TemporaryPath, ec);
  }
}

void
AtomicOutputFile::Commit()
{
  if (!fs::exists(m_TemporaryPath))
  {
    throw Error(ErrorKind::OutputNotWritable, m_FinalPath, "nothing was written");
  }
  if (std::rename(m_TemporaryPath.c_str(), m_FinalPath.c_str()) != 0)
  {
    throw Error(ErrorKind::OutputNotWritable, m_FinalPath, std::string("cannot rename: ") + std::strerror(errno));
  }
  m_Committed = true;
}

void
WriteTextFileAtomically(const std::string & path, const std::string & text)
{
  AtomicOutputFile file(path);
  {
    std::ofstream out(file.TemporaryPath(), std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
    {
      throw Error(ErrorKind::OutputNotWritable, path, std::string("cannot write: ") + std::strerror(errno));
    }
  }
  file.Commit();
}

void
EnsureWritableDirectory(const std::string & directory)
{
  std::error_code ec;
  if (fs::exists(directory, ec) && !fs::is_directory(directory, ec))
  {
    throw Error(ErrorKind::OutputNotWritable, directory, "exists and is not a folder");
  }
  fs::create_directories(directory, ec);
  if (ec)
  {
    throw Error(ErrorKind::OutputNotWritable, directory, "cannot create folder: " + ec.message());
  }
  const std::string probe =
    (fs::path(directory) / (std::string(TemporaryFilePrefix) + "probe-" + std::to_string(::getpid()))).string();
  {
    std::ofstream out(probe);
    if (!out)
    {
      throw Error(ErrorKind::OutputNotWritable, directory, "folder is not writable");
    }
  }
  fs::remove(probe, ec);
}

} // namespace ctp
