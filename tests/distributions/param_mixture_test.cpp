// ParamMixture (moments, conditional and collapsed densities) and DirichletProcess (moments of
// its draws and weights).
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

using ed::Matrix;

namespace {
double normal_pdf(double x, double mu, double sd) {
  return std::exp(-0.5 * std::pow((x - mu) / sd, 2)) / (sd * std::sqrt(2 * M_PI));
}
}  // namespace

TEST_CASE("ParamMixture draws: moments and assignment frequencies") {
  const Matrix weights = (Matrix(1, 2) << 0.3, 0.7).finished();
  const Matrix locs = (Matrix(2, 1) << -2.0, 3.0).finished();
  const Matrix scales = (Matrix(2, 1) << 0.5, 1.0).finished();
  const ed::Index n = 20000;
  ed::ParamMixture x(weights, {locs, scales}, "Normal", n);
  CHECK(x.num_components() == 2);
  CHECK(x.value().shape() == ed::Shape{n, 1});
  ed::set_seed(12);
  ed::Session session;
  const std::vector<Matrix> out = session.run({x, x.cat()});
  const double mean = 0.3 * -2.0 + 0.7 * 3.0;
  const double variance = 0.3 * (0.25 + 4.0) + 0.7 * (1.0 + 9.0) - mean * mean;
  const double sample_mean = out[0].mean();
  CHECK(std::abs(sample_mean - mean) < 4 * std::sqrt(variance / n));
  const double sample_variance = (out[0].array() - sample_mean).square().mean();
  CHECK(sample_variance == doctest::Approx(variance).epsilon(0.03).scale(0));
  const double in_second = out[1].mean();
  CHECK(std::abs(in_second - 0.7) < 4 * std::sqrt(0.21 / n));
  // Each draw comes from its assigned component: those assigned 0 sit near −2.
  double mean_first = 0.0, count_first = 0.0;
  for (ed::Index i = 0; i < n; ++i) {
    if (out[1](i, 0) == 0.0) {
      mean_first += out[0](i, 0);
      count_first += 1;
    }
  }
  CHECK(std::abs(mean_first / count_first + 2.0) < 4 * 0.5 / std::sqrt(count_first));
  CHECK(ed::eval(x.mean())(0, 0) == doctest::Approx(mean));
  CHECK(ed::eval(x.variance())(0, 0) == doctest::Approx(variance));
}

TEST_CASE("ParamMixture densities: given the assignments, and collapsed") {
  const Matrix weights = (Matrix(1, 3) << 0.2, 0.5, 0.3).finished();
  const Matrix locs = (Matrix(3, 1) << -1.0, 0.5, 4.0).finished();
  const Matrix scales = (Matrix(3, 1) << 1.0, 0.3, 2.0).finished();
  const Matrix x_value = (Matrix(4, 1) << -0.7, 0.4, 3.1, 9.0).finished();
  const Matrix z_value = (Matrix(4, 1) << 0, 1, 2, 2).finished();
  ed::ParamMixture x(weights, {locs, scales}, "Normal", 4);
  const Matrix conditional = ed::eval(ed::copy(x.log_prob(x_value), {{x.cat(), z_value}}));
  ed::ParamMixture collapsed(weights, {locs, scales}, "Normal", 4, /*collapsed=*/true);
  const Matrix marginal = ed::eval(collapsed.log_prob(x_value));
  const Matrix marginal_too = ed::eval(x.marginal_log_prob(x_value));
  for (ed::Index i = 0; i < 4; ++i) {
    const auto k = static_cast<ed::Index>(z_value(i, 0));
    CHECK(conditional(i, 0) ==
          doctest::Approx(std::log(normal_pdf(x_value(i, 0), locs(k, 0), scales(k, 0)))));
    double total = 0.0;
    for (ed::Index j = 0; j < 3; ++j) {
      total += weights(0, j) * normal_pdf(x_value(i, 0), locs(j, 0), scales(j, 0));
    }
    CHECK(marginal(i, 0) == doctest::Approx(std::log(total)).epsilon(1e-12));
    CHECK(marginal_too(i, 0) == doctest::Approx(std::log(total)).epsilon(1e-12));
  }
  // A multivariate family by name, and a family of the user's.
  const Matrix locs2 = (Matrix(3, 2) << 0, 1, 2, 3, 4, 5).finished();
  ed::ParamMixture mvn(weights, {locs2, Matrix::Ones(3, 2)}, "MultivariateNormalDiag", 5);
  CHECK(mvn.value().shape() == ed::Shape{5, 2});
  ed::ParamMixture own(weights, {locs}, [](const std::vector<ed::Tensor>& p) {
    return ed::RandomVariable(ed::Normal(p[0], 1.0));
  });
  CHECK(own.value().shape() == ed::Shape{1, 1});

  CHECK_THROWS_WITH_AS(ed::ParamMixture(weights, {locs}, "Zeta"),
                       doctest::Contains("no built-in family named 'Zeta'"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::ParamMixture(weights, {Matrix::Zero(2, 1), scales}, "Normal"),
                       doctest::Contains("its rows must be the 3 components"),
                       ed::invalid_argument);
}

TEST_CASE("DirichletProcess draws: ties with probability 1/(1 + α), the base's moments") {
  const double alpha = 2.0;
  ed::Normal base(1.0, 2.0);
  ed::DirichletProcess dp(alpha, base, 2, 50);
  CHECK(dp.value().shape() == ed::Shape{2, 1});
  CHECK(dp.weights().shape() == ed::Shape{1, 50});
  ed::set_seed(3);
  ed::Session session;
  const int runs = 20000;
  double ties = 0.0, sum = 0.0, sum_sq = 0.0, first_weight = 0.0, total_weight = 0.0;
  for (int r = 0; r < runs; ++r) {
    const std::vector<Matrix> out = session.run({dp, dp.weights()});
    ties += out[0](0, 0) == out[0](1, 0) ? 1.0 : 0.0;
    sum += out[0](0, 0);
    sum_sq += out[0](0, 0) * out[0](0, 0);
    first_weight += out[1](0, 0);
    total_weight += out[1].sum();
  }
  const double p_tie = 1 / (1 + alpha);
  CHECK(std::abs(ties / runs - p_tie) < 4 * std::sqrt(p_tie * (1 - p_tie) / runs));
  const double mean = sum / runs, variance = sum_sq / runs - mean * mean;
  CHECK(std::abs(mean - 1.0) < 4 * std::sqrt(4.0 / runs));
  CHECK(variance == doctest::Approx(4.0).epsilon(0.05).scale(0));
  // E[π₁] = E[β₁] = 1/(1 + α); the weights sum to 1.
  CHECK(std::abs(first_weight / runs - p_tie) < 0.01);
  CHECK(total_weight / runs == doctest::Approx(1.0).epsilon(1e-12));
  CHECK_THROWS_WITH_AS(dp.log_prob(0.0), doctest::Contains("have no density"),
                       ed::invalid_argument);
}
