// Families on matrices and their supports: MultivariateNormalPrecision, MultivariateStudentT,
// Wishart, InverseWishart and LKJCholesky against scipy's values (computed once with
// scipy.stats 1.10 and written here) and closed forms; gradients by finite differences; draws
// by moments and KS tests of known marginals; the positive-definite and correlation-factor
// bijectors by round trips, their log-Jacobians against numerical Jacobians, and NUTS through
// them.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <boost/math/distributions.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "tests/support/gradient_check.hpp"

using ed::Index;
using ed::Matrix;
using ed::Tensor;
namespace bm = boost::math;

namespace {

// S and X, both symmetric positive definite, as in the scipy computations.
Matrix scale_s() {
  return (Matrix(3, 3) << 2.0, 0.3, -0.4, 0.3, 1.0, 0.2, -0.4, 0.2, 0.8).finished();
}
Matrix value_x() {
  return (Matrix(3, 3) << 1.5, -0.2, 0.1, -0.2, 2.0, 0.4, 0.1, 0.4, 1.2).finished();
}
// A Aᵀ + I: symmetric positive definite for any A, so finite differences stay inside the set.
Tensor spd_of(const Tensor& a) {
  return ed::tcrossprod(a) + Tensor(Matrix(Matrix::Identity(3, 3)));
}

// The KS distance of sorted draws from a CDF; below 1.95/√n at α = 0.001.
double ks_distance(std::vector<double> xs, const std::function<double(double)>& cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = double(xs.size());
  double d = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, std::abs(f - double(i) / n), std::abs(f - double(i + 1) / n)});
  }
  return d;
}

// n draws of a matrix-valued variable, one session run each.
std::vector<Matrix> draw_matrices(const ed::RandomVariable& rv, int n, std::uint64_t seed) {
  ed::Session session(seed);
  std::vector<Matrix> out;
  for (int t = 0; t < n; ++t) out.push_back(session.run({rv})[0]);
  return out;
}

// log |det| of the Jacobian of `f` (free numbers → the free numbers of its value) at u, by
// central differences.
double numerical_log_det(const std::function<Eigen::VectorXd(const Matrix&)>& f, const Matrix& u) {
  const Index m = u.cols();
  Matrix jacobian(m, m);
  for (Index k = 0; k < m; ++k) {
    const double h = 1e-6;
    Matrix up = u, down = u;
    up(0, k) += h;
    down(0, k) -= h;
    jacobian.col(k) = (f(up) - f(down)) / (2 * h);
  }
  return std::log(std::abs(jacobian.determinant()));
}

}  // namespace

