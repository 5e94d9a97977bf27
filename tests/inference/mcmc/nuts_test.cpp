// NUTS against closed forms and a posteriordb reference, within Monte Carlo error.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <vector>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

double sd_of(const Matrix& x) {
  const double m = x.mean();
  return std::sqrt((x.array() - m).square().sum() / static_cast<double>(x.size() - 1));
}

}  // namespace

TEST_CASE("NUTS draws the normal-normal posterior on four chains, within Monte Carlo error") {
  ed::set_seed(2);
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 70, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  const ed::Empirical qmu(ed::variable(Matrix::Zero(4000, 1), "qmu"));
  ed::NUTS nuts({{mu, qmu}}, {{x, x_data}});
  nuts.initialize({.n_iter = 1000, .n_warmup = 1000, .chains = 4, .seed = 3});
  nuts.run();
  const Matrix draws = nuts.draws_by_chain(mu, 0);
  const double post_mean = x_data.sum() / 21.0, post_sd = std::sqrt(1.0 / 21.0);
  const double mcse = ed::mcse_mean(draws);
  INFO("mean " << draws.mean() << " ± " << mcse << ", closed form " << post_mean);
  CHECK(std::abs(draws.mean() - post_mean) < 4.0 * mcse);
  CHECK(sd_of(draws) == doctest::Approx(post_sd).epsilon(0.05));
  CHECK(ed::rhat(draws) < 1.01);
  CHECK(ed::ess_bulk(draws) > 1000.0);
  CHECK(nuts.diagnostics().divergences == 0);
  // The Empirical holds chains × n_iter rows, chain after chain.
  const Matrix rows = qmu.params()[0].value();
  REQUIRE(rows.rows() == 4000);
  CHECK(rows.middleRows(1000, 1000) == nuts.draws(mu, 1));
}

TEST_CASE("NUTS adapts to a correlated, badly scaled Gaussian") {
  // z ~ MVN(0, L Lᵀ) with scales 10 and 0.1 and correlation 0.9, no data.
  ed::set_seed(4);
  Matrix cov(2, 2);
  cov << 100.0, 0.9, 0.9, 0.01;
  const Matrix L = cov.llt().matrixL();
  const ed::MultivariateNormalTriL z(Matrix::Zero(1, 2), L);
  ed::NUTS nuts({z});
  nuts.initialize({.n_iter = 1000, .n_warmup = 1000, .chains = 4, .seed = 5});
  nuts.run();
  for (ed::Index k = 0; k < 2; ++k) {
    CAPTURE(k);
    const Matrix draws = nuts.draws_by_chain(z, k);
    const double mcse = ed::mcse_mean(draws);
    CHECK(std::abs(draws.mean()) < 4.0 * mcse);
    CHECK(sd_of(draws) == doctest::Approx(std::sqrt(cov(k, k))).epsilon(0.08));
    CHECK(ed::rhat(draws) < 1.01);
  }
  const Matrix all = nuts.draws(z);
  const double corr =
      ((all.col(0).array() - all.col(0).mean()) * (all.col(1).array() - all.col(1).mean())).mean() /
      (sd_of(all.col(0)) * sd_of(all.col(1)));
  CHECK(corr == doctest::Approx(0.9).epsilon(0.03));
  CHECK(nuts.diagnostics().divergences == 0);
}

