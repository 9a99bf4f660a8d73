// ScopedAllocationLimit: requests above the limit fail on the limited thread only, limits nest.
#include "ctpAllocationLimit.h"

#include <gtest/gtest.h>

#include <new>
#include <thread>

namespace
{
/** Calls operator new itself: a new-expression whose result is unused may be optimized away. */
bool
Allocate(size_t bytes)
{
  void * p = ::operator new(bytes);
  ::           operator delete(p);
  return p != nullptr;
}
} // namespace

TEST(AllocationLimit, RefusesLargerRequestsOnThisThreadOnly)
{
  {
    ctp::ScopedAllocationLimit limit(1 << 20);
    EXPECT_NO_THROW(Allocate(1 << 20));
    EXPECT_THROW(Allocate((1 << 20) + 1), std::bad_alloc);
    EXPECT_EQ(limit.Refused(), (1u << 20) + 1);
    EXPECT_EQ(::operator new(2 << 20, std::nothrow), nullptr) << "nothrow new returns null";
    EXPECT_EQ(limit.Refused(), 2u << 20);
    bool other = false;
    std::thread([&other]() { other = Allocate(4 << 20); }).join();
    EXPECT_TRUE(other) << "another thread is not limited";
    {
      ctp::ScopedAllocationLimit looser(8 << 20);
      EXPECT_THROW(Allocate(2 << 20), std::bad_alloc) << "a nested limit cannot loosen the outer one";
    }
    ctp::ScopedAllocationLimit tighter(1 << 10);
    EXPECT_THROW(Allocate(1 << 12), std::bad_alloc);
  }
  EXPECT_NO_THROW(Allocate(16 << 20)) << "no limit once the scope is left";
}

TEST(AllocationLimit, DecoderLimitCoversTheFileAndItsPixels)
{
  EXPECT_EQ(ctp::DecoderAllocationLimit(0), size_t(64) << 20);
  EXPECT_EQ(ctp::DecoderAllocationLimit(1000, 512 * 512 * 2), (size_t(64) << 20) + 2 * (1000 + 512 * 512 * 2));
}
