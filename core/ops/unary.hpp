// Elementwise functions of one tensor.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// eˣ elementwise.
Tensor exp(const Tensor& x);
/// Natural logarithm elementwise; −inf at 0, NaN below.
Tensor log(const Tensor& x);
/// log(1 + x), accurate for small x.
Tensor log1p(const Tensor& x);
/// eˣ − 1, accurate for small x.
Tensor expm1(const Tensor& x);
/// √x elementwise.
Tensor sqrt(const Tensor& x);
/// x² elementwise.
Tensor square(const Tensor& x);
/// |x| elementwise; its gradient at 0 is taken as 0.
Tensor abs(const Tensor& x);
/// xᵖ elementwise for a fixed exponent p.
Tensor pow(const Tensor& x, double p);
/// Hyperbolic tangent.
Tensor tanh(const Tensor& x);
/// sin x and cos x elementwise (radians).
Tensor sin(const Tensor& x);
Tensor cos(const Tensor& x);
/// 1 / (1 + e⁻ˣ), computed without overflow for any finite x.
Tensor sigmoid(const Tensor& x);
/// log σ(x) = −softplus(−x): finite for every finite x (≈ x for x ≪ 0).
Tensor log_sigmoid(const Tensor& x);
/// log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): finite for every finite x.
Tensor softplus(const Tensor& x);
/// max(x, 0); its gradient at 0 is taken as 0.
Tensor relu(const Tensor& x);
/// The identity (the default activation of dense()).
Tensor identity(const Tensor& x);

}  // namespace ed
