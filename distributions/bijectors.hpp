// Maps from unconstrained real matrices onto each continuous support, for inference.
#pragma once

#include "core/tensor.hpp"
#include "distributions/support.hpp"

namespace ed {

/// The point of `support` that the unconstrained `u` maps to:
/// real: u;  positive: exp(u);  unit_interval: σ(u);  interval(a, b): a + (b − a)σ(u);
/// simplex: softmax([u, 0]) row by row (the additive log-ratio map, K−1 free columns → K).
/// @throws ed::invalid_argument for discrete supports, which have no bijector.
Tensor constrain(const Support& support, const Tensor& u);

/// The inverse of constrain for a concrete point x of the support.
/// @throws ed::invalid_argument for discrete supports or x outside the support.
Matrix unconstrain(const Support& support, const Matrix& x);

/// The shape of u for a value of shape `constrained` (one column fewer for the simplex).
Shape unconstrained_shape(const Support& support, Shape constrained);

}  // namespace ed
