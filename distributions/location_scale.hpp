// Location–scale families on the real line (and LogNormal, a Normal of log x).
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

// Each family: parameters broadcast against each other; scales (and df) must be positive, which
// is checked when the graph runs ("Cauchy: scale[1, 0] is -2, but must be positive"). An empty
// `value` means a fresh sample. All samplers here are reparameterised (loc + scale · ε), so
// gradients reach the parameters, except StudentT's in df.

/// log X ~ N(loc, scale): density exp(−(log x − μ)²/2σ²) / (xσ√(2π)), x > 0.
class LogNormal : public RandomVariable {
 public:
  LogNormal(const Tensor& loc, const Tensor& scale, const Tensor& value = Tensor());
};

/// Student's t with df degrees of freedom, shifted and scaled:
/// Γ((ν+1)/2) / (Γ(ν/2)√(νπ)σ) · (1 + z²/ν)^(−(ν+1)/2), z = (x − μ)/σ. Mean μ for ν > 1 (NaN
/// otherwise); variance σ²ν/(ν − 2) for ν > 2 (inf otherwise).
class StudentT : public RandomVariable {
 public:
  StudentT(const Tensor& df, const Tensor& loc, const Tensor& scale,
           const Tensor& value = Tensor());
};

/// Cauchy: 1 / (πσ(1 + z²)). No mean or variance (mean() and variance() throw).
class Cauchy : public RandomVariable {
 public:
  Cauchy(const Tensor& loc, const Tensor& scale, const Tensor& value = Tensor());
};

/// Laplace (double exponential): exp(−|x − μ|/σ) / 2σ.
class Laplace : public RandomVariable {
 public:
  Laplace(const Tensor& loc, const Tensor& scale, const Tensor& value = Tensor());
};

/// Logistic: e^(−z) / (σ(1 + e^(−z))²), z = (x − μ)/σ.
class Logistic : public RandomVariable {
 public:
  Logistic(const Tensor& loc, const Tensor& scale, const Tensor& value = Tensor());
};

/// Gumbel (maximum extreme value): exp(−(z + e^(−z))) / σ; mean μ + σγ, variance π²σ²/6.
class Gumbel : public RandomVariable {
 public:
  Gumbel(const Tensor& loc, const Tensor& scale, const Tensor& value = Tensor());
};

/// Skew normal (Stan's skew_normal(ξ, ω, α)): 2/ω · φ(z) Φ(αz), z = (x − ξ)/ω; the normal at
/// α = 0, a half-normal as α → ±∞. Mean ξ + ωδ√(2/π), variance ω²(1 − 2δ²/π), δ = α/√(1 + α²).
/// Reparameterised: ξ + ω(δ|Z₀| + √(1 − δ²) Z₁).
class SkewNormal : public RandomVariable {
 public:
  SkewNormal(const Tensor& loc, const Tensor& scale, const Tensor& shape,
             const Tensor& value = Tensor());
};

}  // namespace ed
