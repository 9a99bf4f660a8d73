#ifndef ctpVirtualDisplay_h
#define ctpVirtualDisplay_h

#include <string>
#include <sys/types.h>

namespace ctp
{
/** \class VirtualDisplay
 * \brief A private X server (Xvfb) for this process to render on, stopped when the object goes.
 *
 * Debian's VTK 9.1 renders only through GLX on an X display (no EGL, no OSMesa). On a machine
 * without one, the constructor starts `Xvfb -displayfd FD -screen 0 WxHx24 -nolisten tcp` and returns
 * at once, so the server's start-up (a few hundred milliseconds) overlaps whatever the caller does
 * meanwhile; Open() then waits for it (Xvfb picks a free display number and writes it to FD when it
 * accepts connections, so no number is guessed and no lock file raced) and connects. The connection
 * is handed to VTK with vtkWindow::SetDisplayId: DISPLAY is never set (setenv races with getenv in
 * other threads).
 *
 * Xvfb is stopped (SIGTERM, then SIGKILL if it lingers) by the destructor, and by the kernel if this
 * process dies first (PR_SET_PDEATHSIG): a killed ctprep leaves no X server behind. The signal comes
 * when the thread that made the object ends, so make it on a thread that outlives the rendering
 * (the main thread). */
class VirtualDisplay
{
public:
  /** Starts Xvfb; never throws (a failure to start is Open()'s to report). */
  explicit VirtualDisplay(int width = 1280, int height = 1024);
  ~VirtualDisplay();
  VirtualDisplay(const VirtualDisplay &) = delete;
  VirtualDisplay &
  operator=(const VirtualDisplay &) = delete;

  /** Waits (at most `timeoutSeconds`) for the server and connects to it: an Xlib `Display *`, owned by
   *  this object (closed by the destructor, so release every VTK window first), or nullptr with the
   *  reason. Later calls return the same connection. */
  void *
  Open(std::string & reason, double timeoutSeconds = 10.0);

  /** ":N" once Open() succeeded, else empty. */
  const std::string &
  Name() const
  {
    return m_Name;
  }

  /** Xvfb's process id (-1 when it could not be started). */
  pid_t
  ProcessId() const
  {
    return m_Pid;
  }

private:
  bool
  ReadDisplayNumber(std::string & reason, double timeoutSeconds);

  void
  Stop();

  pid_t       m_Pid{ -1 };
  int         m_ReadFd{ -1 };
  void *      m_Display{ nullptr };
  std::string m_Name;
  std::string m_StartFailure;
};

} // namespace ctp

#endif
