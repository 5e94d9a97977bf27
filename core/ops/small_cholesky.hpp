// The Cholesky factor and its gradient at orders known when compiled (Note [Fixed-order
// Cholesky]). Internal to the cholesky op.
#pragma once

#include "edpp/core/fwd.hpp"

namespace ed::detail {

/// The largest order with a fixed-order kernel.
constexpr Index kFixedCholesky = 16;

/// L (A = L·Lᵀ) of the d × d matrix A, 1 ≤ d ≤ kFixedCholesky, from A's lower triangle into l,
/// zeros above its diagonal; both column-major with leading dimension d. False (l then
/// undefined) when a pivot is not positive.
bool fixed_cholesky(Index d, const double* a, double* l);

/// Its gradient: da's lower triangle += Ā, from the factor l and dout's lower triangle (an entry
/// below the diagonal stands for both A_ij and A_ji, as the factor read only those). All three
/// column-major with leading dimension d.
void fixed_cholesky_backward(Index d, const double* l, const double* dout, double* da);

}  // namespace ed::detail
