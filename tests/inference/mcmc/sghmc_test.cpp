// SGHMC: a Bayesian linear regression's posterior within Monte Carlo error at a small step, and
// the step-size bias at a large one against the exact stationary variance of its recursion.
#include <doctest/doctest.h>

#include <Eigen/LU>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

using ed::Matrix;

namespace {
bool within_mcse(const Matrix& by_chain, double exact, double z = 4.0) {
  const double mean = by_chain.mean(), mcse = ed::mcse_mean(by_chain);
  MESSAGE("mean " << mean << " ± " << mcse << ", exact " << exact);
  return std::abs(mean - exact) < z * mcse;
}
}  // namespace

TEST_CASE("SGHMC recovers a Bayesian linear regression's posterior at a small step") {
  const Matrix X = (Matrix(10, 2) << 1, -1.2, 1, -0.8, 1, -0.5, 1, -0.1, 1, 0.2, 1, 0.4, 1, 0.7, 1,
                    1.0, 1, 1.3, 1, 1.7)
                       .finished();
  const Matrix y_data =
      (Matrix(10, 1) << -0.9, -0.4, -0.3, 0.5, 0.6, 0.9, 1.4, 1.6, 2.3, 2.6).finished();
  ed::Normal w(Matrix::Zero(2, 1), 1.0);
  ed::Normal y(ed::matmul(X, w), 1.0);
  ed::SGHMC sghmc({w}, {{y, y_data}});
  sghmc.initialize({.n_iter = 40000,
                    .n_warmup = 2000,
                    .chains = 2,
                    .step_size = 0.1,
                    .friction = 0.5,
                    .seed = 4});
  sghmc.run();
  const Matrix precision = Matrix::Identity(2, 2) + X.transpose() * X;
  const Matrix covariance = precision.inverse();
  const Eigen::VectorXd mean = covariance * X.transpose() * y_data;
  for (int j = 0; j < 2; ++j) {
    const Matrix draws = sghmc.draws_by_chain(w, j);
    CHECK(within_mcse(draws, mean(j)));
    const double variance = (draws.array() - mean(j)).square().mean();
    // η λ_max / f ≈ 0.02 here: the variance is within a few percent of the posterior's.
    CHECK(variance == doctest::Approx(covariance(j, j)).epsilon(0.1).scale(0));
  }
  CHECK(sghmc.acceptance_rate() == 1.0);
}

TEST_CASE("SGHMC's bias at a large step: the exact stationary variance of the recursion") {
  // log p(u) = −λu²/2 + const (a normal mean with 40 unit-variance observations, λ = 41):
  // u ← u + v, v ← a v − ηλu + N(0, ηf), a = 1 − f/2, has the stationary variance
  //   s = ηf / −(η²λ² + (ηλa + a² − 1)·c),  c = 2ηλ / (a + 1 + ηλ),
  // which tends to 1/λ as η → 0 and exceeds it by about 1/(1 − 2ηλ/f) at larger steps.
  const double lambda = 41.0, f = 0.5, step_size = 0.2, eta = step_size / 100;
  ed::Normal mu(0.0, 1.0);
  ed::Normal x(mu + Matrix::Zero(40, 1), 1.0);
  ed::SGHMC sghmc({mu}, {{x, Matrix::Zero(40, 1)}});
  sghmc.initialize({.n_iter = 60000,
                    .n_warmup = 1000,
                    .chains = 2,
                    .step_size = step_size,
                    .friction = f,
                    .seed = 6});
  sghmc.run();
  const double a = 1 - f / 2, c = 2 * eta * lambda / (a + 1 + eta * lambda);
  const double exact =
      eta * f / -(eta * eta * lambda * lambda + (eta * lambda * a + a * a - 1) * c);
  const Matrix draws = sghmc.draws(mu);
  const double variance = draws.array().square().mean();
  MESSAGE("variance " << variance << ", recursion " << exact << ", posterior " << 1 / lambda);
  CHECK(exact > 1.25 / lambda);  // the bias is real at this step …
  CHECK(variance == doctest::Approx(exact).epsilon(0.06).scale(0));  // … and it is the recursion's
}

TEST_CASE("SGHMC refuses a step size or friction out of range") {
  ed::Normal mu(0.0, 1.0);
  ed::SGHMC sghmc({mu});
  CHECK_THROWS_WITH_AS(sghmc.initialize({.step_size = 0.0}), doctest::Contains("step_size"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(sghmc.initialize({.friction = 2.5}),
                       doctest::Contains("friction must be in (0, 2)"), ed::invalid_argument);
}