TEST_CASE("MultivariateNormalPrecision and MultivariateStudentT match scipy, with gradients") {
  const Matrix loc = (Matrix(1, 3) << 0.5, -1.0, 0.2).finished();
  // scipy: multivariate_normal(loc, inv(X)).logpdf([0.1, 0.2, 0.3])
  const Matrix x1 = (Matrix(1, 3) << 0.1, 0.2, 0.3).finished();
  CHECK(ed::eval(ed::MultivariateNormalPrecision(loc, value_x()).log_prob(x1))(0, 0) ==
        doctest::Approx(-3.869504016618607).epsilon(1e-12));
  // scipy: multivariate_t(loc, shape=S, df).logpdf(x)
  const Matrix xs = (Matrix(2, 3) << 0.1, 0.2, 0.3, 2.0, -3.0, 1.0).finished();
  const Matrix l = scale_s().llt().matrixL();
  const Matrix lp25 = ed::eval(ed::MultivariateStudentT(2.5, loc, l).log_prob(xs));
  const Matrix lp9 = ed::eval(ed::MultivariateStudentT(9.0, loc, l).log_prob(xs));
  CHECK(lp25(0, 0) == doctest::Approx(-4.182178111526165).epsilon(1e-12));
  CHECK(lp25(1, 0) == doctest::Approx(-7.220216745542958).epsilon(1e-12));
  CHECK(lp9(0, 0) == doctest::Approx(-3.93769251575487).epsilon(1e-12));
  CHECK(lp9(1, 0) == doctest::Approx(-7.514640905338849).epsilon(1e-12));
  // Gradients: the precision through A Aᵀ + I, the t in df, loc and the factor.
  const Matrix a = ed::test::random_inputs({{3, 3}}, 11, -1.0, 1.0)[0];
  CHECK(ed::test::check_gradient(
      [&](auto& t) { return ed::MultivariateNormalPrecision(t[1], spd_of(t[0])).log_prob(xs); },
      {a, loc}, {}, "MultivariateNormalPrecision"));
  CHECK(ed::test::check_gradient(
      [&](auto& t) {
        return ed::MultivariateStudentT(t[0], t[1], ed::cholesky(spd_of(t[2]))).log_prob(xs);
      },
      {Matrix::Constant(1, 1, 3.5), loc, a}, {}, "MultivariateStudentT"));
  // A df per row, and shapes named.
  const Matrix dfs = (Matrix(2, 1) << 2.5, 9.0).finished();
  const Matrix both = ed::eval(ed::MultivariateStudentT(dfs, loc, l).log_prob(xs));
  CHECK(both(0, 0) == doctest::Approx(lp25(0, 0)).epsilon(1e-14));
  CHECK(both(1, 0) == doctest::Approx(lp9(1, 0)).epsilon(1e-14));
  CHECK_THROWS_WITH_AS(ed::MultivariateStudentT(Matrix::Ones(1, 3), loc, l),
                       doctest::Contains("df must be 1×1 or one per row"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::MultivariateNormalPrecision(loc, Matrix::Identity(2, 2)),
                       doctest::Contains("MultivariateNormalPrecision: loc [1, 3] and precision"),
                       ed::invalid_argument);
}

TEST_CASE("MultivariateNormalPrecision and MultivariateStudentT draws: covariances and marginals") {
  const Index n = 40000;
  const Matrix precision = value_x();
  const Matrix cov = precision.inverse();
  const ed::MultivariateNormalPrecision mvn(Matrix::Zero(n, 3), precision);
  ed::Session session(31);
  const Matrix draws = session.run({mvn})[0];
  const Matrix sample_cov = draws.transpose() * draws / double(n);
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 3; ++j) {
      const double se = std::sqrt((cov(i, i) * cov(j, j) + cov(i, j) * cov(i, j)) / n);
      CHECK(std::abs(sample_cov(i, j) - cov(i, j)) < 5 * se);
    }
  }
  CHECK(ed::test::all_close(ed::eval(mvn.variance()).row(0), Matrix(cov.diagonal().transpose()),
                            1e-12));
  // The t's first coordinate is μ₀ + √S₀₀ · t_ν: a KS test; the variances ν/(ν − 2) diag S.
  const Matrix l = scale_s().llt().matrixL();
  const double nu = 6.0;
  const ed::MultivariateStudentT t(nu, Matrix::Constant(n, 3, 0.5), l);
  const Matrix t_draws = session.run({t})[0];
  const double s00 = std::sqrt(scale_s()(0, 0));
  const bm::students_t student(nu);
  std::vector<double> first(t_draws.data(), t_draws.data() + n);
  CHECK(ks_distance(first, [&](double v) { return bm::cdf(student, (v - 0.5) / s00); }) <
        1.95 / std::sqrt(double(n)));
  CHECK(ed::eval(t.variance())(0, 1) == doctest::Approx(nu / (nu - 2.0) * 1.0).epsilon(1e-12));
  CHECK(std::isnan(ed::eval(ed::MultivariateStudentT(0.8, Matrix::Zero(1, 3), l).mean())(0, 0)));
}

