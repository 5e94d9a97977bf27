// ProcessGroup: what inference needs from a group of cooperating processes, with no transport
// in it (ed::mpi::Context provides one over MPI), so the library itself never links MPI.
#pragma once

#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

/// Another process of the group failed: every process throws this with the first failed rank's
/// message, so a bad shard or an exception on one rank stops all of them instead of leaving the
/// others waiting in a collective call.
class distributed_error : public std::runtime_error {
 public:
  distributed_error(int rank, const std::string& message)
      : std::runtime_error("rank " + std::to_string(rank) + ": " + message), rank_(rank) {}
  /// The rank whose failure this reports.
  int rank() const { return rank_; }

 private:
  int rank_;
};

/// Note [Data parallelism]: the processes of a group each hold a shard of the data's rows and
/// run the same program on it. Inference given `.distributed = &group` sums, after every local
/// evaluation, the loss and the gradients over processes with sum(), so each process takes the
/// same optimizer step from the same state (Horovod's pattern); Monte Carlo runs chain k on
/// rank k mod size and gathers the draws. Every call below is collective: each process must make
/// it, in the same order. Each takes this process's error (empty: none) so that a failure on one
/// rank is known to all of them at the next collective call.
class ProcessGroup {
 public:
  virtual ~ProcessGroup() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  bool is_root() const { return rank() == 0; }

  /// Replaces `values` by their elementwise sum over processes, the same bits on every process.
  /// @throws ed::distributed_error when any process passed an error (the lowest such rank's).
  virtual void sum(std::span<double> values, const std::string& error = {}) = 0;
  /// Every process's `local` values, concatenated in rank order (lengths may differ).
  /// @throws ed::distributed_error as sum().
  virtual std::vector<double> all_gather(std::span<const double> local,
                                         const std::string& error = {}) = 0;
  /// Rank 0's `values` copied into every process's (which must have the same length).
  /// @throws ed::distributed_error as sum().
  virtual void broadcast(std::span<double> values, const std::string& error = {}) = 0;

  /// Agrees on success: returns when no process passed an error, else throws as sum().
  void check(const std::string& error = {}) { sum({}, error); }
  /// Runs `step` on every process and agrees on its success: an exception on any process
  /// becomes an ed::distributed_error on all of them.
  template <class F>
  void collectively(F&& step) {
    std::string error;
    try {
      step();
    } catch (const distributed_error&) {
      throw;  // already agreed on by every process
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "an exception with no message";
    }
    check(error);
  }
};

/// The values of `matrices`, one after another (each column-major), into `to`, which holds their
/// total size: the buffer a collective call sends.
void pack_matrices(const std::vector<Matrix*>& matrices, double* to);
/// The reverse of pack_matrices: `matrices` take their values from `from`.
void unpack_matrices(const double* from, const std::vector<Matrix*>& matrices);

/// Rank 0's values of `matrices` (each the same shape on every process) copied into every
/// process's. Collective; throws as ProcessGroup::broadcast.
void broadcast_matrices(ProcessGroup& group, const std::vector<Matrix*>& matrices,
                        const std::string& error = {});

}  // namespace ed
