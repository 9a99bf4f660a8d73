#include "ctpCommandLine.h"
#include "ctpParameterSpelling.h"
#include "ctpSubcommands.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace
{
ctp::ExitCode
RunCtprep(std::vector<const char *> args, std::string & output)
{
  args.insert(args.begin(), "ctprep");
  std::ostringstream out;
  const auto         code = ctp::RunCommandLine(static_cast<int>(args.size()), args.data(), out);
  output = out.str();
  return code;
}

ctp::ErrorKind
KindOf(std::vector<const char *> args)
{
  std::string output;
  try
  {
    RunCtprep(std::move(args), output);
  }
  catch (const ctp::Error & e)
  {
    return e.Kind();
  }
  ADD_FAILURE() << "expected an error";
  return ctp::ErrorKind::ProcessingFailed;
}
} // namespace

TEST(CommandLine, VersionNamesProgramAndItk)
{
  std::string output;
  EXPECT_EQ(RunCtprep({ "--version" }, output), ctp::ExitCode::Success);
  EXPECT_TRUE(std::regex_search(output, std::regex(R"(^ctprep \d+\.\d+\.\d+ \(ITK 5\.2)"))) << output;
}

TEST(CommandLine, HelpListsCommandsAndExitCodes)
{
  std::string output;
  EXPECT_EQ(RunCtprep({ "--help" }, output), ctp::ExitCode::Success);
  EXPECT_NE(output.find("run"), std::string::npos);
  EXPECT_NE(output.find("phantom"), std::string::npos);
  for (const auto & info : ctp::ExitCodeTable)
  {
    EXPECT_NE(output.find(info.Name), std::string::npos) << info.Name;
  }
}

TEST(CommandLine, SubcommandHelpShowsEveryDefault)
{
  std::string output;
  EXPECT_EQ(RunCtprep({ "phantom", "--help" }, output), ctp::ExitCode::Success);
  for (const char * expected : { "--matrix arg (=256)",
                                 "--slices arg (=80)",
                                 "--slice-spacing arg (=2.5)",
                                 "--noise arg (=10)",
                                 "--seed arg (=1)",
                                 "--verbosity arg (=info)",
                                 "--threads arg (=0)" })
  {
    EXPECT_NE(output.find(expected), std::string::npos) << expected << " missing in:\n" << output;
  }
  EXPECT_EQ(RunCtprep({ "run", "--help" }, output), ctp::ExitCode::Success);
  EXPECT_NE(output.find("--output"), std::string::npos);
  EXPECT_NE(output.find("--keep-phi"), std::string::npos);
}

TEST(CommandLine, UsageErrors)
{
  EXPECT_EQ(KindOf({}), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "frobnicate" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "run", "/tmp" }), ctp::ErrorKind::Usage) << "missing -o";
  EXPECT_EQ(KindOf({ "run", "/tmp", "-o", "/tmp/x", "--no-such-option" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "phantom", "/tmp/x", "--matrix", "many" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "phantom", "/tmp/x", "--verbosity", "loud" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "run", "/tmp", "-o", "/tmp/x", "--effusion-hu", "30,-20" }), ctp::ErrorKind::Usage)
    << "LOW > HIGH";
  EXPECT_EQ(KindOf({ "run", "/tmp", "-o", "/tmp/x", "--effusion-hu", "water" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "run", "/tmp", "-o", "/tmp/x", "--crop-to-lungs", "-5" }), ctp::ErrorKind::Usage);
  EXPECT_EQ(KindOf({ "run", "/tmp", "-o", "/tmp/x", "--mask-input", "-1" }), ctp::ErrorKind::Usage);
}

TEST(CommandLine, ErrorsNameTheFlagTheUserTyped)
{
  for (const auto & [flag, value] : std::vector<std::pair<const char *, const char *>>{
         { "--crop-to-lungs", "-5" }, { "--spacing", "0" }, { "--lung-threshold", "air" }, { "--format", "tiff" } })
  {
    std::string output;
    try
    {
      RunCtprep({ "run", "/tmp", "-o", "/tmp/x", flag, value }, output);
      ADD_FAILURE() << flag << " " << value << " accepted";
    }
    catch (const ctp::Error & e)
    {
      EXPECT_EQ(std::string(e.what()).rfind(std::string(flag) + ":", 0), 0u) << e.what();
    }
  }
  EXPECT_EQ(ctp::SpellParameter("lesions"), "--no-lesions");
  EXPECT_EQ(ctp::SpellParameter("keep_tilt"), "--keep-tilt");
}

TEST(CommandLine, BatchHandsEveryCaseTypedRunParameters)
{
  // --spacing=2 (one word) and --spacing 2 (two) both reach the cases and their memory estimate.
  for (const std::vector<std::string> & spacing :
       { std::vector<std::string>{ "--spacing=2" }, std::vector<std::string>{ "--spacing", "2" } })
  {
    std::vector<std::string> arguments = { "/tmp/cohort", "-o", "/tmp/out", "--no-render", "--max-memory", "3" };
    arguments.insert(arguments.end(), spacing.begin(), spacing.end());
    std::ostringstream out;
    bool               merge = false;
    const auto         batch = ctp::ParseBatchCommand(arguments, out, merge);
    ASSERT_TRUE(batch);
    ASSERT_TRUE(batch->Run.Spacing);
    EXPECT_EQ(*batch->Run.Spacing, (std::array<double, 3>{ 2.0, 2.0, 2.0 }));
    EXPECT_FALSE(batch->Run.Render);
    EXPECT_EQ(batch->MaxMemoryGiB, 3.0) << "--max-memory is the batch's own";
    EXPECT_EQ(batch->Run.MaxMemoryGiB, 0.0);
    EXPECT_EQ(batch->RunArguments, (std::vector<std::string>{ "--spacing=2", "--no-render" }));
    const auto command = batch->CaseCommandLine({ "/in", "/out/case", "/out/run-parameters.json", 2, "/out/f.json" });
    EXPECT_NE(std::find(command.begin(), command.end(), "/out/run-parameters.json"), command.end());
  }
}

TEST(CommandLine, ExitCodesAreUniqueAndMatchTheReadme)
{
  std::ifstream readme(std::string(CTP_SOURCE_DIR) + "/README.md");
  ASSERT_TRUE(readme) << "README.md not found";
  const std::string text((std::istreambuf_iterator<char>(readme)), {});
  std::set<int>     seen;
  for (const auto & info : ctp::ExitCodeTable)
  {
    EXPECT_TRUE(seen.insert(static_cast<int>(info.Code)).second) << "duplicate code " << static_cast<int>(info.Code);
    // README's table rows read: | 4 | invalid-input | ... |
    const std::string row = "| " + std::to_string(static_cast<int>(info.Code)) + " | `" + info.Name + "` |";
    EXPECT_NE(text.find(row), std::string::npos) << "README.md lacks the row " << row;
  }
  EXPECT_EQ(ctp::ExitCodeFor(ctp::ErrorKind::NoDicom), ctp::ExitCode::NoDicom);
  EXPECT_EQ(ctp::ExitCodeFor(ctp::ErrorKind::OutputNotWritable), ctp::ExitCode::OutputNotWritable);
}
