// Dirichlet and the multivariate normals: closed forms, gradients, samplers, checks.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <limits>
#include <numbers>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("Dirichlet.log_prob matches the closed form, row by row") {
  const Matrix alpha = (Matrix(2, 3) << 0.5, 2.0, 3.0, 1.0, 1.0, 4.0).finished();
  const Matrix x = (Matrix(2, 3) << 0.2, 0.3, 0.5, 0.1, 0.6, 0.3).finished();
  const Matrix lp = ed::eval(ed::Dirichlet(alpha).log_prob(x));
  for (int i = 0; i < 2; ++i) {
    double expected = std::lgamma(alpha.row(i).sum());
    for (int k = 0; k < 3; ++k)
      expected += (alpha(i, k) - 1) * std::log(x(i, k)) - std::lgamma(alpha(i, k));
    CHECK(lp(i, 0) == doctest::Approx(expected).epsilon(1e-13));
  }
  CHECK(
      ed::test::check_gradient([&](auto& t) { return ed::Dirichlet(t[0]).log_prob(x); }, {alpha}));
  CHECK(ed::eval(ed::Dirichlet(alpha).log_prob(
            (Matrix(2, 3) << 0.2, 0.3, 0.6, 0.1, 0.6, 0.3).finished()))(0, 0) ==
        -std::numeric_limits<double>::infinity());
  // Samples lie on the simplex and have the Dirichlet mean.
  const ed::Dirichlet d(alpha.row(0).replicate(50000, 1));
  ed::Session session(4);
  const Matrix s = session.run({d})[0];
  CHECK((s.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-12);
  const Matrix mean = alpha.row(0) / alpha.row(0).sum();
  for (int k = 0; k < 3; ++k) {
    const double var = mean(0, k) * (1 - mean(0, k)) / (alpha.row(0).sum() + 1);
    CHECK(std::abs(s.col(k).mean() - mean(0, k)) < 5 * std::sqrt(var / 50000));
  }
}

TEST_CASE("MultivariateNormalTriL matches the dense-covariance formula and differentiates") {
  const Matrix L = (Matrix(3, 3) << 1.5, 0, 0, 0.3, 0.8, 0, -0.4, 0.2, 1.1).finished();
  const auto in = ed::test::random_inputs({{4, 3}, {1, 3}}, 90);
  const Matrix& x = in[0];
  const Matrix& mu = in[1];
  const Matrix cov = L * L.transpose();
  const Eigen::LLT<Matrix> llt(cov);
  const Matrix lp = ed::eval(ed::MultivariateNormalTriL(mu, L).log_prob(x));
  for (int i = 0; i < 4; ++i) {
    const Eigen::VectorXd r = (x.row(i) - mu.row(0)).transpose();
    const double quad = r.dot(llt.solve(r));
    const double expected =
        -0.5 * quad - 0.5 * std::log(cov.determinant()) - 1.5 * std::log(2 * std::numbers::pi);
    CHECK(lp(i, 0) == doctest::Approx(expected).epsilon(1e-12));
  }
  CHECK(ed::test::check_gradient(
      [&](auto& t) { return ed::MultivariateNormalTriL(t[0], L).log_prob(t[1]); }, {mu, x}));
  // The gradient in L, restricted to its lower triangle (the upper stays zero).
  const Tensor Lv = ed::variable(L, "L");
  const Matrix g = ed::grad(ed::sum(ed::MultivariateNormalTriL(mu, Lv).log_prob(x)), {Lv})[0];
  CHECK(g(0, 1) == 0.0);
  const double h = 1e-6;
  Matrix Lp = L, Lm = L;
  Lp(2, 1) += h, Lm(2, 1) -= h;
  const double numeric = (ed::eval(ed::sum(ed::MultivariateNormalTriL(mu, Lp).log_prob(x)))(0, 0) -
                          ed::eval(ed::sum(ed::MultivariateNormalTriL(mu, Lm).log_prob(x)))(0, 0)) /
                         (2 * h);
  CHECK(g(2, 1) == doctest::Approx(numeric).epsilon(1e-6));
  // Samples have covariance L Lᵀ.
  const ed::MultivariateNormalTriL mvn(Matrix::Zero(100000, 3), L);
  ed::Session session(6);
  const Matrix s = session.run({mvn})[0];
  const Matrix sample_cov = s.transpose() * s / 100000.0;
  CHECK((sample_cov - cov).cwiseAbs().maxCoeff() < 0.05);
}

