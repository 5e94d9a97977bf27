// ed::mpi::Context: initialisation, deterministic sums (Note [Deterministic sums]), gathers,
// and failure propagation.
#include "edpp/mpi/context.hpp"

#include <mpi.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>

#include "edpp/core/errors.hpp"
#include "edpp/parallel/shards.hpp"

namespace ed::mpi {

namespace {

void require(int status, const char* call) {
  if (status != MPI_SUCCESS) {
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    MPI_Error_string(status, text, &length);
    throw ed::invalid_argument(std::string("ed::mpi: ") + call +
                               " failed: " + std::string(text, static_cast<std::size_t>(length)));
  }
}

int as_int(long long n, const char* what) {
  if (n > std::numeric_limits<int>::max()) {
    throw ed::invalid_argument(std::string("ed::mpi: ") + what + " of " + std::to_string(n) +
                               " values exceeds MPI's int count");
  }
  return static_cast<int>(n);
}

}  // namespace

Context::Context(int& argc, char**& argv) {
  int initialized = 0, finalized = 0;
  MPI_Initialized(&initialized);
  MPI_Finalized(&finalized);
  if (finalized) throw ed::invalid_argument("ed::mpi::Context: MPI was already finalised");
  if (!initialized) {
    int provided = 0;
    require(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
    owns_mpi_ = true;
  }
  join_world();
}

Context::Context() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) {
    throw ed::invalid_argument(
        "ed::mpi::Context(): MPI is not initialised; use Context(argc, argv) to initialise it");
  }
  join_world();
}

void Context::join_world() {
  // Errors come back as codes (and become exceptions) instead of aborting inside MPI.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  for (std::vector<int>* v : {&send_counts_, &send_offsets_, &receive_counts_, &receive_offsets_})
    v->resize(static_cast<std::size_t>(size_));
}

Context::~Context() {
  // The last collective call (Note [Calls in step]): a rank still summing or gathering learns
  // here that this one has ended, instead of waiting in its call for ever.
  // A destructor cannot throw: a rank that finds the others out of step says so and stops
  // the job.
  try {
    exchange_status({}, 0, Call::finish, false);
  } catch (const std::exception& e) {
    abort(e.what());
  }
  if (owns_mpi_) MPI_Finalize();
}

const char* Context::call_name(long long call) {
  switch (static_cast<Call>(call)) {
    case Call::sum:
      return "sum";
    case Call::all_gather:
      return "all_gather";
    case Call::broadcast:
      return "broadcast";
    case Call::barrier:
      return "barrier";
    case Call::finish:
      return "finish (its program ended)";
  }
  return "an unknown call";
}

const std::vector<long long>& Context::exchange_status(const std::string& error, long long count,
                                                       Call call, bool check_counts) {
  ++calls_;
  const long long mine[kStatusFields] = {static_cast<long long>(error.empty() ? 0 : error.size()),
                                         count, static_cast<long long>(call), calls_};
  std::vector<long long>& all = status_;
  all.resize(kStatusFields * static_cast<std::size_t>(size_));
  require(MPI_Allgather(mine, kStatusFields, MPI_LONG_LONG, all.data(), kStatusFields,
                        MPI_LONG_LONG, MPI_COMM_WORLD),
          "MPI_Allgather");
  auto field = [&](int r, std::size_t k) {
    return all[kStatusFields * static_cast<std::size_t>(r) + k];
  };
  // A failed rank may have skipped calls the others made: after the failure every rank counts
  // on from the same number, so a program that catches the error stays in step.
  long long latest = calls_;
  for (int r = 0; r < size_; ++r) latest = std::max(latest, field(r, 3));
  for (int r = 0; r < size_; ++r) {
    const long long length = field(r, 0);
    if (length == 0) continue;
    // Rank r failed: it sends its message to all, and every rank throws it.
    std::string message(static_cast<std::size_t>(length), '\0');
    if (r == rank_) message = error;
    require(MPI_Bcast(message.data(), as_int(length, "a message"), MPI_CHAR, r, MPI_COMM_WORLD),
            "MPI_Bcast");
    calls_ = latest;
    throw distributed_error(r, message);
  }
  // Out of step: the ranks make different calls, or the same kind at different counts.
  for (int r = 1; r < size_; ++r) {
    if (field(r, 2) == field(0, 2) && field(r, 3) == field(0, 3)) continue;
    std::string what = "ed::mpi: the processes' collective calls are out of step:";
    for (int q = 0; q < size_; ++q) {
      what += " rank " + std::to_string(q) + " makes call " + std::to_string(field(q, 3)) + ", " +
              call_name(field(q, 2));
      if (field(q, 2) != static_cast<long long>(Call::finish) &&
          field(q, 2) != static_cast<long long>(Call::barrier)) {
        what += " of " + std::to_string(field(q, 1)) + " values";
      }
      what += q + 1 < size_ ? ";" : "";
    }
    what += " (a rank made more update() or run() calls than another, or ended early)";
    calls_ = latest;
    throw distributed_error(r, what);
  }
  if (check_counts) {
    for (int r = 1; r < size_; ++r) {
      if (field(r, 1) != field(0, 1)) {
        throw distributed_error(r, std::string("ed::mpi: call ") + std::to_string(calls_) + ", " +
                                       call_name(field(0, 2)) + ", with " +
                                       std::to_string(field(r, 1)) + " values where rank 0 has " +
                                       std::to_string(field(0, 1)) +
                                       " (the processes are not running the same program)");
      }
    }
  }
  return all;
}

