// Data in shards: which rows each process of a group holds, reading them, and the global counts.
#pragma once

#include <string>

#include "edpp/core/csv.hpp"
#include "edpp/core/fwd.hpp"
#include "edpp/parallel/process_group.hpp"

namespace ed {

/// The rows [begin, end) of `total` that `rank` of `size` processes holds: contiguous blocks in
/// rank order, the first total mod size one row longer (an uneven split differs by one row).
CsvRows shard_rows(Index total, int rank, int size);

/// One process's share of a data file, and where it sits in the whole.
struct CsvShard {
  CsvTable table;        ///< this process's rows (and the file's header)
  CsvRows rows;          ///< their range among the file's data rows
  Index total_rows = 0;  ///< data rows in the whole file (every process's)
};

/// Reads this process's rows of a CSV file (shard_rows of its data rows): rank 0 counts the rows
/// and broadcasts the count, and each process parses only its own. Collective; a failure on any
/// process (a missing file, a malformed line) throws ed::distributed_error on all of them, with
/// that rank's message naming the line.
CsvShard read_csv_shard(const std::string& path, ProcessGroup& group);

/// The sum of every process's `local` count (global N from each shard's rows, or the global
/// batch size from each process's minibatch). Collective.
Index global_count(ProcessGroup& group, Index local);

}  // namespace ed
