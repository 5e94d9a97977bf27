// Linear algebra ops for multivariate densities: triangular solves and diagonals.
#pragma once

#include "core/tensor.hpp"

namespace ed {

/// X with L·X = B for a lower-triangular L (d×d, only its lower triangle is read) and B (d×m).
/// @throws ed::invalid_argument when the shapes do not fit.
Tensor triangular_solve(const Tensor& lower, const Tensor& b);
/// The diagonal of a square matrix as a column (d×1).
Tensor diag_part(const Tensor& m);

}  // namespace ed
