// The ordered support's bijector, and the improper Flat and HalfFlat priors.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <limits>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Support;
using ed::Tensor;

TEST_CASE("the ordered bijector maps rows onto increasing rows, with its log Jacobian") {
  const Matrix u = ed::test::random_inputs({{3, 4}}, 5)[0];
  const Matrix x = ed::eval(ed::constrain(Support::ordered(), u));
  for (ed::Index i = 0; i < 3; ++i) {
    for (ed::Index j = 1; j < 4; ++j) CHECK(x(i, j) > x(i, j - 1));
  }
  CHECK(ed::test::all_close(ed::unconstrain(Support::ordered(), x), u, 1e-12, 1e-12));
  // log |det ∂x/∂u| of one row against the determinant of a finite-difference Jacobian.
  const Matrix row = u.row(0);
  Matrix jacobian(4, 4);
  for (ed::Index k = 0; k < 4; ++k) {
    Matrix plus = row, minus = row;
    plus(0, k) += 1e-6;
    minus(0, k) -= 1e-6;
    jacobian.col(k) = (ed::eval(ed::constrain(Support::ordered(), plus)) -
                       ed::eval(ed::constrain(Support::ordered(), minus)))
                          .transpose() /
                      2e-6;
  }
  CHECK(ed::eval(ed::log_det_jacobian(Support::ordered(), row))(0, 0) ==
        doctest::Approx(std::log(std::abs(jacobian.determinant()))).epsilon(1e-7));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::constrain(Support::ordered(), t[0]); },
                                 {u}));
  CHECK(ed::test::check_gradient(
      [](auto& t) { return ed::log_det_jacobian(Support::ordered(), t[0]); }, {u}));
  CHECK_THROWS_WITH_AS(ed::unconstrain(Support::ordered(), (Matrix(1, 2) << 1, 0).finished()),
                       "bijector: the value is outside the ordered support", ed::invalid_argument);
}

TEST_CASE("Flat and HalfFlat: log density 0 on the support, no draws outside inference") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(ed::eval(ed::Flat(2, 1).log_prob(Matrix::Constant(2, 1, 1e8)))(1, 0) == 0.0);
  const Matrix half = ed::eval(ed::HalfFlat(2, 1).log_prob((Matrix(2, 1) << 2, -1).finished()));
  CHECK(half(0, 0) == 0.0);
  CHECK(half(1, 0) == -inf);
  const Matrix ordered = ed::eval(
      ed::Flat(2, 3, Support::ordered()).log_prob((Matrix(2, 3) << 1, 2, 3, 1, 3, 2).finished()));
  CHECK(ordered(0, 0) == 0.0);
  CHECK(ordered(1, 0) == -inf);
  CHECK_THROWS_WITH_AS(ed::eval(ed::Flat(2, 1)),
                       doctest::Contains("Flat: an improper prior has no draws"),
                       ed::invalid_argument);
}

TEST_CASE("MAP with a Flat prior is least squares") {
  const ed::Index n = 30, d = 3;
  const auto in = ed::test::random_inputs({{n, d}, {n, 1}}, 6);
  const Matrix& X = in[0];
  const Matrix y_data = X * Matrix::Ones(d, 1) + in[1];
  const ed::Flat w(d, 1);
  const ed::Normal y(ed::matmul(X, w), 1.0);
  ed::MAP inference({w}, {{y, y_data}});
  inference.initialize({.optimizer = ed::LBFGS(), .seed = 1});
  for (int i = 0; i < 50; ++i) inference.update();
  const Matrix ols = (X.transpose() * X).ldlt().solve(X.transpose() * y_data);
  CHECK(ed::test::all_close(inference.value(w), ols, 1e-7, 1e-9));
}

TEST_CASE("HMC over an ordered Flat latent keeps every draw ordered") {
  // c ~ Flat ordered (1×2), y_k ~ N(c_k, 1) with y = (−3, 3): far from the boundary the
  // posterior is N(y, I).
  ed::set_seed(3);
  const ed::Flat c(1, 2, Support::ordered());
  const ed::Normal y(c, 1.0);
  ed::HMC inference({c}, {{y, (Matrix(1, 2) << -3, 3).finished()}});
  inference.initialize({.n_iter = 6000, .step_size = 0.5, .n_steps = 4, .seed = 2});
  inference.run();
  const Matrix draws = inference.draws(c).bottomRows(5500);
  CHECK((draws.col(1).array() > draws.col(0).array()).all());
  for (ed::Index k = 0; k < 2; ++k) {
    const Matrix column = draws.col(k);
    const double mcse = ed::mcse_mean(column);
    INFO("c[" << k << "] mean " << column.mean() << " ± " << mcse);
    CHECK(std::abs(column.mean() - (k == 0 ? -3.0 : 3.0)) < 4.0 * mcse);
  }
}

TEST_CASE("positive_ordered: the bijector's round trip and exact log-Jacobian, and its refusals") {
  const ed::Support s = ed::Support::positive_ordered();
  const Matrix u = (Matrix(2, 3) << -0.3, 0.8, -1.2, 1.1, -2.0, 0.4).finished();
  const Matrix x = ed::eval(ed::constrain(s, u));
  CHECK(s.set().contains_all(x));
  CHECK((x.col(0).array() > 0.0).all());
  CHECK(ed::test::all_close(ed::unconstrain(s, x), u, 1e-13));
  // x = cumulative sums of eᵘ: the Jacobian is triangular with diagonal eᵘ, log |J| = Σ u.
  CHECK(
      ed::test::all_close(ed::eval(ed::log_det_jacobian(s, u)), Matrix(u.rowwise().sum()), 1e-14));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::constrain(s, t[0]); }, {u}, {},
                                 "positive_ordered"));
  const Matrix negative = (Matrix(1, 2) << -0.5, 1.0).finished();
  CHECK_FALSE(s.set().contains_all(negative));
  CHECK(s.set().requirement(0, 0) == "positive (rows must be positive and strictly increasing)");
  CHECK_FALSE(s.set().contains_all((Matrix(1, 2) << 2.0, 1.0).finished()));
}
