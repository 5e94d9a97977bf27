// Every op builder of the core, in one include.
#pragma once

#include "core/ops/arithmetic.hpp"
#include "core/ops/indexing.hpp"
#include "core/ops/kernels.hpp"
#include "core/ops/linalg.hpp"
#include "core/ops/matmul.hpp"
#include "core/ops/reduce.hpp"
#include "core/ops/select.hpp"
#include "core/ops/softmax.hpp"
#include "core/ops/special.hpp"
#include "core/ops/unary.hpp"
