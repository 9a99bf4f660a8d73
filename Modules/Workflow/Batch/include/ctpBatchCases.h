#ifndef ctpBatchCases_h
#define ctpBatchCases_h

#include <string>
#include <vector>

namespace ctp
{
/** One case of a batch: its name (the output sub-folder) and its input. */
struct BatchCase
{
  std::string Name;
  std::string Input;
};

/** Cases of a batch: the first-level folders and volume files (named by their stem: LUNA16's
 *  `<seriesuid>.mhd`) of `inputRoot`, a first-level folder of volume files (LUNA16's `subset0/`) giving
 *  one case per file (or the lines of `casesFile`: a folder
 *  name below the root, or a path; # comments), sorted by name, and shard `shardIndex`'s share of them
 *  (case i, 0-based in that order, belongs to shard i mod shardCount + 1). Throws ctp::Error
 *  (InvalidInput) for a missing root or list, (Usage) for a shard outside 1..shardCount. */
std::vector<BatchCase>
ListBatchCases(const std::string & inputRoot, const std::string & casesFile, unsigned int shardIndex,
               unsigned int shardCount);

} // namespace ctp

#endif
