#include "ctpError.h"
#include "ctpLogger.h"

#include <gtest/gtest.h>

TEST(Logger, ParsesTheFourLevels)
{
  EXPECT_EQ(ctp::ParseVerbosity("info"), ctp::Verbosity::Info);
  EXPECT_EQ(ctp::ParseVerbosity("warning"), ctp::Verbosity::Warning);
  EXPECT_EQ(ctp::ParseVerbosity("error"), ctp::Verbosity::Error);
  EXPECT_EQ(ctp::ParseVerbosity("off"), ctp::Verbosity::Off);
  EXPECT_THROW(ctp::ParseVerbosity("debug"), ctp::Error);
}

TEST(Logger, LevelFiltersLowerMessages)
{
  ctp::Logger::SetVerbosity(ctp::Verbosity::Warning);
  testing::internal::CaptureStderr();
  ctp::Logger::Info("hidden");
  ctp::Logger::Warning("shown");
  ctp::Logger::Error("also shown");
  const std::string err = testing::internal::GetCapturedStderr();
  ctp::Logger::SetVerbosity(ctp::Verbosity::Info);
  EXPECT_EQ(err, "Warning: shown\nError: also shown\n");
}
