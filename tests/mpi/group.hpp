// The MPI tests' group of processes (made in main.cpp).
#pragma once

#include "edpp/mpi.hpp"

namespace ed::test {
mpi::Context& group();
}  // namespace ed::test
