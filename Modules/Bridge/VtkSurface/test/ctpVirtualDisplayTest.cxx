#include "ctpVirtualDisplay.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <signal.h>

TEST(VirtualDisplay, StartsOpensAndStops)
{
  if (std::system("command -v Xvfb > /dev/null 2>&1") != 0)
  {
    GTEST_SKIP() << "no Xvfb (apt-get install xvfb)";
  }
  pid_t pid = -1;
  {
    ctp::VirtualDisplay display;
    pid = display.ProcessId();
    ASSERT_GT(pid, 0);
    std::string reason;
    void *      connection = display.Open(reason);
    ASSERT_NE(connection, nullptr) << reason;
    EXPECT_EQ(display.Open(reason), connection) << "one connection";
    ASSERT_GE(display.Name().size(), 2u);
    EXPECT_EQ(display.Name()[0], ':');
    EXPECT_EQ(::kill(pid, 0), 0) << "Xvfb running";
  }
  // Stopped and reaped: the process id is gone.
  EXPECT_EQ(::kill(pid, 0), -1);
  EXPECT_EQ(errno, ESRCH);
}

TEST(VirtualDisplay, TwoAtOnceGetTheirOwnNumbers)
{
  if (std::system("command -v Xvfb > /dev/null 2>&1") != 0)
  {
    GTEST_SKIP() << "no Xvfb (apt-get install xvfb)";
  }
  ctp::VirtualDisplay a;
  ctp::VirtualDisplay b;
  std::string         reason;
  ASSERT_NE(a.Open(reason), nullptr) << reason;
  ASSERT_NE(b.Open(reason), nullptr) << reason;
  EXPECT_NE(a.Name(), b.Name());
}

TEST(VirtualDisplay, WithoutXvfbSaysWhy)
{
  const char *      path = std::getenv("PATH");
  const std::string saved = path ? path : "";
  ::setenv("PATH", "/nonexistent", 1);
  ctp::VirtualDisplay display;
  ::setenv("PATH", saved.c_str(), 1);
  std::string reason;
  EXPECT_EQ(display.Open(reason), nullptr);
  EXPECT_NE(reason.find("Xvfb"), std::string::npos) << reason;
}
