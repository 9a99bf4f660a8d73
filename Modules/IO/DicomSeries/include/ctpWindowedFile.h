#ifndef ctpWindowedFile_h
#define ctpWindowedFile_h

#include <algorithm>
#include <cstddef>
#include <ios>
#include <string>
#include <vector>

namespace ctp
{
namespace detail
{
/** \class WindowedFile
 * \brief The subset of std::ifstream the header walks use, served from a 64 KiB window read with pread.
 *
 * std::filebuf makes every seekg an lseek and every read after it a read(2), about 1,200 system
 * calls for one CT slice's header; this makes it one or two. Used as the walks use it (clear(), then
 * seekg, then read) it gives what std::ifstream gives: the bytes, gcount(), and the failure flag
 * after a read cut short by the end of the file; its test compares the two. Unlike std::ifstream, a
 * seek before the start goes to the start. Internal to ReadDicomFileInfo and its checks. */
class WindowedFile
{
public:
  explicit WindowedFile(const std::string & path);
  ~WindowedFile();
  WindowedFile(const WindowedFile &) = delete;
  WindowedFile &
  operator=(const WindowedFile &) = delete;

  explicit operator bool() const { return m_Descriptor >= 0 && !m_Failed; }
  bool
  operator!() const
  {
    return !static_cast<bool>(*this);
  }
  void
  clear()
  {
    m_Failed = m_Descriptor < 0;
  }
  WindowedFile &
  seekg(std::streamoff offset, std::ios::seekdir direction = std::ios::beg)
  {
    const auto base = direction == std::ios::end   ? std::streamoff(m_Size)
                      : direction == std::ios::cur ? std::streamoff(m_Position)
                                                   : std::streamoff(0);
    m_Position = static_cast<size_t>(std::max<std::streamoff>(0, base + offset));
    return *this;
  }
  std::streamoff
  tellg() const
  {
    return static_cast<std::streamoff>(m_Position);
  }
  WindowedFile &
  read(char * out, std::streamsize count);
  std::streamsize
  gcount() const
  {
    return static_cast<std::streamsize>(m_Count);
  }
  void
  close();

private:
  int               m_Descriptor{ -1 };
  size_t            m_Size{ 0 };
  size_t            m_Position{ 0 };
  bool              m_Failed{ false };
  size_t            m_Count{ 0 };
  std::vector<char> m_Window;
  size_t            m_WindowStart{ 0 };
  size_t            m_WindowLength{ 0 };
};

} // namespace detail
} // namespace ctp

#endif
