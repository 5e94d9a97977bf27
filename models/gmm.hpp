// Gaussian mixture model with every parameter latent.
#pragma once

#include <cstdint>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/distributions.hpp"

namespace ed::models {

/// x_n ~ Σ_k π_k N(μ_k, diag σ_k²) in d dimensions: μ ~ N(0, 10) (K×d), σ ~ Gamma(2, 2) (K×d,
/// positive), π ~ Dirichlet(1, …, 1) (1×K, simplex). Written as Edward writes it: a Mixture of
/// MultivariateNormalDiag components, one per row of μ and σ.
struct GaussianMixture {
  Normal mu;
  Gamma sigma;
  Dirichlet pi;
  Mixture x;
};
GaussianMixture gaussian_mixture(Index components, Index dims);

struct ClusterData {
  Matrix X;       ///< n×d points
  Matrix labels;  ///< true component of each point
  Matrix mu, sigma, pi;
};
/// K = 3 clusters in 2-D with distinct means, scales and weights.
ClusterData simulate_clusters(Index n, std::uint64_t seed);

}  // namespace ed::models