void Context::sum(std::span<double> values, const std::string& error) {
  const long long n = static_cast<long long>(values.size());
  exchange_status(error, n, Call::sum, true);
  if (size_ == 1 || n == 0) return;
  // Block b of every rank's vector goes to rank b (Note [Deterministic sums]); the blocks are
  // the rows shard_rows would give each rank of n.
  const CsvRows own_block = shard_rows(n, rank_, size_);
  const int own = as_int(own_block.end - own_block.begin, "a block");
  for (int r = 0; r < size_; ++r) {
    const CsvRows b = shard_rows(n, r, size_);
    send_counts_[r] = as_int(b.end - b.begin, "a block");
    send_offsets_[r] = as_int(b.begin, "an offset");
    receive_counts_[r] = own;
    receive_offsets_[r] = as_int(static_cast<long long>(r) * own, "an offset");
  }
  copies_.resize(static_cast<std::size_t>(own) * static_cast<std::size_t>(size_));
  require(MPI_Alltoallv(values.data(), send_counts_.data(), send_offsets_.data(), MPI_DOUBLE,
                        copies_.data(), receive_counts_.data(), receive_offsets_.data(), MPI_DOUBLE,
                        MPI_COMM_WORLD),
          "MPI_Alltoallv");
  summed_.assign(static_cast<std::size_t>(own), 0.0);
  for (int r = 0; r < size_; ++r) {  // in rank order, whatever the transport did
    for (int i = 0; i < own; ++i) summed_[i] += copies_[static_cast<std::size_t>(r) * own + i];
  }
  require(MPI_Allgatherv(summed_.data(), own, MPI_DOUBLE, values.data(), send_counts_.data(),
                         send_offsets_.data(), MPI_DOUBLE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
}

std::vector<double> Context::all_gather(std::span<const double> local, const std::string& error) {
  const std::vector<long long>& status =
      exchange_status(error, static_cast<long long>(local.size()), Call::all_gather, false);
  std::vector<int> counts(size_), offsets(size_);
  long long total = 0;
  for (int r = 0; r < size_; ++r) {
    counts[r] = as_int(status[kStatusFields * static_cast<std::size_t>(r) + 1], "a gather");
    offsets[r] = as_int(total, "a gather");
    total += counts[r];
  }
  std::vector<double> out(static_cast<std::size_t>(total));
  require(MPI_Allgatherv(local.data(), counts[rank_], MPI_DOUBLE, out.data(), counts.data(),
                         offsets.data(), MPI_DOUBLE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
  return out;
}

void Context::broadcast(std::span<double> values, const std::string& error) {
  const long long n = static_cast<long long>(values.size());
  exchange_status(error, n, Call::broadcast, true);
  if (size_ == 1 || n == 0) return;
  require(MPI_Bcast(values.data(), as_int(n, "a broadcast"), MPI_DOUBLE, 0, MPI_COMM_WORLD),
          "MPI_Bcast");
}

void Context::barrier() { exchange_status({}, 0, Call::barrier, false); }

std::string Context::processor_name() const {
  char name[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  MPI_Get_processor_name(name, &length);
  return std::string(name, static_cast<std::size_t>(length));
}

void Context::abort(const std::string& message, int code) {
  std::fprintf(stderr, "edpp: rank %d of %d: %s\n", rank_, size_, message.c_str());
  std::fflush(stderr);
  MPI_Abort(MPI_COMM_WORLD, code);
  std::abort();  // MPI_Abort does not return; this keeps [[noreturn]] honest
}

int run(int& argc, char**& argv, const std::function<int(Context&)>& program) {
  Context context(argc, argv);
  try {
    return program(context);
  } catch (const distributed_error& e) {
    // Every rank caught this one; rank 0 speaks for all.
    if (context.is_root()) std::cerr << "edpp: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    context.abort(e.what());
  } catch (...) {
    context.abort("an exception that is not a std::exception");
  }
}

}  // namespace ed::mpi
