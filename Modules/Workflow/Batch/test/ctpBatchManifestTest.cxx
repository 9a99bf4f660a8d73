#include "ctpBatchManifest.h"
#include "ctpError.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;

namespace
{
ctp::CaseResult
Case(const std::string & name, const std::string & status, double mean, size_t voxels)
{
  ctp::CaseResult c;
  c.Case = name;
  c.Input = "/data/" + name;
  c.Status = status;
  c.NormalizedMean = mean;
  c.Voxels = voxels;
  c.Spacing = { 1.0, 1.0, 1.0 };
  return c;
}
} // namespace

TEST(BatchManifest, SummaryCountsAndWeighsTheMeanByVoxels)
{
  ctp::BatchResult result;
  result.Cases = { Case("a", "ok", 0.2, 100), Case("b", "skipped", 0.5, 300), Case("c", "failed", 0.9, 1000) };
  ctp::Summarize(result);
  EXPECT_EQ(result.Ok, 1u);
  EXPECT_EQ(result.Skipped, 1u);
  EXPECT_EQ(result.Failed, 1u);
  ASSERT_TRUE(result.HasMean);
  EXPECT_DOUBLE_EQ(result.CohortMean, (0.2 * 100 + 0.5 * 300) / 400.0); // the failed case does not count
}

TEST(BatchManifest, ShardsMergeIntoOneManifestAndAMissingShardIsAnError)
{
  const fs::path root = fs::temp_directory_path() / ("ctp_manifest_" + std::to_string(::getpid()));
  fs::create_directories(root);
  ctp::BatchResult first;
  first.Cases = { Case("a", "ok", 0.2, 100), Case("c", "ok", 0.3, 100) };
  ctp::Summarize(first);
  ctp::WriteManifest(root.string(), "manifest-shard-1-of-2", first, true, { { "shard", { 1, 2 } } });
  EXPECT_THROW(ctp::MergeBatchManifests(root.string()), ctp::Error) << "shard 2 of 2 is missing";
  ctp::BatchResult second;
  second.Cases = { Case("b", "failed", 0.0, 0) };
  ctp::Summarize(second);
  ctp::WriteManifest(root.string(), "manifest-shard-2-of-2", second, true, { { "shard", { 2, 2 } } });
  const auto merged = ctp::MergeBatchManifests(root.string());
  ASSERT_EQ(merged.Cases.size(), 3u);
  EXPECT_EQ(merged.Cases[1].Case, "b");
  EXPECT_EQ(merged.Ok, 2u);
  EXPECT_EQ(merged.Failed, 1u);
  std::ifstream csv(root / "manifest.csv");
  std::string   header;
  std::getline(csv, header);
  EXPECT_EQ(header,
            "case,status,error,exit_code,slices,spacing_x_mm,spacing_y_mm,spacing_z_mm,lung_volume_ml,seconds,input");
  // The same case in two shards is refused.
  ctp::WriteManifest(root.string(), "manifest-shard-2-of-2", first, true, { { "shard", { 2, 2 } } });
  EXPECT_THROW(ctp::MergeBatchManifests(root.string()), ctp::Error);
  fs::remove_all(root);
}