TEST_CASE("Wishart and InverseWishart match scipy, with gradients in X, S and df") {
  // scipy: wishart(df, S).logpdf(X), invwishart(df, S).logpdf(X)
  const std::vector<std::array<double, 3>> expected = {
      {3.5, -8.515955258788235, -10.790471569192832},
      {7.0, -12.613027989964607, -18.28783555267777}};
  for (const auto& [nu, wishart, inverse] : expected) {
    CAPTURE(nu);
    CHECK(ed::eval(ed::Wishart(nu, scale_s()).log_prob(value_x()))(0, 0) ==
          doctest::Approx(wishart).epsilon(1e-12));
    CHECK(ed::eval(ed::InverseWishart(nu, scale_s()).log_prob(value_x()))(0, 0) ==
          doctest::Approx(inverse).epsilon(1e-12));
  }
  const auto in = ed::test::random_inputs({{3, 3}, {3, 3}}, 12, -1.0, 1.0);
  CHECK(ed::test::check_gradient(
      [](auto& t) { return ed::Wishart(t[2], spd_of(t[1])).log_prob(spd_of(t[0])); },
      {in[0], in[1], Matrix::Constant(1, 1, 4.3)}, {}, "Wishart"));
  CHECK(ed::test::check_gradient(
      [](auto& t) { return ed::InverseWishart(t[2], spd_of(t[1])).log_prob(spd_of(t[0])); },
      {in[0], in[1], Matrix::Constant(1, 1, 4.3)}, {}, "InverseWishart"));
  // Misuse, named: a value that is not positive definite, df ≤ d − 1, shapes.
  Matrix not_pd = value_x();
  not_pd(2, 2) = -1.0;
  CHECK_THROWS_WITH_AS(ed::eval(ed::Wishart(4.0, scale_s()).log_prob(not_pd)),
                       doctest::Contains("Wishart: value[2, 2] is -1, but must be such that the "
                                         "matrix is positive definite"),
                       ed::invalid_argument);
  Matrix asymmetric = value_x();
  asymmetric(1, 0) = 0.5;
  CHECK_THROWS_WITH_AS(ed::eval(ed::InverseWishart(4.0, scale_s()).log_prob(asymmetric)),
                       doctest::Contains("value[1, 0] is 0.5, but must be equal to element [0, 1]"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(ed::Wishart(1.5, scale_s()).log_prob(value_x())),
                       "Wishart: df - (d - 1)[0, 0] is -0.5, but must be positive",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::Wishart(4.0, Matrix::Identity(2, 3)),
                       doctest::Contains("Wishart: scale must be a square matrix"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::Wishart(4.0, scale_s(), Matrix::Identity(2, 2)),
                       doctest::Contains("the value [2, 2] must have scale's shape [3, 3]"),
                       ed::invalid_argument);
}

TEST_CASE("Wishart and InverseWishart draws: means and the diagonal's chi-squared laws") {
  const int n = 20000;
  const Matrix s = scale_s();
  // Wishart(ν, S): E X = νS, Var X_ij = ν(S_ij² + S_ii S_jj); X₀₀/S₀₀ ~ χ²(ν).
  const double nu = 5.5;
  const std::vector<Matrix> w = draw_matrices(ed::Wishart(nu, s), n, 41);
  Matrix mean = Matrix::Zero(3, 3);
  for (const Matrix& x : w) mean += x / n;
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 3; ++j) {
      const double se = std::sqrt(nu * (s(i, j) * s(i, j) + s(i, i) * s(j, j)) / n);
      CHECK(std::abs(mean(i, j) - nu * s(i, j)) < 5 * se);
    }
  }
  CHECK(w[0].isApprox(w[0].transpose(), 1e-14));
  std::vector<double> diagonal;
  for (const Matrix& x : w) diagonal.push_back(x(1, 1) / s(1, 1));
  CHECK(ks_distance(diagonal, [&](double v) { return bm::cdf(bm::chi_squared(nu), v); }) <
        1.95 / std::sqrt(double(n)));
  // InverseWishart(ν, S): E X = S/(ν − d − 1); X₀₀ ~ InvGamma((ν − d + 1)/2, S₀₀/2).
  const double nu_inv = 9.0;
  const ed::InverseWishart inv(nu_inv, s);
  const std::vector<Matrix> iw = draw_matrices(inv, n, 42);
  Matrix inv_mean = Matrix::Zero(3, 3);
  for (const Matrix& x : iw) inv_mean += x / n;
  const Matrix var = ed::eval(inv.variance());
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 3; ++j) {
      CHECK(std::abs(inv_mean(i, j) - s(i, j) / (nu_inv - 4.0)) < 5 * std::sqrt(var(i, j) / n));
    }
  }
  std::vector<double> first;
  for (const Matrix& x : iw) first.push_back(x(0, 0));
  const bm::inverse_gamma_distribution<> marginal(0.5 * (nu_inv - 2.0), 0.5 * s(0, 0));
  CHECK(ks_distance(first, [&](double v) { return bm::cdf(marginal, v); }) <
        1.95 / std::sqrt(double(n)));
  CHECK(ed::test::all_close(ed::eval(inv.mean()), Matrix(s / (nu_inv - 4.0)), 1e-14));
}

