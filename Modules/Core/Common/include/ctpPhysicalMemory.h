#ifndef ctpPhysicalMemory_h
#define ctpPhysicalMemory_h

namespace ctp
{
/** The machine's physical memory in GiB (sysconf), 8 when the system does not say. */
double
PhysicalMemoryGiB();

} // namespace ctp

#endif
