// A negative log joint whose data terms run on blocks of the batch's rows, one thread per block.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/parallel/worker.hpp"

namespace ed::detail {

/// Note [Row sharding] applied to inference: when every data term is a sum over rows of terms
/// that each depend on one row of the fed placeholders (the MDN, regressions, mixtures — checked
/// node by node with Op::is_row_local), the loss is the sum of the same program run on blocks of
/// rows. Each block runs on its own thread with its own buffers; priors and other terms run once.
/// The gradients are summed, so an optimizer step is the same as on the whole batch (up to the
/// order of floating-point additions).
class ShardedLoss {
 public:
  using WeightedTerm = std::pair<Tensor, double>;  ///< elementwise log density and its weight

  /// The sharded loss −(Σ w·Σ term + Σ other) over `threads` blocks, or null with the reason in
  /// `why` when some node mixes rows, a node draws random numbers that are not drawn in
  /// `shared_draws` (shards would each draw their own value of one random quantity), or there
  /// is no batch to split. Note [Shared draws]: when the loss draws only in `shared_draws` (KLqp's
  /// draws of q), every program computes them first, in one order, from a copy of the step's
  /// engine: each shard sees the same draws, and their summed gradients are the whole batch's.
  static std::unique_ptr<ShardedLoss> make(const std::vector<WeightedTerm>& data_terms,
                                           const std::vector<Tensor>& other_terms,
                                           const std::vector<Tensor>& shared_draws,
                                           const std::vector<Tensor>& trainable,
                                           const Substitutions& substitutions, int threads,
                                           std::string& why);
  ~ShardedLoss();

  /// The loss at the current parameters, with its gradients in gradient(i).
  /// @throws ed::invalid_argument for a missing feed or split placeholders of different lengths.
  double evaluate(const Feed& feed, Rng& rng);
  Matrix& gradient(std::size_t i) { return gradients_[i]; }
  std::optional<std::string> first_nonfinite_value() const;
  std::size_t num_shards() const { return shards_.size(); }

 private:
  ShardedLoss() = default;
  void split(const Feed& feed);

  std::vector<Tensor> split_placeholders_;
  std::vector<const Matrix*> values_;  // the fed values of split_placeholders_
  std::vector<std::unique_ptr<Program>> shards_;
  std::unique_ptr<Program> rest_;            // terms that do not depend on the batch (may be null)
  std::vector<std::vector<Matrix>> blocks_;  // [shard][placeholder]: that shard's rows
  std::vector<Feed> feeds_;                  // [shard]
  std::vector<Rng> rngs_;  // [shard]: a copy of the step's engine (Note [Shared draws])
  bool draws_ = false;     // whether the programs draw (all alike)
  std::vector<Matrix> gradients_;
  std::vector<std::function<void()>> tasks_;      // [shard]: forward and backward
  std::vector<std::unique_ptr<Worker>> workers_;  // one per shard but the first
  std::size_t active_ = 0;                        // shards in use for this batch
};

}  // namespace ed::detail
