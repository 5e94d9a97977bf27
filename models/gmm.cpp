// The Gaussian mixture builder and its simulator.
#include "edpp/models/gmm.hpp"

#include "edpp/core/ops.hpp"
#include "edpp/models/simulate.hpp"

namespace ed::models {

GaussianMixture gaussian_mixture(Index components, Index dims) {
  Normal mu(Matrix::Zero(components, dims), 10.0);
  Gamma sigma(2.0, Matrix::Constant(components, dims, 2.0));
  Dirichlet pi(Matrix::Ones(1, components));
  std::vector<RandomVariable> parts;
  for (Index k = 0; k < components; ++k) {
    parts.push_back(MultivariateNormalDiag(row(mu, k), row(sigma, k)));
  }
  Mixture x(Categorical::from_probs(pi), parts);
  return {mu, sigma, pi, x};
}

ClusterData simulate_clusters(Index n, std::uint64_t seed) {
  Rng rng(seed);
  ClusterData d;
  d.mu = (Matrix(3, 2) << -4.0, 0.0, 3.0, 3.0, 2.0, -3.5).finished();
  d.sigma = (Matrix(3, 2) << 0.8, 1.2, 1.0, 0.6, 0.7, 0.7).finished();
  d.pi = (Matrix(1, 3) << 0.5, 0.3, 0.2).finished();
  d.labels = categorical_draws(d.pi.replicate(n, 1), rng);
  const Matrix z = normal_matrix(n, 2, rng);
  d.X.resize(n, 2);
  for (Index i = 0; i < n; ++i) {
    const auto k = static_cast<Index>(d.labels(i, 0));
    d.X.row(i) = d.mu.row(k) + z.row(i).cwiseProduct(d.sigma.row(k));
  }
  return d;
}

}  // namespace ed::models
