// ed::mpi::Context: MPI's lifetime and the ProcessGroup that inference uses over it.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "edpp/parallel/process_group.hpp"

namespace ed::mpi {

/// The processes started by mpirun, as one ProcessGroup over MPI_COMM_WORLD. Constructing it
/// initialises MPI (unless a caller already did) and destroying it finalises MPI (if this
/// object initialised it); make one, early in main, and pass `&context` as `.distributed`.
///
/// Note [Deterministic sums]: sum() does not use MPI_Allreduce, whose order of additions
/// depends on the implementation's algorithm and the number of processes. Each rank owns a
/// block of the vector, receives that block from every rank (MPI_Alltoallv), adds the copies in
/// rank order, and the summed blocks are gathered by all (MPI_Allgatherv): the same bytes cross
/// the network as a ring allreduce moves, 2·(P−1)/P·n doubles per process, and every process ends
/// with the same bits. A small exchange of each rank's status and length comes first, so an
/// error on any rank is known to all before the data moves.
///
/// Note [Calls in step]: that exchange also carries which collective call each rank is making
/// (its kind and its number since the Context was made), and the destructor makes one last
/// call of kind "finish". So ranks whose programs went out of step (one made an update() more,
/// or ended while another still sums) meet in the next exchange instead of waiting forever:
/// every rank in a collective call throws ed::distributed_error naming the call, the ranks and
/// what each was doing, and a rank that met it while finishing prints it and aborts the job.
/// A rank stuck in its own computation cannot be told from a slow one: that is not detected.
class Context final : public ProcessGroup {
 public:
  /// Initialises MPI (MPI_THREAD_FUNNELED: only the thread that made the Context calls MPI;
  /// inference's worker threads only compute). @throws ed::invalid_argument when MPI is already
  /// finalised.
  Context(int& argc, char**& argv);
  /// A Context over an MPI that the caller initialised (and will finalise).
  Context();
  ~Context() override;
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<double> values, const std::string& error = {}) override;
  std::vector<double> all_gather(std::span<const double> local,
                                 const std::string& error = {}) override;
  void broadcast(std::span<double> values, const std::string& error = {}) override;
  /// Waits for every process (a collective call in step with the others, Note [Calls in step]).
  void barrier();
  /// The processor name MPI reports (the host).
  std::string processor_name() const;

  /// Stops every process of the job: prints "edpp: rank r: message" on stderr and calls
  /// MPI_Abort. For failures outside collective calls, where the other ranks may be waiting.
  [[noreturn]] void abort(const std::string& message, int code = 1);

 private:
  // MPI_COMM_WORLD's rank and size, errors returned as codes, the buffers sized for its ranks.
  void join_world();
  // The kinds of collective call (Note [Calls in step]).
  enum class Call : long long { sum = 1, all_gather, broadcast, barrier, finish };
  // Each rank's status: error length, value count, call kind, call number.
  static constexpr std::size_t kStatusFields = 4;
  // Exchanges (error length, value count, call kind, call number) with every rank; throws
  // distributed_error with the lowest failed rank's message, when the ranks make different
  // calls, or when `check_counts` and the counts differ. Its result stays in status_ until the
  // next call.
  const std::vector<long long>& exchange_status(const std::string& error, long long count,
                                                Call call, bool check_counts);
  static const char* call_name(long long call);
  // Buffers of the collective calls, kept so that a training step's sum allocates nothing once
  // their sizes are known.
  std::vector<long long> status_;
  std::vector<int> send_counts_, send_offsets_, receive_counts_, receive_offsets_;
  std::vector<double> copies_, summed_;
  int rank_ = 0;
  int size_ = 1;
  bool owns_mpi_ = false;
  long long calls_ = 0;  // collective calls made so far
};

/// Runs `program` with a Context and returns its exit code. An ed::distributed_error (every
/// rank knows of the failure) is printed by rank 0 and returns 1; any other exception is printed
/// with its rank and stops the whole job with MPI_Abort, since the other ranks may be waiting
/// for this one in a collective call.
int run(int& argc, char**& argv, const std::function<int(Context&)>& program);

}  // namespace ed::mpi
