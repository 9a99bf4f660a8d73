#ifndef ctpVolumeWrites_h
#define ctpVolumeWrites_h

#include "ctpNormalizeImageFilter.h"
#include "ctpRunOptions.h"
#include "ctpVolumeWriter.h"
#include "ctpZeroCenterImageFilter.h"

#include "itkMaskImageFilter.h"

#include <filesystem>
#include <future>

namespace ctp
{
/** \brief The writes that need only the HU volume (hu.*, then input.npy streamed slab by slab through
 * Normalize -> ZeroCenter; the float volume never exists whole), on another thread while the lung
 * mask and the surfaces are computed; with one thread (--threads 1, a batch case or a cluster job on
 * one core), at once on the calling thread. Errors surface at Finish(); leaving early
 * (an exception) waits for the writer, which must not run on freed images. */
class VolumeWrites
{
public:
  VolumeWrites(const RunOptions & options, const std::filesystem::path & out)
    : m_Options(options)
    , m_Out(out)
  {
    m_WriteOptions.KeepPatientData = options.KeepPatientData;
  }
  ~VolumeWrites()
  {
    if (m_Written.valid())
    {
      m_Written.wait();
    }
  }
  VolumeWrites(const VolumeWrites &) = delete;
  VolumeWrites &
  operator=(const VolumeWrites &) = delete;

  /** Starts writing `hu`; in input.npy the voxels where `keep` is 0 take the pad HU (no `keep`: none). */
  void
  Start(const HUImageType * hu, const MaskImageType * keep);

  /** Everything is written. */
  void
  Finish()
  {
    m_Written.get();
  }

private:
  const RunOptions &                                                     m_Options;
  std::filesystem::path                                                  m_Out;
  VolumeWriteOptions                                                     m_WriteOptions;
  HUImageType::Pointer                                                   m_HU;
  itk::MaskImageFilter<HUImageType, MaskImageType, HUImageType>::Pointer m_Masked;
  NormalizeImageFilter<HUImageType, FloatImageType>::Pointer             m_Normalize;
  ZeroCenterImageFilter<FloatImageType>::Pointer                         m_Center;
  std::future<void>                                                      m_Written;
};

} // namespace ctp

#endif
