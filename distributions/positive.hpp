// Families on the non-negative half-line.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

// Parameters broadcast against each other and must be positive (checked when the graph runs).
// log_prob is −inf below 0. Samplers marked "reparameterised" carry gradients to their
// parameters; Gamma, InverseGamma and Chi2 draw through Boost's gamma and do not.

/// |N(0, σ)|: √(2/π)/σ · exp(−x²/2σ²), x ≥ 0. Reparameterised.
class HalfNormal : public RandomVariable {
 public:
  explicit HalfNormal(const Tensor& scale, const Tensor& value = Tensor());
};

/// |Cauchy(0, σ)|: 2 / (πσ(1 + (x/σ)²)), x ≥ 0. No mean. Reparameterised.
class HalfCauchy : public RandomVariable {
 public:
  explicit HalfCauchy(const Tensor& scale, const Tensor& value = Tensor());
};

/// |StudentT(ν, 0, σ)| (Stan's half-t prior on scales): 2 Γ((ν+1)/2) / (Γ(ν/2)√(νπ)σ) ·
/// (1 + (x/σ)²/ν)^(−(ν+1)/2), x ≥ 0. Mean for ν > 1, variance for ν > 2 (NaN otherwise).
/// Reparameterised in both parameters.
class HalfStudentT : public RandomVariable {
 public:
  HalfStudentT(const Tensor& df, const Tensor& scale, const Tensor& value = Tensor());
};

/// Exponential(rate λ): λ e^(−λx), x ≥ 0. Reparameterised.
class Exponential : public RandomVariable {
 public:
  explicit Exponential(const Tensor& rate, const Tensor& value = Tensor());
};

/// Gamma(concentration α, rate β): β^α x^(α−1) e^(−βx) / Γ(α), x ≥ 0.
class Gamma : public RandomVariable {
 public:
  Gamma(const Tensor& concentration, const Tensor& rate, const Tensor& value = Tensor());
};

/// InverseGamma(concentration α, scale β): β^α x^(−α−1) e^(−β/x) / Γ(α), x > 0. Mean for α > 1,
/// variance for α > 2 (NaN otherwise).
class InverseGamma : public RandomVariable {
 public:
  InverseGamma(const Tensor& concentration, const Tensor& scale, const Tensor& value = Tensor());
};

/// Weibull(concentration k, scale λ): (k/λ)(x/λ)^(k−1) e^(−(x/λ)^k), x ≥ 0. Reparameterised.
class Weibull : public RandomVariable {
 public:
  Weibull(const Tensor& concentration, const Tensor& scale, const Tensor& value = Tensor());
};

/// Rayleigh(scale σ): (x/σ²) e^(−x²/2σ²), x ≥ 0; mean σ√(π/2), variance (2 − π/2)σ².
/// Reparameterised: σ√(2E), E ~ Exp(1).
class Rayleigh : public RandomVariable {
 public:
  explicit Rayleigh(const Tensor& scale, const Tensor& value = Tensor());
};

/// Chi-squared with df degrees of freedom: Gamma(df/2, rate ½).
class Chi2 : public RandomVariable {
 public:
  explicit Chi2(const Tensor& df, const Tensor& value = Tensor());
};

}  // namespace ed
