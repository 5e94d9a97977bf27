// Families of angles: the von Mises.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// von Mises(loc μ, concentration κ ≥ 0) (Stan's von_mises): e^(κ cos(x − μ)) / (2π I₀(κ)), an
/// angle. The density is periodic, so data may be any real angle; draws lie in [−π, π), and a
/// latent von Mises is sampled on [−π, π] (as Stan's declared bounds: a posterior whose mass
/// straddles ±π is better written with the angle's unit vector). mean() is μ and variance()
/// the circular variance 1 − I₁(κ)/I₀(κ). Draws by Best and Fisher's rejection sampler: not
/// reparameterised.
class VonMises : public RandomVariable {
 public:
  VonMises(const Tensor& loc, const Tensor& concentration, const Tensor& value = Tensor());
};

}  // namespace ed
