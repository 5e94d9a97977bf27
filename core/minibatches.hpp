// Seeded, shuffled minibatches over matrices whose rows are paired (X and y together).
#pragma once

#include <cstdint>
#include <vector>

#include "edpp/core/fwd.hpp"
#include "edpp/core/rng.hpp"

namespace ed {

/// Cycles through the rows of several matrices in batches of `batch_size`, reshuffling (the same
/// permutation for every matrix) at the start of each epoch. The last batch of an epoch may be
/// smaller. Batch buffers are reused, so a batch is valid until the next call to next().
///
///   ed::Minibatches batches({X, y}, 100, /*seed=*/1);
///   const auto& b = batches.next();   // b[0]: rows of X, b[1]: the same rows of y
class Minibatches {
 public:
  /// @throws ed::invalid_argument when the matrices have different row counts or none, or the
  /// batch size is not positive.
  Minibatches(std::vector<Matrix> data, Index batch_size, std::uint64_t seed);
  const std::vector<Matrix>& next();
  /// Rows per full batch, and rows in all.
  Index batch_size() const { return batch_size_; }
  Index size() const { return data_.front().rows(); }
  /// Completed passes over the data.
  long epoch() const { return epoch_; }

 private:
  void shuffle();
  std::vector<Matrix> data_;
  std::vector<Matrix> batch_;
  std::vector<Index> order_;
  Index batch_size_, position_ = 0;
  long epoch_ = 0;
  Rng rng_;
};

}  // namespace ed
