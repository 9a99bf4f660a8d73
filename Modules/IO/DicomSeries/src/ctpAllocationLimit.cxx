#include "ctpAllocationLimit.h"

#include <cstdlib>
#include <new>

namespace ctp
{
namespace
{
// Plain thread-local integers: constant-initialized, usable from operator new at any time.
thread_local std::size_t t_Limit = 0; // 0: no limit
thread_local std::size_t t_Refused = 0;

void *
Allocate(std::size_t size, std::size_t alignment)
{
  if (t_Limit != 0 && size > t_Limit)
  {
    if (size > t_Refused)
    {
      t_Refused = size;
    }
    throw std::bad_alloc();
  }
  if (size == 0)
  {
    size = 1;
  }
  for (;;)
  {
    void * p = nullptr;
    if (alignment <= alignof(std::max_align_t))
    {
      p = std::malloc(size);
    }
    else if (::posix_memalign(&p, alignment, size) != 0)
    {
      p = nullptr;
    }
    if (p != nullptr)
    {
      return p;
    }
    const std::new_handler handler = std::get_new_handler();
    if (handler == nullptr)
    {
      throw std::bad_alloc();
    }
    handler();
  }
}

void *
AllocateNoThrow(std::size_t size, std::size_t alignment) noexcept
{
  try
  {
    return Allocate(size, alignment);
  }
  catch (...)
  {
    return nullptr;
  }
}
} // namespace

ScopedAllocationLimit::ScopedAllocationLimit(std::size_t bytes)
  : m_Previous(t_Limit)
  , m_PreviousRefused(t_Refused)
{
  t_Limit = (m_Previous != 0 && m_Previous < bytes) ? m_Previous : bytes;
  t_Refused = 0;
}

ScopedAllocationLimit::~ScopedAllocationLimit()
{
  t_Limit = m_Previous;
  if (m_PreviousRefused > t_Refused)
  {
    t_Refused = m_PreviousRefused;
  }
}

std::size_t
ScopedAllocationLimit::Refused() const
{
  return t_Refused;
}

std::size_t
DecoderAllocationLimit(std::size_t fileSize, std::size_t pixelBytes)
{
  return (std::size_t(64) << 20) + 2 * (fileSize + pixelBytes);
}

} // namespace ctp

// The replaceable global allocation functions ([new.delete]), every form, so that no other definition
// (the standard library's, or a sanitizer's weak one) is mixed with these.
void *
operator new(std::size_t size)
{
  return ctp::Allocate(size, 0);
}
void *
operator new[](std::size_t size)
{
  return ctp::Allocate(size, 0);
}
void *
operator new(std::size_t size, const std::nothrow_t &) noexcept
{
  return ctp::AllocateNoThrow(size, 0);
}
void *
operator new[](std::size_t size, const std::nothrow_t &) noexcept
{
  return ctp::AllocateNoThrow(size, 0);
}
void *
operator new(std::size_t size, std::align_val_t alignment)
{
  return ctp::Allocate(size, static_cast<std::size_t>(alignment));
}
void *
operator new[](std::size_t size, std::align_val_t alignment)
{
  return ctp::Allocate(size, static_cast<std::size_t>(alignment));
}
void *
operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept
{
  return ctp::AllocateNoThrow(size, static_cast<std::size_t>(alignment));
}
void *
operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t &) noexcept
{
  return ctp::AllocateNoThrow(size, static_cast<std::size_t>(alignment));
}
void
operator delete(void * p) noexcept
{
  std::free(p);
}
void
operator delete[](void * p) noexcept
{
  std::free(p);
}
void
operator delete(void * p, const std::nothrow_t &) noexcept
{
  std::free(p);
}
void
operator delete[](void * p, const std::nothrow_t &) noexcept
{
  std::free(p);
}
void
operator delete(void * p, std::size_t) noexcept
{
  std::free(p);
}
void
operator delete[](void * p, std::size_t) noexcept
{
  std::free(p);
}
void
operator delete(void * p, std::align_val_t) noexcept
{
  std::free(p);
}
void
operator delete[](void * p, std::align_val_t) noexcept
{
  std::free(p);
}
void
operator delete(void * p, std::align_val_t, const std::nothrow_t &) noexcept
{
  std::free(p);
}
void
operator delete[](void * p, std::align_val_t, const std::nothrow_t &) noexcept
{
  std::free(p);
}
void
operator delete(void * p, std::size_t, std::align_val_t) noexcept
{
  std::free(p);
}
void
operator delete[](void * p, std::size_t, std::align_val_t) noexcept
{
  std::free(p);
}
