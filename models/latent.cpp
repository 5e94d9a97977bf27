// Builders and simulators of the latent-structure models.
#include "edpp/models/latent.hpp"

#include <cmath>

#include "edpp/core/ops.hpp"
#include "edpp/criticism/ppc.hpp"
#include "edpp/models/simulate.hpp"

namespace ed::models {

MixedEffects mixed_effects(const Tensor& x, const Tensor& group, Index groups) {
  Normal beta(Matrix::Zero(2, 1), 5.0);
  InverseGamma group_scale(3.0, 2.0);
  Normal intercepts(Matrix::Zero(groups, 1), group_scale);
  HalfNormal sigma(1.0);
  Normal y(row(beta, 0) + row(beta, 1) * x + gather_rows(intercepts, group), sigma);
  return {beta, group_scale, intercepts, sigma, y};
}

GroupedData simulate_groups(Index groups, Index per_group, std::uint64_t seed) {
  Rng rng(seed);
  GroupedData d;
  d.beta = (Matrix(2, 1) << 1.0, 0.8).finished();
  d.group_scale = 1.5;
  d.noise = 0.5;
  d.intercepts = normal_matrix(groups, 1, rng, 0.0, d.group_scale);
  const Index n = groups * per_group;
  d.x = uniform_matrix(n, 1, rng, -2.0, 2.0);
  d.group.resize(n, 1);
  for (Index i = 0; i < n; ++i) d.group(i, 0) = double(i / per_group);
  const MixedEffects m = mixed_effects(constant(d.x), constant(d.group), groups);
  d.y = simulate(m.y,
                 {{m.beta, d.beta},
                  {m.intercepts, d.intercepts},
                  {m.group_scale, Matrix::Constant(1, 1, d.group_scale)},
                  {m.sigma, Matrix::Constant(1, 1, d.noise)}},
                 rng.engine()());
  return d;
}

Ppca ppca(Index points, Index dims, Index latent_dims) {
  Normal W(Matrix::Zero(dims, latent_dims), 1.0);
  Normal Z(Matrix::Zero(points, latent_dims), 1.0);
  HalfNormal sigma(1.0);
  Normal x(matmul(Z, transpose(W)), sigma);
  return {W, Z, sigma, x};
}

SubspaceData simulate_subspace(Index n, Index dims, Index latent_dims, double noise,
                               std::uint64_t seed) {
  Rng rng(seed);
  SubspaceData d;
  d.W = normal_matrix(dims, latent_dims, rng);
  // The model run forward with W and the noise fixed; the coordinates Z come from their prior.
  const Ppca m = ppca(n, dims, latent_dims);
  d.X = simulate(m.x, {{m.W, d.W}, {m.sigma, Matrix::Constant(1, 1, noise)}}, rng.engine()());
  return d;
}

BayesianNetwork bayesian_network(const Tensor& x, const std::vector<Index>& hidden) {
  std::vector<Normal> weights;
  Tensor h = x;
  Index in = x.shape().cols;
  auto layer = [&](Index out) {
    weights.push_back(Normal(Matrix::Zero(in, out), 1.0));
    weights.push_back(Normal(Matrix::Zero(1, out), 1.0));
    const Tensor pre = matmul(h, weights[weights.size() - 2]) + weights.back();
    in = out;
    return pre;
  };
  for (Index units : hidden) h = tanh(layer(units));
  const Tensor f = layer(1);
  HalfNormal sigma(1.0);
  Normal y(f, sigma);
  return {weights, sigma, f, y};
}

CurveData simulate_curve(Index n, double noise, std::uint64_t seed) {
  Rng rng(seed);
  CurveData d;
  d.x = uniform_matrix(n, 1, rng, -3.0, 3.0);
  d.y = (2.0 * d.x.array()).sin() + 0.5 * d.x.array() + noise * normal_matrix(n, 1, rng).array();
  return d;
}

MatrixFactorization matrix_factorization(const Tensor& rows, const Tensor& cols, Index n, Index m,
                                         Index rank, double noise) {
  Normal U(Matrix::Zero(n, rank), 1.0);
  Normal V(Matrix::Zero(m, rank), 1.0);
  Normal r(sum(gather_rows(U, rows) * gather_rows(V, cols), 1), noise);
  return {U, V, r};
}

LowRankData simulate_low_rank(Index n, Index m, Index rank, double observed_fraction, double noise,
                              std::uint64_t seed) {
  Rng rng(seed);
  LowRankData d;
  d.truth = normal_matrix(n, rank, rng) * normal_matrix(m, rank, rng).transpose();
  const Matrix u = uniform_matrix(n, m, rng);
  const Matrix eps = normal_matrix(n, m, rng, 0.0, noise);
  std::vector<double> r, c, v, hr, hc;
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < m; ++j) {
      if (u(i, j) < observed_fraction) {
        r.push_back(double(i)), c.push_back(double(j)), v.push_back(d.truth(i, j) + eps(i, j));
      } else {
        hr.push_back(double(i)), hc.push_back(double(j));
      }
    }
  }
  auto column = [](const std::vector<double>& x) {
    return Matrix(Eigen::Map<const Eigen::VectorXd>(x.data(), Index(x.size())));
  };
  d.rows = column(r), d.cols = column(c), d.values = column(v);
  d.held_rows = column(hr), d.held_cols = column(hc);
  return d;
}

}  // namespace ed::models
