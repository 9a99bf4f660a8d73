#include "ctpPhysicalMemory.h"

#include <unistd.h>

namespace ctp
{
double
PhysicalMemoryGiB()
{
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long size = ::sysconf(_SC_PAGE_SIZE);
  return pages > 0 && size > 0 ? double(pages) * double(size) / (1024.0 * 1024.0 * 1024.0) : 8.0;
}

} // namespace ctp