TEST_CASE("MultivariateNormalTriL rejects a scale_tril that is not a Cholesky factor") {
  const Matrix upper = (Matrix(2, 2) << 1.0, 0.5, 0.0, 1.0).finished();
  CHECK_THROWS_WITH_AS(
      ed::eval(ed::MultivariateNormalTriL(Matrix::Zero(1, 2), upper).log_prob(Matrix::Zero(1, 2))),
      "MultivariateNormalTriL: scale_tril[0, 1] is 0.5, but must be 0 (the matrix "
      "must be lower-triangular)",
      ed::invalid_argument);
  const Matrix negative = (Matrix(2, 2) << 1.0, 0.0, 0.3, -1.0).finished();
  CHECK_THROWS_WITH_AS(
      ed::eval(
          ed::MultivariateNormalTriL(Matrix::Zero(1, 2), negative).log_prob(Matrix::Zero(1, 2))),
      "MultivariateNormalTriL: scale_tril[1, 1] is -1, but must be positive", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::MultivariateNormalTriL(Matrix::Zero(1, 3), Matrix::Identity(2, 2)),
                       "MultivariateNormalTriL: loc [1, 3] and scale_tril [2, 2] do not match (loc "
                       "needs 2 columns)",
                       ed::invalid_argument);
}

TEST_CASE("MultivariateNormalDiag sums independent normals per row") {
  const auto in = ed::test::random_inputs({{5, 2}, {1, 2}, {5, 2}}, 91);
  const Matrix scale = in[1].array().abs() + 0.5;
  const Matrix lp = ed::eval(ed::MultivariateNormalDiag(in[0], scale).log_prob(in[2]));
  const Matrix parts = ed::eval(ed::Normal(in[0], scale).log_prob(in[2]));
  CHECK(ed::test::all_close(lp, parts.rowwise().sum(), 1e-14));
  CHECK(ed::test::check_gradient(
      [](auto& t) { return ed::MultivariateNormalDiag(t[0], ed::exp(t[1])).log_prob(t[2]); }, in));
}

TEST_CASE("Multinomial: log_prob in closed form, −inf off its support, draws' moments") {
  const ed::Matrix probs = (ed::Matrix(1, 3) << 0.2, 0.5, 0.3).finished();
  const ed::Matrix counts = (ed::Matrix(2, 3) << 2, 5, 3, 0, 10, 0).finished();
  const ed::Multinomial m = ed::Multinomial::from_probs(10.0, probs);
  const ed::Matrix lp = ed::eval(m.log_prob(counts));
  REQUIRE(lp.rows() == 2);
  REQUIRE(lp.cols() == 1);  // one value per row
  for (ed::Index i = 0; i < 2; ++i) {
    double expected = std::lgamma(11.0);
    for (ed::Index k = 0; k < 3; ++k) {
      expected += -std::lgamma(counts(i, k) + 1) + counts(i, k) * std::log(probs(0, k));
    }
    CHECK(lp(i, 0) == doctest::Approx(expected).epsilon(1e-12));
  }
  // Counts that do not sum to n have no mass.
  const ed::Matrix wrong = (ed::Matrix(1, 3) << 2, 5, 2).finished();
  CHECK(ed::eval(m.log_prob(wrong))(0, 0) == -std::numeric_limits<double>::infinity());
  // Nor do negative or fractional counts, even when they sum to n.
  const ed::Matrix negative = (ed::Matrix(2, 3) << -1, 6, 5, 2.5, 5, 2.5).finished();
  const ed::Matrix off = ed::eval(m.log_prob(negative));
  CHECK(off(0, 0) == -std::numeric_limits<double>::infinity());
  CHECK(off(1, 0) == -std::numeric_limits<double>::infinity());
  // 20,000 draws of 10 trials: every row sums to 10; the means are 10 p within 4 SE.
  const ed::Multinomial many(ed::Matrix::Constant(20000, 1, 10.0),
                             ed::Tensor(ed::Matrix::Zero(20000, 3)) + ed::log(probs));
  ed::set_seed(7);
  const ed::Matrix draws = ed::eval(many);
  CHECK((draws.rowwise().sum().array() == 10.0).all());
  CHECK((draws.array() >= 0.0).all());
  for (ed::Index k = 0; k < 3; ++k) {
    const double p = probs(0, k), se = std::sqrt(10 * p * (1 - p) / 20000.0);
    CHECK(std::abs(draws.col(k).mean() - 10 * p) < 4 * se);
  }
  CHECK((ed::eval(many.mean()).row(0) - 10 * probs).norm() < 1e-12);
}
