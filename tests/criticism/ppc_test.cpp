// Posterior predictive checks: uniform p-values when the model is right, extreme when wrong;
// discrepancies read the same draw as their replicate; the plots are written.
#include <doctest/doctest.h>

#include <Eigen/Cholesky>
#include <boost/math/distributions/normal.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

// The sample variance of x (n × 1), as a graph.
Tensor variance_of(const Tensor& x) { return ed::mean(ed::square(x - ed::mean(x))); }

// One data set of n points from N(μ_true, σ_true) and the p-value of the variance statistic
// under the model x ~ N(μ, 1), μ ~ N(0, 1), with q(μ) the exact posterior.
double variance_check(double sigma_true, ed::Rng& rng, std::uint64_t seed) {
  const ed::Index n = 20;
  boost::random::normal_distribution<double> normal;
  const double mu_true = normal(rng.engine());
  Matrix x_obs(n, 1);
  for (ed::Index i = 0; i < n; ++i) x_obs(i, 0) = mu_true + sigma_true * normal(rng.engine());
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix(Matrix::Ones(n, 1)), 1.0);
  const double post_mean = x_obs.sum() / (n + 1.0), post_sd = std::sqrt(1.0 / (n + 1.0));
  const ed::Normal qmu(post_mean, post_sd);
  const ed::RandomVariable x_post = ed::copy(x, {{mu, qmu}});
  return ed::ppc(variance_of, {{x_post, x_obs}}, {.n_samples = 400, .seed = seed}).p_value;
}

}  // namespace

TEST_CASE("ppc p-values are uniform for a well-specified model and extreme for a wrong one") {
  // With the noise scale known, the variance of a replicate does not depend on μ, so its
  // p-value is exactly uniform when the data come from the model: a KS test of 150 of them
  // (critical value at α = 0.001: 1.95 / √150 = 0.159; the p-values' grid of 1/400 adds < 0.003).
  ed::Rng rng(11);
  std::vector<double> p;
  for (int k = 0; k < 150; ++k)
    p.push_back(variance_check(1.0, rng, 100 + static_cast<std::uint64_t>(k)));
  std::sort(p.begin(), p.end());
  double ks = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double n = static_cast<double>(p.size());
    ks = std::max({ks, std::abs(static_cast<double>(i + 1) / n - p[i]),
                   std::abs(p[i] - static_cast<double>(i) / n)});
  }
  INFO("KS distance " << ks);
  CHECK(ks < 0.159);
  // Data three times as noisy as the model says: the check flags nearly every data set.
  double worst = 0.0;
  for (int k = 0; k < 20; ++k)
    worst = std::max(worst, variance_check(3.0, rng, 500 + static_cast<std::uint64_t>(k)));
  CHECK(worst < 0.01);
}

TEST_CASE("a discrepancy reads the latent draw its replicate came from") {
  // T(x, μ) = mean (x − μ)²: for a replicate drawn given μ_s it averages around 1; on the
  // observed data it changes with μ_s.
  ed::set_seed(5);
  const ed::Index n = 50;
  const Matrix x_obs = ed::test::random_inputs({{n, 1}}, 90, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix(Matrix::Ones(n, 1)), 1.0);
  const ed::Normal qmu(x_obs.sum() / (n + 1.0), std::sqrt(1.0 / (n + 1.0)));
  const ed::RandomVariable x_post = ed::copy(x, {{mu, qmu}});
  const ed::PpcResult check =
      ed::ppc([](const Tensor& data,
                 const std::vector<Tensor>& z) { return ed::mean(ed::square(data - z[0])); },
              {{x_post, x_obs}}, {{mu, qmu}}, 300);
  REQUIRE(check.replicated.size() == 300);
  CHECK(check.replicated.mean() == doctest::Approx(1.0).epsilon(0.05));
  CHECK(check.observed.maxCoeff() > check.observed.minCoeff());
  CHECK(
      check.p_value ==
      doctest::Approx((check.replicated.array() >= check.observed.array()).cast<double>().mean()));
  // The observed discrepancy at μ_s is (1/n) Σ (x_i − μ_s)²: check it for the draws' spread.
  const double xbar = x_obs.mean(), s2 = (x_obs.array() - xbar).square().mean();
  CHECK(check.observed.minCoeff() >= s2 - 1e-12);
}

TEST_CASE("ppc plots are written as PNG files, atomically, and misuse is named") {
  ed::set_seed(6);
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix(Matrix::Ones(30, 1)), 1.0);
  const Matrix x_obs = ed::test::random_inputs({{30, 1}}, 91, -2.0, 2.0)[0];
  const ed::Normal qmu(0.0, 0.2);
  const ed::RandomVariable x_post = ed::copy(x, {{mu, qmu}});
  const ed::PpcResult check =
      ed::ppc([](const Tensor& d) { return ed::mean(d); }, {{x_post, x_obs}});
  const auto dir = std::filesystem::temp_directory_path() / "edpp_ppc_plots";
  std::filesystem::create_directories(dir);
  const std::string hist = (dir / "stat.png").string(), dens = (dir / "density.png").string();
  ed::ppc_stat_hist_plot(check, hist, "mean");
  ed::ppc_density_plot(x_obs, ed::replicate(x_post, 20, 7), dens);
  for (const std::string& f : {hist, dens}) {
    CAPTURE(f);
    REQUIRE(std::filesystem::exists(f));
    CHECK(std::filesystem::file_size(f) > 1000);
  }
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir)) ++files;
  CHECK(files == 2);  // no temporaries left behind
  std::filesystem::remove_all(dir);
  CHECK_THROWS_WITH_AS(ed::ppc([](const Tensor& d) { return d; }, {{x_post, x_obs}}),
                       "ppc: the statistic must be 1 × 1, got [30, 1]", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::ppc([](const Tensor& d) { return ed::mean(d); }, {{x_post, x_obs}}, {.n_samples = 0}),
      "ppc: n_samples must be at least 1, got 0", ed::invalid_argument);
}

