// The MPI component (link edpp::mpi): ed::mpi::Context and ed::mpi::run.
#pragma once

#include "edpp/edpp.hpp"
#include "edpp/mpi/context.hpp"
