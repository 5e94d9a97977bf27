// Priors on covariance structure, each value one d×d matrix: LKJCholesky (correlations, through
// their Cholesky factor), Wishart and InverseWishart (covariance or precision matrices).
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// LKJ(η) on d×d correlation matrices Ω, given on their Cholesky factor L (Ω = L Lᵀ), as Stan's
/// lkj_corr_cholesky and Pyro's LKJCholesky: p(L) ∝ Π_{i≥1} L_ii^(d − i − 3 + 2η) (0-based i)
/// over the free entries below the diagonal, normalised. η = 1 is uniform over correlation
/// matrices; larger η concentrates on the identity. Each correlation Ω_ij is marginally
/// 2·Beta(η − 1 + d/2, η − 1 + d/2) − 1. The value is one d×d factor (support
/// cholesky_correlation; a latent is sampled through Stan's transform). Draws by the onion method
/// (Lewandowski, Kurowicka and Joe 2009), not reparameterised. No closed-form mean.
class LKJCholesky : public RandomVariable {
 public:
  /// @throws ed::invalid_argument when dim < 2.
  LKJCholesky(Index dim, const Tensor& concentration, const Tensor& value = Tensor());
};

/// Wishart(ν, S) on d×d symmetric positive-definite matrices (Stan's wishart): |X|^((ν−d−1)/2)
/// e^(−tr(S⁻¹X)/2) / (2^(νd/2) |S|^(ν/2) Γ_d(ν/2)), for ν > d − 1 and S positive definite.
/// Mean νS; Var X_ij = ν(S_ij² + S_ii S_jj). Draws by Bartlett's decomposition, reparameterised.
class Wishart : public RandomVariable {
 public:
  Wishart(const Tensor& df, const Tensor& scale, const Tensor& value = Tensor());
};

/// InverseWishart(ν, S) (Stan's inv_wishart): X⁻¹ ~ Wishart(ν, S⁻¹); density |S|^(ν/2)
/// |X|^(−(ν+d+1)/2) e^(−tr(S X⁻¹)/2) / (2^(νd/2) Γ_d(ν/2)). Mean S/(ν − d − 1) for ν > d + 1.
/// Draws as the inverse of a Bartlett draw, reparameterised.
class InverseWishart : public RandomVariable {
 public:
  InverseWishart(const Tensor& df, const Tensor& scale, const Tensor& value = Tensor());
};

}  // namespace ed
