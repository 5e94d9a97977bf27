// Special functions from Boost.Math as differentiable ops.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// log |Γ(x)| elementwise (Boost.Math); +inf at the poles 0, −1, −2, …
Tensor lgamma(const Tensor& x);
/// ψ(x) = d/dx log Γ(x) elementwise (Boost.Math); NaN at the poles.
Tensor digamma(const Tensor& x);

/// a·b elementwise with 0·(±inf) = 0, as in x log y at x = 0 (the (α−1) log x of a density
/// whose shape is 1, at x = 0). Broadcasts like `*`. The gradient in a is b where b is finite.
Tensor xmul(const Tensor& a, const Tensor& b);

namespace detail {
/// Scalar versions with edpp's error policy: poles and domain errors give ±inf/NaN, never throw.
double lgamma(double x);
double digamma(double x);
double trigamma(double x);
}  // namespace detail

}  // namespace ed
