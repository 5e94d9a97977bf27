// Ordinal outcomes: a latent score cut at increasing cutpoints, with logistic or normal noise.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// OrderedLogistic(η, cutpoints c): an ordinal outcome in {0, …, K−1} (0-based, as Categorical;
/// Stan counts 1, …, K) from a latent η + Logistic noise cut at K − 1 increasing cutpoints:
/// P(0) = 1 − σ(η − c_0), P(k) = σ(η − c_{k−1}) − σ(η − c_k), P(K−1) = σ(η − c_{K−2}).
/// η is n×1 (or 1×1), the cutpoints a row or a column of K − 1 values, checked to increase.
class OrderedLogistic : public RandomVariable {
 public:
  OrderedLogistic(const Tensor& eta, const Tensor& cutpoints, const Tensor& value = Tensor());
};

/// OrderedProbit(η, cutpoints c) (Stan's ordered_probit): as OrderedLogistic with standard
/// normal noise: P(0) = Φ(c_0 − η), P(k) = Φ(η − c_{k−1}) − Φ(η − c_k), P(K−1) = Φ(η − c_{K−2}).
class OrderedProbit : public RandomVariable {
 public:
  OrderedProbit(const Tensor& eta, const Tensor& cutpoints, const Tensor& value = Tensor());
};

}  // namespace ed
