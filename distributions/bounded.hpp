// Families on a bounded interval.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Uniform(low, high): 1/(high − low) on [low, high], −inf outside. Requires low < high (checked
/// when the graph runs, as "high - low" must be positive). Reparameterised.
class Uniform : public RandomVariable {
 public:
  Uniform(const Tensor& low, const Tensor& high, const Tensor& value = Tensor());
};

/// Beta(α, β): x^(α−1)(1 − x)^(β−1) / B(α, β) on [0, 1]; α, β positive. Sampled through two
/// Boost gamma draws (not reparameterised).
class Beta : public RandomVariable {
 public:
  Beta(const Tensor& alpha, const Tensor& beta, const Tensor& value = Tensor());
};

}  // namespace ed
