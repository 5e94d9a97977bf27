// Regression models of the gallery: Bayesian linear, Poisson (log link) and robust (Student t).
#pragma once

#include <cstdint>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/distributions.hpp"

namespace ed::models {

/// Simulated inputs and targets with the parameters that made them.
struct RegressionData {
  Matrix X, y;
  Matrix w;      ///< true weights (d×1)
  double b = 0;  ///< true intercept
  double noise = 0;
};

/// y ~ N(Xw + b, σ): w ~ N(0, 1) (d×1), b ~ N(0, 1), σ ~ HalfNormal(1).
struct LinearRegression {
  Normal w, b;
  HalfNormal sigma;
  Normal y;
};
LinearRegression linear_regression(const Tensor& X, Index features);
/// n points, x ~ U(−3, 3)^d, true w and b drawn from N(0, 1), noise σ.
RegressionData simulate_linear(Index n, Index features, double noise, std::uint64_t seed);

/// Counts y ~ Poisson(exp(Xw + b)): w ~ N(0, 1), b ~ N(0, 1).
struct PoissonRegression {
  Normal w, b;
  Poisson y;
};
PoissonRegression poisson_regression(const Tensor& X, Index features);
RegressionData simulate_poisson(Index n, Index features, std::uint64_t seed);

/// y ~ StudentT(ν, Xw + b, σ) with ν fixed (4 by default): heavy tails that shrug off outliers.
/// Priors as linear_regression.
struct RobustRegression {
  Normal w, b;
  HalfNormal sigma;
  StudentT y;
};
RobustRegression robust_regression(const Tensor& X, Index features, double df = 4.0);
/// A line with Normal noise and a fraction of gross outliers (shifted up by 8 to 15).
RegressionData simulate_outliers(Index n, double outlier_fraction, std::uint64_t seed);

}  // namespace ed::models
