// Special functions from Boost.Math as differentiable ops.
#pragma once

#include "core/tensor.hpp"

namespace ed {

/// log |Γ(x)| elementwise (Boost.Math); +inf at the poles 0, −1, −2, …
Tensor lgamma(const Tensor& x);
/// ψ(x) = d/dx log Γ(x) elementwise (Boost.Math); NaN at the poles.
Tensor digamma(const Tensor& x);

namespace detail {
/// Scalar versions with edpp's error policy: poles and domain errors give ±inf/NaN, never throw.
double lgamma(double x);
double digamma(double x);
double trigamma(double x);
}  // namespace detail

}  // namespace ed
