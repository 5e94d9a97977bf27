// Special functions from Boost.Math (and the log-space functions Stan programs use) as
// differentiable ops.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// log |Γ(x)| elementwise (Boost.Math); +inf at the poles 0, −1, −2, …
Tensor lgamma(const Tensor& x);
/// ψ(x) = d/dx log Γ(x) elementwise (Boost.Math); NaN at the poles.
Tensor digamma(const Tensor& x);

/// The error function and its complement, elementwise (Boost.Math).
Tensor erf(const Tensor& x);
Tensor erfc(const Tensor& x);
/// The standard normal CDF Φ(x) = ½ erfc(−x/√2) (Stan's Phi): no cancellation in the lower
/// tail, 0 below x ≈ −38.5 where Φ underflows.
Tensor Phi(const Tensor& x);
/// log Φ(x) (Stan's std_normal_lcdf): finite for every finite x; below x = −37, where Φ
/// underflows, from the asymptotic series of Mills' ratio.
Tensor log_Phi(const Tensor& x);
/// Φ⁻¹(p) for p in [0, 1] (Stan's inv_Phi): ±inf at 0 and 1, NaN outside.
Tensor inv_Phi(const Tensor& p);
/// log(1 − x) (Stan's log1m), accurate for small x.
Tensor log1m(const Tensor& x);
/// log(1 − eˣ) for x ≤ 0 (Stan's log1m_exp): log(−expm1(x)) near 0 and log1p(−eˣ) below −log 2,
/// so it is accurate at both ends; −inf at 0, NaN above.
Tensor log1m_exp(const Tensor& x);
/// log(eᵃ − eᵇ) for a ≥ b (Stan's log_diff_exp) = a + log1m_exp(b − a); broadcasts like `-`.
Tensor log_diff_exp(const Tensor& a, const Tensor& b);
/// log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b) (Stan's lbeta); broadcasts like `+`.
Tensor lbeta(const Tensor& a, const Tensor& b);
/// log of the binomial coefficient, log Γ(n + 1) − log Γ(k + 1) − log Γ(n − k + 1) (Stan's
/// lchoose), for real n ≥ k ≥ 0; broadcasts like `-`.
Tensor lchoose(const Tensor& n, const Tensor& k);

/// log I₀(x), the modified Bessel function of the first kind of order 0 (Stan's
/// log_modified_bessel_first_kind(0, x)), for x ≥ 0: Boost.Math below 700, where I₀ would
/// overflow, and its asymptotic series above. The derivative is I₁(x)/I₀(x).
Tensor log_bessel_i0(const Tensor& x);
/// I₁(x)/I₀(x) for x ≥ 0, the derivative of log_bessel_i0 (the von Mises' mean resultant
/// length); its own derivative is 1 − R/x − R² (½ at 0).
Tensor bessel_i1_over_i0(const Tensor& x);
/// atan2(y, x), the angle of the point (x, y) in (−π, π], elementwise with broadcasting (Stan's
/// atan2). Its gradient at the origin, where it has none, is taken as 0.
Tensor atan2(const Tensor& y, const Tensor& x);
/// xʸ elementwise with broadcasting (Stan's pow of two tensors); pow(x, double) is the op of one.
/// ∂/∂y = xʸ log x, taken as 0 where xʸ = 0.
Tensor pow(const Tensor& x, const Tensor& y);
/// log Γ(x + n) − log Γ(x) (Stan's log_rising_factorial, for real n), broadcasting; exact for
/// huge x, where the difference of lgammas would cancel (Boost's tgamma_delta_ratio).
Tensor log_rising_factorial(const Tensor& x, const Tensor& n);
/// arctan x elementwise.
Tensor atan(const Tensor& x);
/// 0 where x < 0 and 1 elsewhere, as Stan's step (step(0) = 1); its gradient is 0.
Tensor step(const Tensor& x);

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
