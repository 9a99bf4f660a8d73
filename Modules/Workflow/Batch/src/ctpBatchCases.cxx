#include "ctpBatchCases.h"
#include "ctpError.h"
#include "ctpParameterSpelling.h"
#include "ctpVolumeFileReader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace ctp
{
namespace
{
/** A volume file as a case, named by its stem (LUNA16: <seriesuid>.mhd beside <seriesuid>.raw). */
BatchCase
VolumeFileCase(const fs::path & file)
{
  return { VolumeFileStem(file.string()), file.string() };
}

/** The volume files directly in `folder`, as cases. */
std::vector<BatchCase>
VolumeFileCases(const fs::path & folder)
{
  std::vector<BatchCase> cases;
  std::error_code        ec;
  for (const auto & entry : fs::directory_iterator(folder, ec))
  {
    if (IsVolumeFile(entry.path().string()))
    {
      cases.push_back(VolumeFileCase(entry.path()));
    }
  }
  return cases;
}
} // namespace

std::vector<BatchCase>
ListBatchCases(const std::string & inputRoot, const std::string & casesFile, unsigned int shardIndex,
               unsigned int shardCount)
{
  if (shardCount < 1 || shardIndex < 1 || shardIndex > shardCount)
  {
    throw Error(ErrorKind::Usage, SpellParameter("shard") + ": K/N needs 1 <= K <= N");
  }
  std::error_code        ec;
  std::vector<BatchCase> cases;
  if (!casesFile.empty())
  {
    std::ifstream in(casesFile);
    if (!in)
    {
      throw Error(ErrorKind::InvalidInput, casesFile, "cannot read the case list");
    }
    std::string line;
    while (std::getline(in, line))
    {
      line.erase(line.find_last_not_of(" \t\r") + 1);
      if (line.empty() || line[0] == '#')
      {
        continue;
      }
      const fs::path path = fs::path(line).is_absolute() ? fs::path(line) : fs::path(inputRoot) / line;
      cases.push_back({ path.filename().string(), path.string() });
    }
  }
  else
  {
    if (!fs::is_directory(inputRoot, ec))
    {
      throw Error(ErrorKind::InvalidInput, inputRoot, "is not a folder of cases");
    }
    for (const auto & entry : fs::directory_iterator(inputRoot, ec))
    {
      if (entry.is_directory(ec))
      {
        // A folder of volume files (LUNA16's subset0/ .. subset9/) holds one case per file; any other
        // folder is one case of DICOM.
        const auto volumes = VolumeFileCases(entry.path());
        if (volumes.empty())
        {
          cases.push_back({ entry.path().filename().string(), entry.path().string() });
        }
        cases.insert(cases.end(), volumes.begin(), volumes.end());
      }
      else if (IsVolumeFile(entry.path().string()))
      {
        cases.push_back(VolumeFileCase(entry.path()));
      }
    }
  }
  std::sort(cases.begin(), cases.end(), [](const BatchCase & a, const BatchCase & b) {
    return std::tie(a.Name, a.Input) < std::tie(b.Name, b.Input);
  });
  std::vector<BatchCase> share;
  for (size_t i = 0; i < cases.size(); ++i)
  {
    if (i % shardCount == shardIndex - 1)
    {
      share.push_back(cases[i]);
    }
  }
  return share;
}

} // namespace ctp
