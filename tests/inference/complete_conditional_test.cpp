// complete_conditional against the textbook conjugate updates, and its errors.
#include <doctest/doctest.h>

#include <Eigen/LU>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

namespace {

using ed::Matrix;

Matrix evaluate(const ed::Tensor& t, const ed::Swap& swap) { return ed::eval(ed::copy(t, swap)); }

double value_of(const ed::Tensor& t, const ed::Swap& swap) { return evaluate(t, swap)(0, 0); }

Matrix column(std::initializer_list<double> values) {
  Matrix m(static_cast<ed::Index>(values.size()), 1);
  ed::Index i = 0;
  for (double v : values) m(i++, 0) = v;
  return m;
}

const Matrix kData = column({1.2, -0.3, 2.5, 0.8, 1.9, 0.1, 1.4, 2.2});

}  // namespace

TEST_CASE("a Normal mean with known scale: precision-weighted average") {
  const double m0 = 0.5, s0 = 2.0, sigma = 0.7;
  const ed::Index n = kData.rows();
  ed::Normal mu(m0, s0);
  ed::Normal x(mu + Matrix::Zero(n, 1), sigma);
  const ed::RandomVariable cond = ed::complete_conditional(mu);
  CHECK(cond.distribution().name() == "Normal");
  const double precision = 1 / (s0 * s0) + n / (sigma * sigma);
  const double mean = (m0 / (s0 * s0) + kData.sum() / (sigma * sigma)) / precision;
  CHECK(value_of(cond.mean(), {{x, kData}}) == doctest::Approx(mean).epsilon(1e-10));
  CHECK(value_of(cond.stddev(), {{x, kData}}) ==
        doctest::Approx(1 / std::sqrt(precision)).epsilon(1e-10));
}

TEST_CASE("a Normal mean and a Gamma precision: each conditional given the other") {
  const double a0 = 2.0, b0 = 1.5, m0 = 0.0, kappa0 = 0.5;
  const ed::Index n = kData.rows();
  ed::Gamma tau(a0, b0);
  ed::Normal mu(m0, 1.0 / ed::sqrt(kappa0 * tau));  // the Normal–Gamma prior
  ed::Normal x(mu + Matrix::Zero(n, 1), ed::pow(tau, -0.5));
  const ed::RandomVariable tau_given = ed::complete_conditional(tau);
  const ed::RandomVariable mu_given = ed::complete_conditional(mu);
  CHECK(tau_given.distribution().name() == "Gamma");
  const double mu_value = 0.9, tau_value = 1.7;
  const ed::Swap at{
      {x, kData}, {mu, Matrix::Constant(1, 1, mu_value)}, {tau, Matrix::Constant(1, 1, tau_value)}};
  // τ | μ, x: Gamma(a0 + (n + 1)/2, b0 + (κ0 (μ − m0)² + Σ(x − μ)²)/2).
  const double ss = (kData.array() - mu_value).square().sum();
  const double a = a0 + (n + 1) / 2.0, b = b0 + (kappa0 * std::pow(mu_value - m0, 2) + ss) / 2;
  const std::vector<ed::Tensor> gamma_params = tau_given.params();
  CHECK(value_of(gamma_params[0], at) == doctest::Approx(a).epsilon(1e-9));
  CHECK(value_of(gamma_params[1], at) == doctest::Approx(b).epsilon(1e-9));
  // μ | τ, x: Normal with precision τ(κ0 + n) and mean (κ0 m0 + Σx)/(κ0 + n).
  CHECK(value_of(mu_given.mean(), at) ==
        doctest::Approx((kappa0 * m0 + kData.sum()) / (kappa0 + n)).epsilon(1e-9));
  CHECK(value_of(mu_given.stddev(), at) ==
        doctest::Approx(1 / std::sqrt(tau_value * (kappa0 + n))).epsilon(1e-9));
}