TEST_CASE("LKJCholesky: normalised density, onion draws with Beta marginals, misuse named") {
  // d = 2: L = [[1, 0], [r, √(1 − r²)]] and r ~ 2·Beta(η, η) − 1, density (1 − r²)^(η−1) /
  // (2^(2η−1) B(η, η)).
  for (double eta : {0.5, 1.0, 3.7}) {
    CAPTURE(eta);
    const double r = 0.35;
    const Matrix l = (Matrix(2, 2) << 1.0, 0.0, r, std::sqrt(1 - r * r)).finished();
    const double expected = (eta - 1) * std::log(1 - r * r) - (2 * eta - 1) * std::log(2.0) -
                            std::log(bm::beta(eta, eta));
    CHECK(ed::eval(ed::LKJCholesky(2, eta).log_prob(l))(0, 0) ==
          doctest::Approx(expected).epsilon(1e-12));
  }
  // d = 3, η = 1: uniform over correlation matrices, whose volume is π²/2; in L's coordinates
  // the density is L₁₁ / (π²/2) (the Jacobian of Ω's entries), so at L = I it is 2/π².
  CHECK(ed::eval(ed::LKJCholesky(3, 1.0).log_prob(Matrix::Identity(3, 3)))(0, 0) ==
        doctest::Approx(std::log(2.0 / (std::numbers::pi * std::numbers::pi))).epsilon(1e-13));
  // Gradient in η.
  const Matrix l3 = ed::eval(ed::LKJCholesky(3, 2.0).distribution().sample());
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::LKJCholesky(3, t[0]).log_prob(l3); },
                                 {Matrix::Constant(1, 1, 1.7)}, {}, "LKJCholesky"));
  // Draws (d = 4, η = 1.5): every correlation Ω_ij is 2·Beta(a, a) − 1, a = η − 1 + d/2.
  const int n = 6000;
  const double eta = 1.5, a = eta - 1 + 2.0;
  const std::vector<Matrix> ls = draw_matrices(ed::LKJCholesky(4, eta), n, 51);
  CHECK(ed::Support::cholesky_correlation().set().contains_all(ls[0]));
  const bm::beta_distribution<> marginal(a, a);
  for (Index i = 1; i < 4; ++i) {
    for (Index j = 0; j < i; ++j) {
      CAPTURE(i);
      CAPTURE(j);
      std::vector<double> r;
      for (const Matrix& l : ls) r.push_back((l * l.transpose())(i, j));
      CHECK(ks_distance(r, [&](double v) { return bm::cdf(marginal, 0.5 * (v + 1)); }) <
            1.95 / std::sqrt(double(n)));
    }
  }
  // Misuse.
  CHECK_THROWS_WITH_AS(ed::LKJCholesky(1, 1.0), doctest::Contains("dim must be at least 2"),
                       ed::invalid_argument);
  Matrix long_row = Matrix::Identity(3, 3);
  long_row(2, 0) = 0.5;
  CHECK_THROWS_WITH_AS(ed::eval(ed::LKJCholesky(3, 1.0).log_prob(long_row)),
                       doctest::Contains("LKJCholesky: value[2, 2] is 1, but must be positive, "
                                         "with row 2 of unit length"),
                       ed::invalid_argument);
}

