// Builders and simulators of the regression models.
#include "edpp/models/regression.hpp"

#include "edpp/core/ops.hpp"
#include "edpp/criticism/ppc.hpp"
#include "edpp/models/simulate.hpp"

namespace ed::models {

LinearRegression linear_regression(const Tensor& X, Index features) {
  Normal w(Matrix::Zero(features, 1), 1.0);
  Normal b(0.0, 1.0);
  HalfNormal sigma(1.0);
  Normal y(matmul(X, w) + b, sigma);
  return {w, b, sigma, y};
}

RegressionData simulate_linear(Index n, Index features, double noise, std::uint64_t seed) {
  Rng rng(seed);
  RegressionData d;
  d.X = uniform_matrix(n, features, rng, -3.0, 3.0);
  d.w = normal_matrix(features, 1, rng);
  d.b = normal_matrix(1, 1, rng)(0, 0);
  d.noise = noise;
  // The targets come from the model itself, run forward with the true parameters.
  const LinearRegression m = linear_regression(constant(d.X), features);
  d.y = simulate(
      m.y,
      {{m.w, d.w}, {m.b, Matrix::Constant(1, 1, d.b)}, {m.sigma, Matrix::Constant(1, 1, noise)}},
      rng.engine()());
  return d;
}

PoissonRegression poisson_regression(const Tensor& X, Index features) {
  Normal w(Matrix::Zero(features, 1), 1.0);
  Normal b(0.0, 1.0);
  Poisson y(exp(matmul(X, w) + b));
  return {w, b, y};
}

RegressionData simulate_poisson(Index n, Index features, std::uint64_t seed) {
  Rng rng(seed);
  RegressionData d;
  d.X = uniform_matrix(n, features, rng, -1.5, 1.5);
  d.w = Eigen::VectorXd::LinSpaced(features, 0.8, -0.4);  // a visible trend for the figure
  d.b = 1.0;
  const PoissonRegression m = poisson_regression(constant(d.X), features);
  d.y = simulate(m.y, {{m.w, d.w}, {m.b, Matrix::Constant(1, 1, d.b)}}, rng.engine()());
  return d;
}

RobustRegression robust_regression(const Tensor& X, Index features, double df) {
  Normal w(Matrix::Zero(features, 1), 1.0);
  Normal b(0.0, 1.0);
  HalfNormal sigma(1.0);
  StudentT y(df, matmul(X, w) + b, sigma);
  return {w, b, sigma, y};
}

RegressionData simulate_outliers(Index n, double outlier_fraction, std::uint64_t seed) {
  Rng rng(seed);
  RegressionData d;
  d.X = uniform_matrix(n, 1, rng, -3.0, 3.0);
  d.w = Matrix::Constant(1, 1, 1.5);
  d.b = -0.5;
  d.noise = 0.5;
  d.y = (d.X * d.w).array() + d.b + d.noise * normal_matrix(n, 1, rng).array();
  const Matrix u = uniform_matrix(n, 1, rng);
  const Matrix shift = uniform_matrix(n, 1, rng, 8.0, 15.0);
  for (Index i = 0; i < n; ++i) {
    if (u(i, 0) < outlier_fraction) d.y(i, 0) += shift(i, 0);
  }
  return d;
}

}  // namespace ed::models