TEST_CASE("NUTS with a dense metric learns the covariance of a strongly correlated Gaussian") {
  // z ~ MVN(0, Σ) in 4 dimensions with correlations 0.99 and scales from 0.1 to 10: the diagonal
  // metric cannot undo the correlation, the dense one turns the target into a standard normal.
  ed::set_seed(8);
  const Eigen::Vector4d scales(10.0, 1.0, 0.1, 3.0);
  Matrix corr = Matrix::Constant(4, 4, 0.99);
  corr.diagonal().setOnes();
  const Matrix cov = scales.asDiagonal() * corr * scales.asDiagonal();
  const ed::MultivariateNormalTriL z(Matrix::Zero(1, 4), Matrix(cov.llt().matrixL()));
  struct Fit {
    ed::NUTSDiagnostics diagnostics;
    std::vector<Matrix> draws;  // per coordinate, iterations × chains
  };
  auto fit = [&](ed::MassMatrix metric) {
    ed::NUTS nuts({z});
    nuts.initialize({.n_iter = 1000, .n_warmup = 1000, .chains = 2, .seed = 9, .metric = metric});
    nuts.run();
    Fit out{nuts.diagnostics(), {}};
    for (ed::Index k = 0; k < 4; ++k) out.draws.push_back(nuts.draws_by_chain(z, k));
    return out;
  };
  const Fit dense = fit(ed::MassMatrix::dense), diagonal = fit(ed::MassMatrix::diagonal);
  const ed::NUTSDiagnostics& d = dense.diagnostics;
  REQUIRE(d.inverse_metric.size() == 2);
  const Matrix sd_outer = scales * scales.transpose();
  for (const Matrix& minv : d.inverse_metric) {
    // The last window has 500 draws: each covariance, relative to σᵢσⱼ, has a standard error
    // near sqrt((1 + ρ²) / 500) ≈ 0.06.
    REQUIRE(minv.rows() == 4);
    REQUIRE(minv.cols() == 4);
    INFO("M⁻¹ = \n" << minv);
    CHECK(((minv - cov).array() / sd_outer.array()).abs().maxCoeff() < 0.3);
  }
  for (ed::Index k = 0; k < 4; ++k) {
    CAPTURE(k);
    const Matrix& draws = dense.draws[static_cast<std::size_t>(k)];
    CHECK(std::abs(draws.mean()) < 4.0 * ed::mcse_mean(draws));
    CHECK(sd_of(draws) == doctest::Approx(scales(k)).epsilon(0.08));
    CHECK(ed::rhat(draws) < 1.01);
  }
  CHECK(d.divergences == 0);
  // The diagonal metric leaves the correlation matrix's condition number, (1 + 3 · 0.99) / 0.01
  // ≈ 400, so its stable step is about √400 = 20 times shorter; the dense metric's is that of
  // a standard normal (≈ 0.7 for δ = 0.8 in four dimensions).
  CHECK(diagonal.diagnostics.inverse_metric[0].cols() == 1);
  for (std::size_t c = 0; c < 2; ++c) {
    INFO("step sizes: dense " << d.step_size[c] << ", diagonal "
                              << diagonal.diagnostics.step_size[c]);
    CHECK(d.step_size[c] > 0.4);
    CHECK(diagonal.diagnostics.step_size[c] < d.step_size[c] / 4.0);
  }
}

TEST_CASE("NUTS on eight schools (non-centred) agrees with posteriordb's reference") {
  // Reference (posteriordb, 10 chains × 1000 draws from Stan): mean, sd, MCSE of the mean.
  struct Ref {
    const char* name;
    double mean, sd, mcse;
  };
  const Ref refs[] = {{"mu", 4.410518337, 3.309296477, 0.03302518471},
                      {"tau", 3.602059524, 3.198477671, 0.03200194774},
                      {"theta[1]", 6.150502293, 5.615863419, 0.05589294481}};
  ed::set_seed(6);
  const Matrix y = (Matrix(8, 1) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
  const Matrix sigma = (Matrix(8, 1) << 15, 10, 16, 11, 9, 11, 10, 18).finished();
  const ed::Normal theta_trans(Matrix::Zero(8, 1), 1.0);
  const ed::Normal mu(0.0, 5.0);
  const ed::HalfCauchy tau(5.0);
  const Tensor theta = mu + tau * theta_trans;
  const ed::Normal obs(theta, sigma);
  ed::NUTS nuts({theta_trans, mu, tau}, {{obs, y}});
  nuts.initialize({.n_iter = 1000, .n_warmup = 1000, .chains = 4, .seed = 7});
  nuts.run();
  const Matrix mu_draws = nuts.draws_by_chain(mu, 0), tau_draws = nuts.draws_by_chain(tau, 0);
  const Matrix theta1 =
      mu_draws.array() + tau_draws.array() * nuts.draws_by_chain(theta_trans, 0).array();
  const Matrix* draws[] = {&mu_draws, &tau_draws, &theta1};
  for (int k = 0; k < 3; ++k) {
    CAPTURE(refs[k].name);
    const Matrix& d = *draws[k];
    const double mcse = std::hypot(ed::mcse_mean(d), refs[k].mcse);
    INFO("mean " << d.mean() << " vs " << refs[k].mean << ", MCSE of the difference " << mcse);
    CHECK(std::abs(d.mean() - refs[k].mean) <= 4.0 * mcse);
    CHECK(sd_of(d) == doctest::Approx(refs[k].sd).epsilon(0.1));
    CHECK(ed::rhat(d) < 1.01);
  }
  // Stan 2.21 had 0–3 divergences per 4-chain run of this model on this machine
  // (../shared/posteriordb/README.md); the non-centred form has no funnel to speak of.
  CHECK(nuts.diagnostics().divergences <= 3);
  const std::string table = ed::summary(nuts, {"theta_trans", "mu", "tau"});
  INFO(table);
  CHECK(table.find("theta_trans[7]") != std::string::npos);
  CHECK(table.find("ess_bulk") != std::string::npos);
  CHECK(table.find("\ntau ") != std::string::npos);
}

TEST_CASE("NUTS names bad options") {
  const ed::Normal mu(0.0, 1.0);
  CHECK_THROWS_WITH_AS(ed::NUTS({mu}).initialize({.target_accept = 1.5}),
                       "NUTS: target_accept must be in (0, 1), got 1.500000", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::NUTS({mu}).initialize({.chains = 0}),
                       "NUTS: chains must be at least 1, got 0", ed::invalid_argument);
}
