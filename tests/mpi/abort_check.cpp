// A rank that throws outside any collective call while the others wait in one: ed::mpi::run
// prints the rank's message and MPI_Abort stops the job (tests/mpi/CMakeLists.txt expects the
// message and a prompt end, not a hang). With "agreed", the failure goes through a collective
// check instead: every rank gets the distributed_error and the job ends normally with status 1.
#include <string>

#include "edpp/mpi.hpp"

int main(int argc, char** argv) {
  const bool agreed = argc > 1 && std::string(argv[1]) == "agreed";
  return ed::mpi::run(argc, argv, [&](ed::mpi::Context& context) {
    const bool fails = context.rank() == context.size() - 1;
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
