// Indicators of where a value lies, so log densities can be −inf outside their support.
#pragma once

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/support.hpp"

namespace ed::detail {

/// 1 where x lies in `support` (per element, or per row for row sets such as the simplex), 0
/// elsewhere (NaN is outside). Not differentiable.
Tensor in_domain(const Tensor& x, const Support& support);
/// 1 where low ≤ x ≤ high (broadcasting), 0 elsewhere. Not differentiable.
Tensor between(const Tensor& x, const Tensor& low, const Tensor& high);
/// log_density where inside is nonzero, −inf elsewhere (gradients flow only inside).
Tensor restrict_to(const Tensor& log_density, const Tensor& inside);

}  // namespace ed::detail
