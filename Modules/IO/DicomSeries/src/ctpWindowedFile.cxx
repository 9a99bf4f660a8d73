#include "ctpWindowedFile.h"

#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ctp
{
namespace detail
{
WindowedFile::WindowedFile(const std::string & path)
  : m_Descriptor(::open(path.c_str(), O_RDONLY | O_CLOEXEC))
{
  struct stat info
  {};
  if (m_Descriptor >= 0 && ::fstat(m_Descriptor, &info) == 0)
  {
    m_Size = static_cast<size_t>(info.st_size);
  }
  else
  {
    m_Failed = true;
  }
}

WindowedFile::~WindowedFile()
{
  close();
}

WindowedFile &
WindowedFile::read(char * out, std::streamsize count)
{
  m_Count = 0;
  if (m_Descriptor < 0 || m_Failed)
  {
    m_Failed = true;
    return *this;
  }
  const size_t wanted = static_cast<size_t>(std::max<std::streamsize>(0, count));
  while (m_Count < wanted && m_Position < m_Size)
  {
    if (m_Position < m_WindowStart || m_Position >= m_WindowStart + m_WindowLength)
    {
      m_Window.resize(65536);
      const ssize_t got = ::pread(m_Descriptor, m_Window.data(), m_Window.size(), static_cast<off_t>(m_Position));
      if (got <= 0)
      {
        break;
      }
      m_WindowStart = m_Position;
      m_WindowLength = static_cast<size_t>(got);
    }
    const size_t available = m_WindowStart + m_WindowLength - m_Position;
    const size_t take = std::min(available, wanted - m_Count);
    std::memcpy(out + m_Count, m_Window.data() + (m_Position - m_WindowStart), take);
    m_Count += take;
    m_Position += take;
  }
  if (m_Count < wanted)
  {
    m_Failed = true;
  }
  return *this;
}

void
WindowedFile::close()
{
  if (m_Descriptor >= 0)
  {
    ::close(m_Descriptor);
    m_Descriptor = -1;
  }
}

} // namespace detail
} // namespace ctp
