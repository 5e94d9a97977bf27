// Maps from unconstrained real matrices onto each continuous support, for inference: each
// support owns its bijector (distributions/support.cpp); these are the functions callers use.
#pragma once

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/support.hpp"

namespace ed {

/// The point of `support` that the unconstrained `u` maps to:
/// real: u;  positive: exp(u);  unit_interval: σ(u);  interval(a, b): a + (b − a)σ(u);
/// simplex: stick-breaking row by row (K−1 free columns → K, as Stan): z_k = σ(u_k − log(K−1−k)),
/// x_k = z_k (1 − Σ_{j<k} x_j), the last entry takes the rest; u = 0 maps to the uniform point.
/// @throws ed::invalid_argument for discrete supports, which have no bijector.
Tensor constrain(const Support& support, const Tensor& u);

/// log |det ∂constrain(u)/∂u|, one value per row for the simplex and per element otherwise
/// (0 for the real line). Inference on the unconstrained scale adds it to the log density.
Tensor log_det_jacobian(const Support& support, const Tensor& u);

/// The inverse of constrain for a concrete point x of the support.
/// @throws ed::invalid_argument for discrete supports or x outside the support.
Matrix unconstrain(const Support& support, const Matrix& x);

/// The shape of u for a value of shape `constrained` (one column fewer for the simplex).
Shape unconstrained_shape(const Support& support, Shape constrained);

namespace detail {
/// Stick-breaking from ℝ^(K−1) onto the K-simplex, row by row (the simplex support's bijector);
/// with `log_det`, log |det J| per row instead.
Tensor stick_breaking(const Tensor& u, bool log_det);
/// Rows of u onto increasing rows: x₀ = u₀, x_k = x_{k−1} + exp(u_k) (the ordered support's
/// bijector).
Tensor ordered_transform(const Tensor& u);
}  // namespace detail

}  // namespace ed
