// The cholesky op, and the Laplace approximation against exact Gaussian posteriors and the known
// curvature of a logistic regression.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
Matrix spd(ed::Index d, std::uint64_t seed) {
  const Matrix m = ed::test::random_inputs({{d, d}}, seed)[0];
  return m * m.transpose() + Matrix::Identity(d, d);
}
}  // namespace

TEST_CASE("cholesky factors A = L Lᵀ and its gradient matches finite differences") {
  const Matrix a = spd(4, 30);
  const Matrix l = ed::eval(ed::cholesky(a));
  CHECK(ed::test::all_close(l * l.transpose(), a, 1e-12, 1e-12));
  CHECK(l.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().isZero(0.0));
  // The lower triangle is read; perturbing the upper triangle changes nothing.
  CHECK(ed::test::check_gradient([](auto& t) { return ed::cholesky(t[0]); }, {spd(3, 31)}));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log(ed::diag_part(ed::cholesky(t[0]))); },
                                 {spd(5, 32)}));
  // Note [Small Cholesky]: up to 16 × 16 the loops are compiled for each order, up to 32 × 32
  // they run at any order, and above that the factor and its gradient are blocked: every side
  // of each switch, against Eigen's factor and finite differences.
  for (ed::Index d : {1, 2, 11, 16, 17, 24, 32, 33, 40}) {
    CAPTURE(d);
    const Matrix ad = spd(d, 33 + d);
    const Matrix expected = Eigen::LLT<Matrix>(ad).matrixL();
    CHECK(ed::test::all_close(ed::eval(ed::cholesky(ad)), expected, 1e-12, 1e-12));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::cholesky(t[0]); }, {ad}));
  }
  // A pivot that turns negative partway (the third of five): an error, not a NaN factor.
  Matrix indefinite = Matrix::Identity(5, 5);
  indefinite(2, 1) = indefinite(1, 2) = 2.0;
  CHECK_THROWS_WITH_AS(ed::eval(ed::cholesky(indefinite)),
                       "cholesky: the [5, 5] matrix is not positive definite",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(ed::cholesky(-Matrix::Identity(2, 2))),
                       "cholesky: the [2, 2] matrix is not positive definite",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::cholesky(Matrix::Zero(2, 3)),
                       "cholesky: needs a square matrix, got shape [2, 3]", ed::invalid_argument);
}

TEST_CASE("Laplace with a full-rank q equals the exact posterior of Bayesian linear regression") {
  ed::set_seed(2);
  const ed::Index n = 30, d = 3;
  const auto in = ed::test::random_inputs({{n, d}, {d, 1}, {n, 1}}, 41);
  const Matrix& X = in[0];
  const double sigma = 0.7;
  const Matrix y_data = X * in[1] + sigma * in[2];
  const ed::Normal w(Matrix::Zero(d, 1), 1.0);
  const ed::Normal y(ed::matmul(X, w), sigma);
  const Tensor loc = ed::variable(Matrix::Zero(1, d), "qw/loc");
  const Tensor tril = ed::variable(Matrix::Identity(d, d), "qw/scale_tril");
  const ed::MultivariateNormalTriL qw(loc, tril);
  ed::LaplaceApproximation inference({{w, qw}}, {{y, y_data}});
  inference.initialize({.n_iter = 50});
  inference.run();
  const Matrix precision = X.transpose() * X / (sigma * sigma) + Matrix::Identity(d, d);
  const Matrix covariance = precision.inverse();
  const Matrix mean = covariance * X.transpose() * y_data / (sigma * sigma);
  CHECK(ed::test::all_close(ed::eval(qw.mean()).transpose(), mean, 1e-7, 1e-9));
  CHECK(ed::test::all_close(inference.hessian(), precision, 1e-6, 1e-6));
  const Matrix l = tril.value();
  CHECK(ed::test::all_close(l * l.transpose(), covariance, 1e-6, 1e-9));
}

