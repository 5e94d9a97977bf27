// Multivariate families: each row of the value is one event; log_prob is one value per row.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Dirichlet(concentration α, n×K or 1×K): Γ(Σα)/ΠΓ(α_k) Π x_k^(α_k − 1) on the simplex (rows
/// summing to 1; −inf elsewhere). α positive. Sampled by normalising Boost gamma draws.
class Dirichlet : public RandomVariable {
 public:
  explicit Dirichlet(const Tensor& concentration, const Tensor& value = Tensor());
};

/// Multinomial(total_count n, logits, n×K or 1×K): counts of n draws over K categories with
/// probabilities softmax(logits), one row per event; log_prob is per row, −inf for counts that
/// are not non-negative integers summing to n. Sampled by conditional binomials.
class Multinomial : public RandomVariable {
 public:
  Multinomial(const Tensor& total_count, const Tensor& logits, const Tensor& value = Tensor());
  /// From probabilities (rows summing to 1).
  static Multinomial from_probs(const Tensor& total_count, const Tensor& probs,
                                const Tensor& value = Tensor());
};

/// A normal with independent coordinates: loc and scale_diag (broadcasting, n×d); log_prob sums
/// each row. Reparameterised.
class MultivariateNormalDiag : public RandomVariable {
 public:
  MultivariateNormalDiag(const Tensor& loc, const Tensor& scale_diag,
                         const Tensor& value = Tensor());
};

/// A normal with covariance L Lᵀ: loc n×d (or 1×d), scale_tril L d×d lower-triangular with a
/// positive diagonal (checked when the graph runs: "MultivariateNormalTriL: scale_tril[0, 1] is
/// 0.5, but must be 0 (the matrix must be lower-triangular)"). log p(x) = −½|L⁻¹(x − μ)|² −
/// Σ log L_ii − (d/2) log 2π. Samples μ + ε Lᵀ, reparameterised.
class MultivariateNormalTriL : public RandomVariable {
 public:
  MultivariateNormalTriL(const Tensor& loc, const Tensor& scale_tril,
                         const Tensor& value = Tensor());
};

/// A normal given by its covariance Σ (d×d, symmetric positive definite; only the lower triangle
/// is read): MultivariateNormalTriL with L = cholesky(Σ), whose gradient reaches Σ. A Σ that is
/// not positive definite stops the graph with "cholesky: the [d, d] matrix is not positive
/// definite".
class MultivariateNormalFullCovariance : public RandomVariable {
 public:
  MultivariateNormalFullCovariance(const Tensor& loc, const Tensor& covariance,
                                   const Tensor& value = Tensor());
};

/// A normal given by its precision Ω = Σ⁻¹ (d×d, symmetric positive definite; only the lower
/// triangle is read), as Stan's multi_normal_prec: with L = cholesky(Ω), log p(x) =
/// −½|(x − μ)L|² + Σ log L_ii − (d/2) log 2π. Samples μ + ε L⁻¹, reparameterised; gradients
/// reach Ω through the Cholesky factor.
class MultivariateNormalPrecision : public RandomVariable {
 public:
  MultivariateNormalPrecision(const Tensor& loc, const Tensor& precision,
                              const Tensor& value = Tensor());
};

/// Student's t in d dimensions (Stan's multi_student_t_cholesky, Pyro's MultivariateStudentT):
/// df ν (1×1, or n×1 per row), loc μ n×d or 1×d, scale_tril L: Γ((ν+d)/2)/(Γ(ν/2)(νπ)^(d/2)
/// Π L_ii) · (1 + |L⁻¹(x − μ)|²/ν)^(−(ν+d)/2). Mean μ for ν > 1; marginal variances
/// diag(L Lᵀ)ν/(ν − 2) for ν > 2. Samples μ + ε Lᵀ √(ν/V), V ~ χ²(ν) per row: reparameterised.
class MultivariateStudentT : public RandomVariable {
 public:
  MultivariateStudentT(const Tensor& df, const Tensor& loc, const Tensor& scale_tril,
                       const Tensor& value = Tensor());
};

}  // namespace ed
