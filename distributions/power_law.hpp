// Families on the positive reals whose tails fall off as a power: Pareto and Fréchet.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Pareto(y_min, α) (Stan's pareto): α y_minᵅ / x^(α+1) for x ≥ y_min; mean α y_min/(α − 1) for
/// α > 1, variance y_min² α/((α − 1)²(α − 2)) for α > 2 (NaN, inf otherwise). Reparameterised:
/// y_min e^(E/α), E ~ Exp(1). A latent Pareto whose y_min is a constant is sampled above y_min
/// (y_min + eᵘ); with a y_min that is itself a tensor of the model, on the positive reals.
class Pareto : public RandomVariable {
 public:
  Pareto(const Tensor& y_min, const Tensor& alpha, const Tensor& value = Tensor());
};

/// Fréchet(α, σ) (Stan's frechet, the minimum-domain extreme value law): (α/σ)(x/σ)^(−1−α)
/// e^(−(x/σ)^(−α)), x > 0; mean σΓ(1 − 1/α) for α > 1, variance σ²(Γ(1 − 2/α) − Γ(1 − 1/α)²)
/// for α > 2. 1/X is Weibull(α, 1/σ). Reparameterised: σ E^(−1/α), E ~ Exp(1).
class Frechet : public RandomVariable {
 public:
  Frechet(const Tensor& alpha, const Tensor& sigma, const Tensor& value = Tensor());
};

}  // namespace ed
