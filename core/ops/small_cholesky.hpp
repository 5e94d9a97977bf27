// The Cholesky factor and its gradient for small orders, as loops (Note [Small Cholesky]).
// Internal to the cholesky op.
#pragma once

#include "edpp/core/fwd.hpp"

namespace ed::detail {

/// The largest order these loops take; larger factors take Eigen's blocked forms.
constexpr Index kSmallCholesky = 32;

/// L (A = L·Lᵀ) of the d × d matrix A, 1 ≤ d ≤ kSmallCholesky, from A's lower triangle into l,
/// zeros above its diagonal; both column-major with leading dimension d. False (l then
/// undefined) when a pivot is not positive.
bool small_cholesky(Index d, const double* a, double* l);

/// Its gradient: da's lower triangle += Ā, from the factor l and dout's lower triangle (an entry
/// below the diagonal stands for both A_ij and A_ji, as the factor read only those). All three
/// column-major with leading dimension d.
void small_cholesky_backward(Index d, const double* l, const double* dout, double* da);

}  // namespace ed::detail