TEST_CASE("an InverseGamma variance; a Gamma rate of Poisson, Gamma and Exponential data") {
  const ed::Index n = kData.rows();
  {
    ed::InverseGamma variance(3.0, 2.0);
    ed::Normal x(Matrix::Constant(n, 1, 1.0), ed::sqrt(variance));
    const auto p = ed::complete_conditional(variance).params();
    const double ss = (kData.array() - 1.0).square().sum();
    CHECK(value_of(p[0], {{x, kData}}) == doctest::Approx(3.0 + n / 2.0).epsilon(1e-9));
    CHECK(value_of(p[1], {{x, kData}}) == doctest::Approx(2.0 + ss / 2).epsilon(1e-9));
  }
  const Matrix counts = column({3, 0, 2, 5, 1, 4});
  {
    ed::Gamma rate(2.0, 0.5);
    ed::Poisson x(rate + Matrix::Zero(6, 1));
    const auto p = ed::complete_conditional(rate).params();
    CHECK(value_of(p[0], {{x, counts}}) == doctest::Approx(2.0 + counts.sum()).epsilon(1e-9));
    CHECK(value_of(p[1], {{x, counts}}) == doctest::Approx(0.5 + 6).epsilon(1e-9));
  }
  {
    // A Gamma prior on the rate of Gamma data with known shape 2: Gamma(α0 + 2n, β0 + Σx).
    ed::Gamma beta(3.0, 1.0);
    const Matrix times = kData.cwiseAbs();
    ed::Gamma x(Matrix::Constant(n, 1, 2.0), beta + Matrix::Zero(n, 1));
    const auto p = ed::complete_conditional(beta).params();
    CHECK(value_of(p[0], {{x, times}}) == doctest::Approx(3.0 + 2.0 * n).epsilon(1e-9));
    CHECK(value_of(p[1], {{x, times}}) == doctest::Approx(1.0 + times.sum()).epsilon(1e-9));
  }
  {
    ed::Exponential rate(1.5);  // an Exponential prior is a Gamma with concentration 1
    const Matrix times = kData.cwiseAbs();
    ed::Exponential x(rate + Matrix::Zero(n, 1));
    const ed::RandomVariable cond = ed::complete_conditional(rate);
    CHECK(cond.distribution().name() == "Gamma");
    CHECK(value_of(cond.params()[0], {{x, times}}) == doctest::Approx(1.0 + n).epsilon(1e-9));
    CHECK(value_of(cond.params()[1], {{x, times}}) ==
          doctest::Approx(1.5 + times.sum()).epsilon(1e-9));
  }
}

TEST_CASE(
    "Beta with Bernoulli and Binomial data; Dirichlet with Categorical and Multinomial data") {
  const Matrix flips = column({1, 0, 1, 1, 0, 1, 1});
  {
    ed::Beta p(2.0, 3.0);
    ed::Bernoulli x = ed::Bernoulli::from_probs(p + Matrix::Zero(7, 1));
    const auto params = ed::complete_conditional(p).params();
    CHECK(value_of(params[0], {{x, flips}}) == doctest::Approx(2.0 + 5).epsilon(1e-9));
    CHECK(value_of(params[1], {{x, flips}}) == doctest::Approx(3.0 + 2).epsilon(1e-9));
  }
  {
    ed::Beta p(1.0, 1.0);
    const Matrix successes = column({3, 7, 5});
    ed::Binomial x = ed::Binomial::from_probs(Matrix::Constant(3, 1, 10.0), p + Matrix::Zero(3, 1));
    const auto params = ed::complete_conditional(p).params();
    CHECK(value_of(params[0], {{x, successes}}) == doctest::Approx(1.0 + 15).epsilon(1e-9));
    CHECK(value_of(params[1], {{x, successes}}) == doctest::Approx(1.0 + 15).epsilon(1e-9));
  }
  {
    Matrix alpha(1, 3);
    alpha << 1.0, 2.0, 0.5;
    ed::Dirichlet theta(alpha);
    const Matrix labels = column({0, 2, 2, 1, 2, 0, 2});
    ed::Categorical x = ed::Categorical::from_probs(ed::matmul(Matrix::Ones(7, 1), theta));
    const ed::RandomVariable cond = ed::complete_conditional(theta);
    CHECK(cond.distribution().name() == "Dirichlet");
    Matrix expected(1, 3);
    expected << 1.0 + 2, 2.0 + 1, 0.5 + 4;
    CHECK((evaluate(cond.params()[0], {{x, labels}}) - expected).norm() < 1e-8);
    // Multinomial counts: Dirichlet(α + Σ counts).
    const Matrix counts = (Matrix(2, 3) << 3, 0, 2, 1, 4, 0).finished();
    ed::Multinomial y = ed::Multinomial::from_probs(Matrix::Constant(2, 1, 5.0),
                                                    ed::matmul(Matrix::Ones(2, 1), theta));
    Matrix with_counts(1, 3);
    with_counts << 1.0 + 4, 2.0 + 4, 0.5 + 2;
    CHECK((evaluate(ed::complete_conditional(theta, {y}).params()[0], {{y, counts}}) - with_counts)
              .norm() < 1e-8);
  }
}

