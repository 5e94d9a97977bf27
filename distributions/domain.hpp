// Indicators of where a value lies, so log densities can be −inf outside their support.
#pragma once

#include "core/tensor.hpp"

namespace ed::detail {

/// The sets a family's log density is finite on (closed where the density is defined at the end).
enum class Domain {
  real,         ///< every number but NaN
  positive,     ///< x > 0
  nonnegative,  ///< x ≥ 0
  unit,         ///< 0 ≤ x ≤ 1
  count,        ///< 0, 1, 2, …
  binary,       ///< 0 or 1
  simplex,      ///< a row of non-negative entries summing to 1 (one indicator per row)
};

/// 1 where x lies in the domain, 0 elsewhere (NaN is outside). Not differentiable.
Tensor in_domain(const Tensor& x, Domain domain);
/// 1 where low ≤ x ≤ high (broadcasting), 0 elsewhere. Not differentiable.
Tensor between(const Tensor& x, const Tensor& low, const Tensor& high);
/// log_density where inside is nonzero, −inf elsewhere (gradients flow only inside).
Tensor restrict_to(const Tensor& log_density, const Tensor& inside);

}  // namespace ed::detail
