// A rank that throws outside any collective call while the others wait in one: ed::mpi::run
// prints the rank's message and MPI_Abort stops the job (tests/mpi/CMakeLists.txt expects the
// message and a prompt end, not a hang). With "agreed", the failure goes through a collective
// check instead: every rank gets the distributed_error and the job ends normally with status 1.
// With "extra_update", the last rank makes one MAP update more than the others (Note [Calls in
// step]): the job must end promptly with a message naming the calls, not hang. With
// "other_n_iter", the last rank is given another n_iter: initialize() names it on every rank.
#include <string>

#include "edpp/edpp.hpp"
#include "edpp/mpi.hpp"

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "";
  const bool agreed = mode == "agreed";
  return ed::mpi::run(argc, argv, [&](ed::mpi::Context& context) {
    const bool fails = context.rank() == context.size() - 1;
    if (mode == "extra_update" || mode == "other_n_iter") {
      const ed::Normal w(0.0, 1.0);
      const ed::Normal y(w * ed::Matrix::Ones(4, 1), 1.0);
      ed::MAP inference({w}, {{y, ed::Matrix::Ones(4, 1)}});
      const long n_iter = mode == "other_n_iter" && fails ? 4 : 3;
      inference.initialize({.n_iter = n_iter, .seed = 1, .distributed = &context});
      for (int t = 0; t < (mode == "extra_update" && fails ? 4 : 3); ++t) inference.update();
      return 0;
    }
    if (agreed) {
      context.collectively([&] {
        if (fails) throw ed::invalid_argument("bad shard: line 3 is empty");
      });
    } else {
      if (fails) throw ed::invalid_argument("bad shard: line 3 is empty");
      context.check();  // the others wait here for the failed rank
    }
    return 0;
  });
}
