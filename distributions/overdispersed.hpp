// Count families with more spread, or more zeros, than a Poisson or Binomial of the same mean:
// the beta-binomial, the log-mean negative binomial, and the zero-inflated Poisson and negative
// binomial.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// BetaBinomial(total_count N, α, β) (Stan's beta_binomial): a Binomial(N, p) with p ~ Beta(α,
/// β): C(N, k) B(k + α, N − k + β) / B(α, β), k = 0, …, N. Mean Nα/(α + β), variance
/// Nαβ(α + β + N)/((α + β)²(α + β + 1)).
class BetaBinomial : public RandomVariable {
 public:
  BetaBinomial(const Tensor& total_count, const Tensor& alpha, const Tensor& beta,
               const Tensor& value = Tensor());
};

/// NegativeBinomial2 with its mean given on the log scale, μ = e^η (Stan's neg_binomial_2_log):
/// the natural link of a negative-binomial regression, exact for any real η (no overflow of e^η
/// in the density).
class NegativeBinomial2Log : public RandomVariable {
 public:
  NegativeBinomial2Log(const Tensor& eta, const Tensor& phi, const Tensor& value = Tensor());
};

/// A zero with probability `gate`, else a Poisson(rate) count (Pyro's ZeroInflatedPoisson):
/// P(0) = g + (1 − g)e^(−λ), P(k) = (1 − g) Poisson(k | λ) for k > 0. Mean (1 − g)λ, variance
/// (1 − g)λ(1 + gλ).
class ZeroInflatedPoisson : public RandomVariable {
 public:
  ZeroInflatedPoisson(const Tensor& rate, const Tensor& gate, const Tensor& value = Tensor());
};

/// A zero with probability `gate`, else a NegativeBinomial2(μ, φ) count. Mean (1 − g)μ,
/// variance (1 − g)(μ + μ²/φ) + g(1 − g)μ².
class ZeroInflatedNegativeBinomial2 : public RandomVariable {
 public:
  ZeroInflatedNegativeBinomial2(const Tensor& mu, const Tensor& phi, const Tensor& gate,
                                const Tensor& value = Tensor());
};

}  // namespace ed
