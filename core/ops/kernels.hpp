// Covariance functions for Gaussian processes, composed from whole-matrix ops.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// The squared Euclidean distances between the rows of X (n × d) and of X2 (m × d), an n × m
/// matrix formed as ‖x_i‖² + ‖x2_j‖² − 2 x_i·x2_j (one product and two broadcasts, no n·m·d
/// temporaries) and clipped at 0 against rounding.
/// @throws ed::invalid_argument when X and X2 have different numbers of columns.
Tensor squared_distances(const Tensor& X, const Tensor& X2);

/// The radial basis function (squared exponential) kernel, Edward's ed.rbf:
///   K_ij = variance · exp(−‖x_i − x2_j‖² / (2 lengthscale²))
/// for the rows of X (n × d) and X2 (m × d), an n × m matrix: squared_distances of the inputs
/// divided by the lengthscale. Differentiable in X, X2, lengthscale (a scalar, or 1 × d for one
/// lengthscale per input dimension) and variance.
/// @throws ed::invalid_argument when X and X2 have different numbers of columns.
Tensor rbf(const Tensor& X, const Tensor& X2, const Tensor& lengthscale = 1.0,
           const Tensor& variance = 1.0);
/// The kernel of X with itself at unit lengthscale and variance, rbf(X, X).
Tensor rbf(const Tensor& X);

/// Stan's gp_exp_quad_cov: K_ij = α² exp(−‖x_i − x_j‖² / (2ρ²)) for the rows of the data x
/// (n × d), an n × n matrix, as one op differentiable in α and ρ (1 × 1 each; x is data, so its
/// n × n squared distances are formed once, when the op is built). Where rbf composes five
/// whole-matrix ops, this is one: a GP whose covariance is rebuilt at every gradient pays for
/// one pass over n² entries forward and one backward.
/// @throws ed::invalid_argument when α or ρ is not 1 × 1, or, when run, ρ is not positive.
Tensor gp_exp_quad_cov(const Matrix& x, const Tensor& alpha, const Tensor& rho);

}  // namespace ed