TEST_CASE("simulate runs a model forward with some random variables fixed") {
  // y ~ N(X w + b, σ) with w, b and σ fixed: the residuals are N(0, σ²).
  const ed::Index n = 4000;
  const auto X = ed::placeholder({ed::Dynamic, 2}, "X");
  const ed::Normal w(Matrix(Matrix::Zero(2, 1)), 1.0), b(0.0, 1.0);
  const ed::HalfNormal sigma(1.0);
  const ed::Normal y(ed::matmul(X, w) + b, sigma);
  const Matrix X_data = ed::test::random_inputs({{n, 2}}, 93)[0];
  const Matrix w_true = (Matrix(2, 1) << 1.5, -0.5).finished();
  const Matrix y_sim = ed::simulate(
      y, {{w, w_true}, {b, Matrix::Constant(1, 1, 0.3)}, {sigma, Matrix::Constant(1, 1, 0.2)}}, 12,
      {{X, X_data}});
  const Eigen::ArrayXd residual = (y_sim - X_data * w_true).array() - 0.3;
  CHECK(std::abs(residual.mean()) < 4 * 0.2 / std::sqrt(double(n)));
  CHECK(std::sqrt(residual.square().mean()) == doctest::Approx(0.2).epsilon(0.05));
  // The same seed gives the same data; an unfixed w is drawn from its prior each time.
  CHECK(ed::simulate(
            y,
            {{w, w_true}, {b, Matrix::Constant(1, 1, 0.3)}, {sigma, Matrix::Constant(1, 1, 0.2)}},
            12, {{X, X_data}}) == y_sim);
  const Matrix free_w = ed::simulate(
      y, {{b, Matrix::Zero(1, 1)}, {sigma, Matrix::Constant(1, 1, 1e-6)}}, 13, {{X, X_data}});
  const Matrix w_drawn = (X_data.transpose() * X_data).ldlt().solve(X_data.transpose() * free_w);
  CHECK((w_drawn - w_true).norm() > 1e-3);
  CHECK_THROWS_WITH_AS(ed::simulate(y, {{w, Matrix::Zero(3, 1)}}),
                       doctest::Contains("simulate: the value fixed for Normal"),
                       ed::invalid_argument);
}

TEST_CASE("replicates from Monte Carlo draws keep the latents' joint draws") {
  // x ~ N(a + b, 0.1) with a, b ~ N(0, 1): the data fix a + b, so a and b are strongly
  // anti-correlated in the posterior. Replicates made at joint draws spread like
  // √(0.1² + var(a + b)) ≈ 0.14; drawing a and b independently would spread them by ≈ 1.
  ed::set_seed(14);
  const ed::Normal a(0.0, 1.0), b(0.0, 1.0);
  const ed::Normal x((a + b) * Matrix(Matrix::Ones(1, 1)), 0.1);
  ed::NUTS nuts({a, b}, {{x, Matrix::Constant(1, 1, 1.0)}});
  nuts.initialize({.n_iter = 500, .n_warmup = 500, .chains = 2, .seed = 15});
  nuts.run();
  const std::vector<Matrix> reps = ed::replicate(nuts, x, 400, 16);
  REQUIRE(reps.size() == 400);
  Eigen::VectorXd v(400);
  for (int k = 0; k < 400; ++k) v(k) = reps[static_cast<std::size_t>(k)](0, 0);
  const double sd = std::sqrt((v.array() - v.mean()).square().sum() / 399.0);
  INFO("replicates: mean " << v.mean() << ", sd " << sd);
  CHECK(std::abs(v.mean() - 1.0) < 0.05);
  CHECK(sd == doctest::Approx(std::sqrt(0.01 + 0.01 / (1 + 0.01 / 2))).epsilon(0.25));
  CHECK_THROWS_WITH_AS(ed::replicate(x, {{a, Matrix::Zero(10, 2)}}, 5),
                       doctest::Contains("draws of Normal"), ed::invalid_argument);
}

TEST_CASE("ppc_of_replicates applies a statistic to replicates already drawn") {
  const auto mean_of = [](const Matrix& x) { return x.mean(); };
  const Matrix observed = (Matrix(3, 1) << 1, 2, 3).finished();
  const std::vector<Matrix> replicates = {Matrix::Constant(3, 1, 1.0), Matrix::Constant(3, 1, 2.0),
                                          Matrix::Constant(3, 1, 3.0)};
  const ed::PpcResult check = ed::ppc_of_replicates(mean_of, observed, replicates);
  CHECK(check.replicated == Eigen::Vector3d(1.0, 2.0, 3.0));
  CHECK(check.observed == Eigen::Vector3d::Constant(2.0));
  CHECK(check.p_value == doctest::Approx(2.0 / 3.0));  // 2 and 3 reach the observed 2
  CHECK_THROWS_WITH_AS(ed::ppc_of_replicates(mean_of, observed, {}),
                       "ppc_of_replicates: there are no replicates", ed::invalid_argument);
}