TEST_CASE("the matrix bijectors: round trips, exact log-Jacobians, gradients") {
  const Matrix u6 = ed::test::random_inputs({{1, 6}}, 61, -1.5, 1.5)[0];
  // Positive definite (d = 3, six free numbers): the free numbers of X are its lower triangle.
  const ed::Support pd = ed::Support::positive_definite();
  CHECK(ed::unconstrained_shape(pd, {3, 3}) == ed::Shape{1, 6});
  const Matrix x = ed::eval(ed::constrain(pd, u6));
  CHECK(pd.set().contains_all(x));
  CHECK(ed::test::all_close(ed::unconstrain(pd, x), u6, 1e-12, 1e-13));
  auto lower_of = [&](const Matrix& u) {
    const Matrix v = ed::eval(ed::constrain(pd, u));
    Eigen::VectorXd free(6);
    Index k = 0;
    for (Index i = 0; i < 3; ++i)
      for (Index j = 0; j <= i; ++j) free(k++) = v(i, j);
    return free;
  };
  CHECK(ed::eval(ed::log_det_jacobian(pd, u6))(0, 0) ==
        doctest::Approx(numerical_log_det(lower_of, u6)).epsilon(1e-7));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::constrain(pd, t[0]); }, {u6}, {},
                                 "positive_definite bijector"));
  // Correlation factor (d = 4, six free numbers): its free numbers are the entries below the
  // diagonal.
  const ed::Support corr = ed::Support::cholesky_correlation();
  CHECK(ed::unconstrained_shape(corr, {4, 4}) == ed::Shape{1, 6});
  const Matrix l = ed::eval(ed::constrain(corr, u6));
  CHECK(corr.set().contains_all(l));
  CHECK(ed::test::all_close(ed::unconstrain(corr, l), u6, 1e-10, 1e-12));
  auto below_of = [&](const Matrix& u) {
    const Matrix v = ed::eval(ed::constrain(corr, u));
    Eigen::VectorXd free(6);
    Index k = 0;
    for (Index i = 1; i < 4; ++i)
      for (Index j = 0; j < i; ++j) free(k++) = v(i, j);
    return free;
  };
  CHECK(ed::eval(ed::log_det_jacobian(corr, u6))(0, 0) ==
        doctest::Approx(numerical_log_det(below_of, u6)).epsilon(1e-7));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::constrain(corr, t[0]); }, {u6}, {},
                                 "cholesky_correlation bijector"));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::log_det_jacobian(corr, t[0]); }, {u6},
                                 {}, "cholesky_correlation log-Jacobian"));
  // Far out (|u| = 30, tanh = ±1 to double precision) the log-Jacobian stays finite.
  CHECK(std::isfinite(
      ed::eval(ed::log_det_jacobian(corr, Matrix(Matrix::Constant(1, 6, 30.0))))(0, 0)));
}

TEST_CASE("NUTS samples an LKJ prior and a Wishart prior through their bijectors") {
  // LKJCholesky(3, η = 2) alone: each correlation is 2·Beta(2.5, 2.5) − 1, mean 0 and
  // E r² = 1/(2a + 1) = 1/6.
  const ed::LKJCholesky l(3, 2.0);
  ed::NUTS nuts({l});
  nuts.initialize({.n_iter = 2000, .n_warmup = 1000, .chains = 2, .seed = 7});
  nuts.run();
  // Ω₂₁ = L₂₀L₁₀ + L₂₁L₁₁ from the column-major draws (L_ij at i + 3j).
  Matrix r(2000, 2), r2(2000, 2);
  for (int c = 0; c < 2; ++c) {
    const Matrix d = nuts.draws(l, c);
    for (Index t = 0; t < d.rows(); ++t) {
      r(t, c) = d(t, 2) * d(t, 1) + d(t, 5) * d(t, 4);
      r2(t, c) = r(t, c) * r(t, c);
    }
  }
  CHECK(std::abs(r.mean()) < 4 * ed::mcse_mean(r));
  CHECK(std::abs(r2.mean() - 1.0 / 6.0) < 4 * ed::mcse_mean(r2));
  // Wishart(5, S) alone: E X = 5S, each entry within its Monte Carlo error.
  const ed::Wishart w(5.0, scale_s());
  ed::NUTS nuts_w({w});
  nuts_w.initialize({.n_iter = 2000, .n_warmup = 1000, .chains = 2, .seed = 8});
  nuts_w.run();
  for (Index k = 0; k < 9; ++k) {
    CAPTURE(k);
    const Matrix draws = nuts_w.draws_by_chain(w, k);
    CHECK(std::abs(draws.mean() - 5.0 * scale_s()(k % 3, k / 3)) < 4 * ed::mcse_mean(draws));
  }
}
