// Data in shards: row ranges, sharded CSV reading, global counts.
#include "edpp/parallel/shards.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "edpp/core/errors.hpp"

namespace ed {

CsvRows shard_rows(Index total, int rank, int size) {
  if (size < 1 || rank < 0 || rank >= size || total < 0) {
    throw ed::invalid_argument("shard_rows: rank " + std::to_string(rank) + " of " +
                               std::to_string(size) + " processes, " + std::to_string(total) +
                               " rows: need 0 <= rank < size and rows >= 0");
  }
  const Index base = total / size, extra = total % size;
  const Index begin = rank * base + std::min<Index>(rank, extra);
  return {begin, begin + base + (rank < extra ? 1 : 0)};
}

CsvShard read_csv_shard(const std::string& path, ProcessGroup& group) {
  CsvShard shard;
  // A double holds row counts exactly up to 2^53.
  double total = 0.0;
  std::string error;
  if (group.is_root()) {
    try {
      total = static_cast<double>(count_csv_rows(path));
      if (total == 0) error = "read_csv_shard: '" + path + "' has no data rows";
    } catch (const std::exception& e) {
      error = e.what();
    }
  }
  group.broadcast({&total, 1}, error);
  shard.total_rows = static_cast<Index>(total);
  shard.rows = shard_rows(shard.total_rows, group.rank(), group.size());
  group.collectively([&] { shard.table = read_csv(path, shard.rows); });
  return shard;
}

Index global_count(ProcessGroup& group, Index local) {
  double value = static_cast<double>(local);
  group.sum({&value, 1});
  return static_cast<Index>(std::llround(value));
}

}  // namespace ed
