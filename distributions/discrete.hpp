// Discrete families on the counts, parameterised by logits (with from_probs for probabilities).
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

// p = sigmoid(logits) is the probability of success; every log mass is written with
// log_sigmoid(±logits), so logits of ±700 stay exact. from_probs(p) accepts p in [0, 1]
// (checked when the graph runs). Values outside the support (non-integers, negatives, k > n)
// have log_prob −inf. Samplers are Boost.Random's and are not differentiable.

/// Bernoulli(logits): P(1) = p, P(0) = 1 − p.
class Bernoulli : public RandomVariable {
 public:
  explicit Bernoulli(const Tensor& logits, const Tensor& value = Tensor());
  static Bernoulli from_probs(const Tensor& probs, const Tensor& value = Tensor());
};

/// Binomial(total_count n, logits): C(n, k) p^k (1 − p)^(n−k), k = 0..n; n a non-negative integer.
class Binomial : public RandomVariable {
 public:
  Binomial(const Tensor& total_count, const Tensor& logits, const Tensor& value = Tensor());
  static Binomial from_probs(const Tensor& total_count, const Tensor& probs,
                             const Tensor& value = Tensor());
};

/// Poisson(rate λ ≥ 0): λ^k e^(−λ) / k!.
class Poisson : public RandomVariable {
 public:
  explicit Poisson(const Tensor& rate, const Tensor& value = Tensor());
};

/// Poisson with log rate η (Stan's poisson_log): k η − e^η − lgamma(k + 1). The form for a
/// rate modelled on the log scale (a GP or a linear predictor): no log of an exp, and finite
/// where e^η would overflow or vanish.
class PoissonLog : public RandomVariable {
 public:
  explicit PoissonLog(const Tensor& log_rate, const Tensor& value = Tensor());
};

/// Geometric(logits): the number of failures before the first success, p (1 − p)^k, k ≥ 0.
class Geometric : public RandomVariable {
 public:
  explicit Geometric(const Tensor& logits, const Tensor& value = Tensor());
  static Geometric from_probs(const Tensor& probs, const Tensor& value = Tensor());
};

/// NegativeBinomial(r, logits): the number of failures before the r-th success (r > 0, real),
/// Γ(k + r)/(k! Γ(r)) p^r (1 − p)^k with p the success probability.
class NegativeBinomial : public RandomVariable {
 public:
  NegativeBinomial(const Tensor& r, const Tensor& logits, const Tensor& value = Tensor());
  static NegativeBinomial from_probs(const Tensor& r, const Tensor& probs,
                                     const Tensor& value = Tensor());
};

/// NegativeBinomial2(mean μ ≥ 0, dispersion φ > 0), Stan's neg_binomial_2: Γ(k + φ)/(k! Γ(φ)) ·
/// (μ/(μ + φ))^k (φ/(μ + φ))^φ, mean μ and variance μ + μ²/φ; Poisson(μ) as φ → ∞.
class NegativeBinomial2 : public RandomVariable {
 public:
  NegativeBinomial2(const Tensor& mu, const Tensor& phi, const Tensor& value = Tensor());
};

}  // namespace ed