TEST_CASE("regression coefficients: a multivariate normal over the coupled elements") {
  Matrix X(6, 2);
  X << 1, 0.5, 1, -1.2, 1, 0.3, 1, 2.0, 1, -0.4, 1, 1.1;
  const Matrix y = column({1.0, -0.8, 0.9, 2.9, 0.1, 2.2});
  const double s0 = 3.0, sigma = 0.5;
  ed::Normal w(Matrix::Zero(2, 1), s0);
  ed::Normal outcome(ed::matmul(X, w), sigma);
  const ed::RandomVariable cond = ed::complete_conditional(w);
  CHECK(cond.distribution().name() == "MultivariateNormalFullCovariance");
  const Matrix precision = Matrix::Identity(2, 2) / (s0 * s0) + X.transpose() * X / (sigma * sigma);
  const Matrix covariance = precision.inverse();
  const Matrix mean = covariance * X.transpose() * y / (sigma * sigma);
  CHECK((evaluate(cond.mean(), {{outcome, y}}) - mean.transpose()).norm() < 1e-9);
  CHECK((evaluate(cond.params()[1], {{outcome, y}}) - covariance).norm() < 1e-9);
}

TEST_CASE("assignments of a mixture and a Bernoulli switch: enumerated row by row") {
  Matrix means(3, 1);
  means << -2.0, 0.0, 3.0;
  Matrix log_weights(1, 3);
  log_weights << std::log(0.2), std::log(0.5), std::log(0.3);
  const Matrix x_data = column({-1.7, 2.6, 0.4, 3.3});
  ed::Categorical z(ed::matmul(Matrix::Ones(4, 1), log_weights));
  ed::Normal x(ed::gather_rows(means, z), 1.0);
  const ed::RandomVariable cond = ed::complete_conditional(z);
  CHECK(cond.distribution().name() == "Categorical");
  const Matrix probs = evaluate(ed::softmax(cond.params()[0]), {{x, x_data}});
  for (ed::Index i = 0; i < 4; ++i) {
    Matrix expected(1, 3);
    for (ed::Index k = 0; k < 3; ++k) {
      expected(0, k) = std::exp(log_weights(0, k) - 0.5 * std::pow(x_data(i, 0) - means(k, 0), 2));
    }
    expected /= expected.sum();
    CHECK((probs.row(i) - expected).norm() < 1e-12);
  }
  // A Bernoulli switch between two means: logits + the log-likelihood ratio.
  ed::Bernoulli s(Matrix::Constant(4, 1, 0.3));
  ed::Normal y(s * 2.0 + (1.0 - s) * -1.0, 1.0);
  const Matrix logits = evaluate(ed::complete_conditional(s).params()[0], {{y, x_data}});
  for (ed::Index i = 0; i < 4; ++i) {
    const double expected =
        0.3 - 0.5 * std::pow(x_data(i, 0) - 2.0, 2) + 0.5 * std::pow(x_data(i, 0) + 1.0, 2);
    CHECK(logits(i, 0) == doctest::Approx(expected).epsilon(1e-12));
  }
}

TEST_CASE("complete_conditional names what it cannot do") {
  ed::Normal mu(0.0, 1.0);
  ed::Normal x(ed::exp(mu) + Matrix::Zero(8, 1), 1.0);
  const ed::RandomVariable cond = ed::complete_conditional(mu);
  using doctest::Contains;
  CHECK_THROWS_WITH_AS(evaluate(cond.mean(), {{x, kData}}),
                       Contains("its child Normal [8, 1] is not conjugate"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(evaluate(cond.mean(), {{x, kData}}), Contains("η₁·z + η₂·z²"),
                       ed::invalid_argument);

  ed::Cauchy c(0.0, 1.0);
  ed::Normal y(c, 1.0);
  CHECK_THROWS_WITH_AS(ed::complete_conditional(c), Contains("no conjugate update for a Cauchy"),
                       ed::invalid_argument);

  // A discrete latent whose children mix its rows.
  ed::Bernoulli s(Matrix::Zero(3, 1));
  ed::Normal total(ed::sum(s) + Matrix::Zero(3, 1), 1.0);
  CHECK_THROWS_WITH_AS(ed::complete_conditional(s), Contains("rows follow its rows"),
                       ed::invalid_argument);

  // Without children the conditional is the prior.
  ed::Gamma lonely(3.0, 2.0);
  const auto p = ed::complete_conditional(lonely).params();
  CHECK(value_of(p[0], {}) == doctest::Approx(3.0));
  CHECK(value_of(p[1], {}) == doctest::Approx(2.0));
}
