// The MPI tests' runner: every rank runs every test case, in the same order, since the cases
// make collective calls. Run under mpirun (tests/CMakeLists.txt does, with 1, 2 and 4 ranks).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "tests/mpi/group.hpp"

namespace ed::test {
namespace {
mpi::Context* current = nullptr;
}
mpi::Context& group() { return *current; }
}  // namespace ed::test

int main(int argc, char** argv) {
  ed::mpi::Context context(argc, argv);
  ed::test::current = &context;
  doctest::Context runner(argc, argv);
  // One report is enough when all pass; a rank that fails still prints its failures.
  if (!context.is_root()) runner.setOption("success", false);
  const int failed = runner.run();
  // Any rank's failure fails the job (mpirun returns a non-zero status when a rank does).
  return failed;
}
