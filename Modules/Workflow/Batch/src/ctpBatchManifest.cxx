#include "ctpBatchManifest.h"
#include "ctpAtomicOutputFile.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
std::string
CsvField(const std::string & text)
{
  if (text.find_first_of(",\"\n") == std::string::npos)
  {
    return text;
  }
  std::string quoted = "\"";
  for (const char c : text)
  {
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return quoted + "\"";
}

} // namespace

nlohmann::json
CaseJson(const CaseResult & c)
{
  return { { "case", c.Case },          { "input", c.Input },
           { "status", c.Status },      { "error", c.Error },
           { "exit_code", c.ExitCode }, { "slices", c.Slices },
           { "spacing_mm", c.Spacing }, { "lung_volume_ml", c.LungVolumeMl },
           { "seconds", c.Seconds },    { "normalized_mean", c.NormalizedMean },
           { "voxels", c.Voxels } };
}

CaseResult
CaseFromJson(const nlohmann::json & j)
{
  CaseResult c;
  c.Case = j.at("case");
  c.Input = j.at("input");
  c.Status = j.at("status");
  c.Error = j.at("error");
  c.ExitCode = j.at("exit_code");
  c.Slices = j.at("slices");
  c.Spacing = j.at("spacing_mm").get<std::array<double, 3>>();
  c.LungVolumeMl = j.at("lung_volume_ml");
  c.Seconds = j.at("seconds");
  c.NormalizedMean = j.at("normalized_mean");
  c.Voxels = j.at("voxels");
  return c;
}

void
Summarize(BatchResult & result)
{
  result.Ok = result.Failed = result.Skipped = 0;
  double weighted = 0.0;
  double voxels = 0.0;
  for (const auto & c : result.Cases)
  {
    result.Ok += c.Status == "ok";
    result.Failed += c.Status == "failed";
    result.Skipped += c.Status == "skipped";
    if (c.Status != "failed" && c.Voxels > 0)
    {
      weighted += c.NormalizedMean * double(c.Voxels);
      voxels += double(c.Voxels);
    }
  }
  result.HasMean = voxels > 0;
  result.CohortMean = voxels > 0 ? weighted / voxels : 0.0;
}

void
WriteManifest(const std::string & directory, const std::string & stem, const BatchResult & result, bool withMean,
              const nlohmann::json & extra)
{
  const fs::path root(directory);
  nlohmann::json manifest = extra;
  manifest["cases"] = nlohmann::json::array();
  for (const auto & c : result.Cases)
  {
    manifest["cases"].push_back(CaseJson(c));
  }
  manifest["counts"] = {
    { "ok", result.Ok }, { "failed", result.Failed }, { "skipped", result.Skipped }, { "total", result.Cases.size() }
  };
  manifest["seconds"] = result.Seconds;
  if (withMean && result.HasMean)
  {
    manifest["cohort_mean_normalized"] = result.CohortMean;
    manifest["cohort_mean_note"] =
      "voxel-weighted mean of clip((HU - lower) / (upper - lower), 0, 1): use as " + SpellParameter("mean");
  }
  WriteTextFileAtomically((root / (stem + ".json")).string(), manifest.dump(2) + "\n");
  std::ostringstream csv;
  csv << "case,status,error,exit_code,slices,spacing_x_mm,spacing_y_mm,spacing_z_mm,lung_volume_ml,seconds,input\n";
  for (const auto & c : result.Cases)
  {
    csv << CsvField(c.Case) << "," << c.Status << "," << CsvField(c.Error) << "," << c.ExitCode << "," << c.Slices
        << "," << c.Spacing[0] << "," << c.Spacing[1] << "," << c.Spacing[2] << "," << c.LungVolumeMl << ","
        << c.Seconds << "," << CsvField(c.Input) << "\n";
  }
  WriteTextFileAtomically((root / (stem + ".csv")).string(), csv.str());
}
BatchResult
MergeBatchManifests(const std::string & outputRoot)
{
  const std::regex                   pattern(R"(manifest-shard-(\d+)-of-(\d+)\.json)");
  std::map<unsigned, nlohmann::json> shards;
  unsigned                           count = 0;
  std::error_code                    ec;
  for (const auto & entry : fs::directory_iterator(outputRoot, ec))
  {
    std::smatch       match;
    const std::string name = entry.path().filename().string();
    if (!std::regex_match(name, match, pattern))
    {
      continue;
    }
    const unsigned k = static_cast<unsigned>(std::stoul(match[1]));
    const unsigned n = static_cast<unsigned>(std::stoul(match[2]));
    if (count != 0 && n != count)
    {
      throw Error(ErrorKind::InvalidInput,
                  entry.path().string(),
                  "shards of different splits (" + std::to_string(n) + " and " + std::to_string(count) +
                    ") in one folder");
    }
    count = n;
    std::ifstream in(entry.path());
    shards[k] = nlohmann::json::parse(in);
  }
  if (count == 0)
  {
    throw Error(ErrorKind::InvalidInput, outputRoot, "no manifest-shard-K-of-N.json to merge");
  }
  for (unsigned k = 1; k <= count; ++k)
  {
    if (!shards.count(k))
    {
      throw Error(ErrorKind::InvalidInput,
                  outputRoot,
                  "shard " + std::to_string(k) + " of " + std::to_string(count) + " is missing");
    }
  }
  BatchResult                result;
  std::map<std::string, int> seen;
  bool                       withMean = false;
  for (const auto & [k, manifest] : shards)
  {
    for (const auto & c : manifest.at("cases"))
    {
      result.Cases.push_back(CaseFromJson(c));
      if (++seen[result.Cases.back().Case] > 1)
      {
        throw Error(ErrorKind::InvalidInput, outputRoot, "case " + result.Cases.back().Case + " is in two shards");
      }
    }
    result.Seconds = std::max(result.Seconds, manifest.value("seconds", 0.0));
    withMean = withMean || manifest.contains("cohort_mean_normalized");
  }
  std::sort(result.Cases.begin(), result.Cases.end(), [](const CaseResult & a, const CaseResult & b) {
    return a.Case < b.Case;
  });
  Summarize(result);
  WriteManifest(outputRoot, "manifest", result, withMean, { { "merged_shards", count } });
  return result;
}

} // namespace ctp
