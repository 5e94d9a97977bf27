// Every op builder of the core, in one include.
#pragma once

#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/composite.hpp"
#include "edpp/core/ops/hmm.hpp"
#include "edpp/core/ops/indexing.hpp"
#include "edpp/core/ops/kernels.hpp"
#include "edpp/core/ops/linalg.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/ops/ode.hpp"
#include "edpp/core/ops/recurrence.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/ops/select.hpp"
#include "edpp/core/ops/softmax.hpp"
#include "edpp/core/ops/special.hpp"
#include "edpp/core/ops/unary.hpp"