TEST_CASE("Laplace with a Normal q gives marginal sds sqrt(diag(H^-1)), not 1/sqrt(diag(H))") {
  const ed::Index n = 30, d = 2;
  const auto in = ed::test::random_inputs({{n, d}, {n, 1}}, 42);
  Matrix X = in[0];
  X.col(1) = X.col(0) + 0.3 * X.col(1);  // correlated predictors: correlated posterior
  const Matrix y_data = X * Matrix::Ones(d, 1) + in[1];
  const ed::Normal w(Matrix::Zero(d, 1), 1.0);
  const ed::Normal y(ed::matmul(X, w), 1.0);
  const ed::Normal qw(ed::variable(Matrix::Zero(d, 1), "qw/loc"),
                      ed::softplus(ed::variable(Matrix::Zero(d, 1), "qw/scale")));
  ed::LaplaceApproximation inference({{w, qw}}, {{y, y_data}});
  inference.initialize({.n_iter = 50, .seed = 1});
  inference.run();
  const Matrix precision = X.transpose() * X + Matrix::Identity(d, d);
  const Matrix marginal = precision.inverse().diagonal().cwiseSqrt();
  CHECK(ed::test::all_close(ed::eval(qw.stddev()), marginal, 1e-6));
  CHECK(ed::eval(qw.stddev())(0, 0) > 1.5 / std::sqrt(precision(0, 0)));  // Edward's is far off
}

TEST_CASE("Laplace on a logistic regression has the known curvature Xᵀ W X + I at the mode") {
  const ed::Index n = 60, d = 2;
  const auto in = ed::test::random_inputs({{n, d}, {n, 1}}, 43);
  const Matrix& X = in[0];
  const Matrix labels = (in[1].array() > 0.3 * X.col(0).array()).cast<double>().matrix();
  const ed::Normal w(Matrix::Zero(d, 1), 1.0);
  const ed::Bernoulli y(ed::matmul(X, w));
  const ed::Normal qw(ed::variable(Matrix::Zero(d, 1), "qw/loc"),
                      ed::exp(ed::variable(Matrix::Zero(d, 1), "qw/log_scale")));
  ed::LaplaceApproximation inference({{w, qw}}, {{y, labels}});
  inference.initialize({.n_iter = 100});
  inference.run();
  const Matrix mode = ed::eval(qw.mean());
  const Eigen::ArrayXd p = (1.0 / (1.0 + (-(X * mode).array()).exp()));
  const Matrix curvature =
      X.transpose() * (p * (1.0 - p)).matrix().asDiagonal() * X + Matrix::Identity(d, d);
  CHECK(ed::test::all_close(inference.hessian(), curvature, 1e-6, 1e-7));
  // The mode is where the gradient vanishes: Xᵀ(y − p) = w.
  CHECK(ed::test::all_close(X.transpose() * (labels.array() - p).matrix(), mode, 1e-6, 1e-8));
  CHECK(
      ed::test::all_close(ed::eval(qw.stddev()), curvature.inverse().diagonal().cwiseSqrt(), 1e-5));
}

TEST_CASE("Laplace names an approximation it cannot use") {
  const ed::Normal w(0.0, 1.0);
  const ed::Normal y(w * Matrix::Ones(3, 1), 1.0);
  const ed::Gamma qg(1.0, 1.0);
  CHECK_THROWS_WITH_AS(
      ed::LaplaceApproximation({{w, qg}}, {{y, Matrix::Ones(3, 1)}}).initialize(),
      "LaplaceApproximation: the approximation Gamma [1, 1] of latent Normal [1, 1] must be a "
      "Normal or a MultivariateNormalTriL",
      ed::invalid_argument);
  const ed::Normal fixed_loc(0.0, 1.0);
  CHECK_THROWS_WITH_AS(
      ed::LaplaceApproximation({{w, fixed_loc}}, {{y, Matrix::Ones(3, 1)}}).initialize(),
      doctest::Contains("must be a variable (it holds the mode)"), ed::invalid_argument);
}

TEST_CASE("Laplace starts its mode search at options.init, on the latent's unconstrained scale") {
  const ed::Gamma rate(2.0, 1.0);
  const ed::Poisson x(rate * Matrix::Ones(4, 1));
  const Tensor loc = ed::variable(Matrix::Zero(1, 1), "q/loc");
  const ed::Normal q(loc, ed::exp(ed::variable(Matrix::Zero(1, 1), "q/log_scale")));
  ed::LaplaceApproximation inference({{rate, q}}, {{x, Matrix::Constant(4, 1, 3.0)}});
  inference.initialize({.n_iter = 0, .init = {{rate, Matrix::Constant(1, 1, 4.0)}}});
  CHECK(loc.value()(0, 0) == doctest::Approx(std::log(4.0)));
  // From there, the mode of log p(log rate | x): Gamma(2 + 12, 1 + 4) on the log scale has its
  // mode at log(14 / 5) (the Jacobian adds one to the shape).
  inference.initialize({.n_iter = 50, .init = {{rate, Matrix::Constant(1, 1, 4.0)}}});
  inference.run();
  CHECK(loc.value()(0, 0) == doctest::Approx(std::log(14.0 / 5.0)).epsilon(1e-6));
}
