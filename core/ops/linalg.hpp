// Linear algebra ops: Cholesky factors, triangular solves, diagonals, determinants, inverses.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// X with L·X = B for a lower-triangular L (d×d, only its lower triangle is read) and B (d×m).
/// @throws ed::invalid_argument when the shapes do not fit.
Tensor triangular_solve(const Tensor& lower, const Tensor& b);
/// The lower Cholesky factor L of a symmetric positive-definite A = L·Lᵀ (only A's lower
/// triangle is read, as LAPACK does; its gradient goes to the lower triangle).
/// @throws ed::invalid_argument when A is not square, or, when run, not positive definite.
Tensor cholesky(const Tensor& a);
/// The diagonal of a square matrix as a column (d×1).
Tensor diag_part(const Tensor& m);
/// M with d added to its diagonal (Stan's add_diag): d a scalar (1×1) or a vector of the
/// diagonal's length (a column or a row). One op, where M + diag_matrix(d) would be two.
/// @throws ed::invalid_argument when M is not square or d fits neither way.
Tensor add_diag(const Tensor& m, const Tensor& d);
/// log |det A| of a square matrix (Stan's log_determinant), by LU; −inf when A is singular.
/// Its gradient is A⁻ᵀ.
Tensor log_determinant(const Tensor& a);
/// A⁻¹ of a square matrix (Stan's inverse), by LU with partial pivoting.
Tensor inverse(const Tensor& a);

}  // namespace ed
