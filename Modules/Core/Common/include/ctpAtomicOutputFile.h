#ifndef ctpAtomicOutputFile_h
#define ctpAtomicOutputFile_h

#include <string>

namespace ctp
{
/** \class AtomicOutputFile
 * \brief Write under a temporary name in the final folder, rename to the final name when complete.
 *
 * A reader (a user, a resumed batch, a training job) never sees a half-written file under a final
 * name: rename() within one folder is atomic on POSIX file systems. The temporary name keeps the
 * final file's extensions (".nrrd", ".nii.gz") because ITK's writers choose the format by extension,
 * and starts with ".ctp-tmp-" so leftovers of a killed process are recognizable.
 * If Commit() is never called (an exception unwinds), the destructor removes the temporary file.
 * There is no fsync: a crash of the process never leaves a partial file under a final name; a power
 * failure may lose the most recent files, which a resumed batch redoes (the sidecar is written last).
 * Flushing 400 MB per case to the disk would double the time of a run. */
class AtomicOutputFile
{
public:
  explicit AtomicOutputFile(std::string finalPath);
  ~AtomicOutputFile();
  AtomicOutputFile(const AtomicOutputFile &) = delete;
  AtomicOutputFile &
  operator=(const AtomicOutputFile &) = delete;

  /** Where to write now. */
  const std::string &
  TemporaryPath() const
  {
    return m_TemporaryPath;
  }
  const std::string &
  FinalPath() const
  {
    return m_FinalPath;
  }

  /** Rename to the final name; throws ctp::Error(OutputNotWritable) on failure. */
  void
  Commit();

private:
  std::string m_FinalPath;
  std::string m_TemporaryPath;
  bool        m_Committed{ false };
};

/** Writes text to a file atomically (temporary name, then rename). */
void
WriteTextFileAtomically(const std::string & path, const std::string & text);

/** Creates the folder (and parents) if needed and checks that a file can be created in it;
 *  throws ctp::Error(OutputNotWritable) naming the folder otherwise. */
void
EnsureWritableDirectory(const std::string & directory);

/** Prefix of temporary output files. */
constexpr const char * TemporaryFilePrefix = ".ctp-tmp-";

} // namespace ctp

#endif
