// Latent-structure models of the gallery: linear mixed effects, probabilistic PCA, a Bayesian
// neural network and matrix factorisation.
#pragma once

#include <cstdint>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/distributions.hpp"

namespace ed::models {

/// y_i = β₀ + β₁ x_i + u_{g(i)} + ε: random intercepts u_j ~ N(0, s_u) per group, s_u ~
/// InverseGamma(3, 2) (which keeps the joint mode away from s_u = 0, where MAP of a hierarchical
/// scale would collapse), β ~ N(0, 5), noise σ ~ HalfNormal(1). `group` holds each point's
/// group index 0..J−1.
struct MixedEffects {
  Normal beta;
  InverseGamma group_scale;
  Normal intercepts;
  HalfNormal sigma;
  Normal y;
};
MixedEffects mixed_effects(const Tensor& x, const Tensor& group, Index groups);
struct GroupedData {
  Matrix x, group, y;
  Matrix beta, intercepts;
  double group_scale = 0, noise = 0;
};
GroupedData simulate_groups(Index groups, Index per_group, std::uint64_t seed);

/// x_n = W z_n + ε: W ~ N(0, 1) (d×k), z_n ~ N(0, 1) (n×k), σ ~ HalfNormal(1); MAP over W, Z, σ.
struct Ppca {
  Normal W, Z;
  HalfNormal sigma;
  Normal x;
};
Ppca ppca(Index points, Index dims, Index latent_dims);
/// Points near a random k-dimensional subspace of ℝ^d (returns the basis in W).
struct SubspaceData {
  Matrix X, W;
};
SubspaceData simulate_subspace(Index n, Index dims, Index latent_dims, double noise,
                               std::uint64_t seed);

/// Regression with a tanh network whose every weight has a N(0, 1) prior: MAP is weight decay.
/// Hidden layers of `hidden` units; y ~ N(f(x), σ) with σ ~ HalfNormal(1).
struct BayesianNetwork {
  std::vector<Normal> weights;  ///< W₁, b₁, W₂, b₂, …, W_out, b_out
  HalfNormal sigma;
  Tensor f;  ///< the network's output for x
  Normal y;
};
BayesianNetwork bayesian_network(const Tensor& x, const std::vector<Index>& hidden);
/// y = sin(2x) + x/2 + noise on x ∈ [−3, 3].
struct CurveData {
  Matrix x, y;
};
CurveData simulate_curve(Index n, double noise, std::uint64_t seed);

/// Observed entries r_ij = u_i · v_j + ε of an N×M matrix of rank K: U ~ N(0, 1) (N×K),
/// V ~ N(0, 1) (M×K), σ fixed. `rows` and `cols` index the observed entries.
struct MatrixFactorization {
  Normal U, V;
  Normal r;
};
MatrixFactorization matrix_factorization(const Tensor& rows, const Tensor& cols, Index n, Index m,
                                         Index rank, double noise);
struct LowRankData {
  Matrix truth;                 ///< the full N×M matrix U Vᵀ
  Matrix rows, cols, values;    ///< observed entries
  Matrix held_rows, held_cols;  ///< the entries not observed
};
LowRankData simulate_low_rank(Index n, Index m, Index rank, double observed_fraction, double noise,
                              std::uint64_t seed);

}  // namespace ed::models
