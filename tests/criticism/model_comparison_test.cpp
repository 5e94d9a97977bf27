// PSIS-LOO and WAIC against the R package loo 2.5.1 on the same log-likelihood matrices, and
// against the exact leave-one-out predictive densities of a conjugate model.
#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <cmath>
#include <vector>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;

namespace {

// Draws as quantiles of a fixed grid (no random numbers, so R makes the same matrix):
// μ_s = m + sd_m Φ⁻¹(u_s), log σ_s = a + b Φ⁻¹(u_π(s)) with u_s = (s − ½)/S and π a fixed
// permutation, and log_lik[s, i] = log density of y_i under N(μ_s, σ_s) or a scaled t₃.
// The same matrices in R: gen() in scripts/crosscheck/loo_reference.R, which prints the numbers.
Matrix grid_log_lik(ed::Index S, const std::vector<double>& y, double m, double sd_m,
                    double log_sigma_mean, double log_sigma_sd, bool student = false,
                    double fixed_sigma = 0.0) {
  const boost::math::normal_distribution<> standard;
  const boost::math::students_t_distribution<> t3(3.0);
  Matrix ll(S, static_cast<ed::Index>(y.size()));
  for (ed::Index s = 0; s < S; ++s) {
    const double u = (static_cast<double>(s) + 0.5) / static_cast<double>(S);
    const ed::Index permuted = (s * 37) % S;
    const double u_perm = (static_cast<double>(permuted) + 0.5) / static_cast<double>(S);
    const double mu = m + sd_m * quantile(standard, u);
    const double sigma = fixed_sigma > 0.0
                             ? fixed_sigma
                             : std::exp(log_sigma_mean + log_sigma_sd * quantile(standard, u_perm));
    for (std::size_t i = 0; i < y.size(); ++i) {
      const double z = (y[i] - mu) / sigma;
      ll(s, static_cast<ed::Index>(i)) =
          (student ? std::log(pdf(t3, z)) : -0.5 * z * z - 0.5 * std::log(2.0 * M_PI)) -
          std::log(sigma);
    }
  }
  return ll;
}

void check_close(double actual, double expected) {
  CHECK(actual == doctest::Approx(expected).epsilon(1e-9));
}

const std::vector<double> kYA = {-1.2, -0.4, 0.1, 0.3, 0.5, 0.9, 1.3, 1.8, -2.1, 0.0};

}  // namespace

TEST_CASE("loo and waic match the R package loo 2.5.1 on the same matrices") {
  struct Reference {
    const char* name;
    Matrix log_lik;
    double elpd_loo, se_elpd_loo, p_loo, se_p_loo;
    std::vector<double> pareto_k;
    double elpd_waic, se_elpd_waic, p_waic, se_p_waic;
  };
  const std::vector<Reference> refs = {
      {"A (normal)",
       grid_log_lik(1000, kYA, 0.2, 0.3, 0.0, 0.2),
       -19.743582358764176,
       5.2332776204059437,
       4.5930844544748322,
       2.9113361297881721,
       {0.72957576053739226, 0.32964018941254669, 0.18660315715888678, 0.33242154961071835,
        0.44110905924867538, 0.64768547829826839, 0.77374145438947606, 0.93612990561282028,
        1.3874098249129112, 0.027367982201320303},
       -18.343517952930792,
       4.0822848506862712,
       3.1930200486414528,
       1.7065297020176762},
      {"B (outliers, k far above 1)",
       grid_log_lik(400, {0.1, -0.2, 0.3, 0.0, 4.0, -3.0}, 0.0, 0.15, -1.0, 0.3),
       -409.04100955971751,
       274.76791354865071,
       380.86547099000484,
       257.21160258406223,
       {0.73446969950178564, 0.34274673828313096, 1.2274592903643091, 0.58479330264817997,
        32.729016230423589, 17.137286770421742},
       -2962.0038849287339,
       2275.1165767424873,
       2933.8283463590215,
       2258.7482297283486},
      {"C (Student t)",
       grid_log_lik(2000, {0.5, -1.0, 2.0, 8.0, 0.0, 0.2, -0.3, 1.0}, 0.3, 0.4, -0.5, 0.3, true),
       -21.385213654680317,
       7.626961694761361,
       3.8771043540730892,
       0.72920103556649474,
       {0.68356080576239631, 0.36039096118131164, 0.41786612230512321, 0.26801464735121139,
        0.26146756614883032, 0.47932337388531598, 0.24309662755382938, 0.57406393305233894},
       -21.274995043131415,
       7.6457088378920455,
       3.7668857425241908,
       0.73652098896270646},
  };
  for (const Reference& r : refs) {
    CAPTURE(r.name);
    const ed::LooResult l = ed::loo(r.log_lik);
    check_close(l.elpd_loo, r.elpd_loo);
    check_close(l.se_elpd_loo, r.se_elpd_loo);
    check_close(l.p_loo, r.p_loo);
    check_close(l.se_p_loo, r.se_p_loo);
    check_close(l.looic, -2.0 * r.elpd_loo);
    REQUIRE(l.pareto_k.rows() == static_cast<ed::Index>(r.pareto_k.size()));
    long high = 0;
    for (std::size_t i = 0; i < r.pareto_k.size(); ++i) {
      CAPTURE(i);
      check_close(l.pareto_k(static_cast<ed::Index>(i), 0), r.pareto_k[i]);
      high += r.pareto_k[i] > 0.7 ? 1 : 0;
    }
    CHECK(l.num_high_pareto_k == high);
    const ed::WaicResult w = ed::waic(r.log_lik);
    check_close(w.elpd_waic, r.elpd_waic);
    check_close(w.se_elpd_waic, r.se_elpd_waic);
    check_close(w.p_waic, r.p_waic);
    check_close(w.se_p_waic, r.se_p_waic);
    check_close(w.waic, -2.0 * r.elpd_waic);
  }
}

TEST_CASE("loo_compare ranks models and gives the standard error of the difference, as R's") {
  const ed::LooResult a = ed::loo(grid_log_lik(1000, kYA, 0.2, 0.3, 0.0, 0.2));
  const ed::LooResult a2 = ed::loo(grid_log_lik(1000, kYA, 0.2, 0.3, 0.0, 0.2, false, 0.5));
  const auto table = ed::loo_compare({{"A2", a2}, {"A", a}});
  REQUIRE(table.size() == 2);
  CHECK(table[0].name == "A");
  CHECK(table[0].elpd_diff == 0.0);
  CHECK(table[0].se_diff == 0.0);
  CHECK(table[1].name == "A2");
  check_close(table[1].elpd_diff, -20.123815141169011);
  check_close(table[1].se_diff, 10.362667339692472);
  CHECK(ed::to_string(table).find("A2") != std::string::npos);
  CHECK_THROWS_WITH_AS(ed::loo_compare({{"A", a}}), "loo_compare: needs at least two models, got 1",
                       ed::invalid_argument);
  const ed::LooResult b = ed::loo(grid_log_lik(400, {0.1, -0.2, 0.3}, 0.0, 0.15, -1.0, 0.3));
  CHECK_THROWS_WITH_AS(ed::loo_compare({{"A", a}, {"B", b}}),
                       "loo_compare: model 'B' has 3 observations, 'A' has 10; models must be "
                       "fitted to the same data",
                       ed::invalid_argument);
}

TEST_CASE("PSIS-LOO recovers the exact leave-one-out densities of a conjugate normal model") {
  // y_i ~ N(μ, 1), μ ~ N(0, 1): given the other n − 1 points, μ ~ N(m₋ᵢ, v₋ᵢ) with
  // v₋ᵢ = 1 / n and m₋ᵢ = (Σy − yᵢ) / n, so p(yᵢ | y₋ᵢ) = N(yᵢ | m₋ᵢ, 1 + v₋ᵢ) exactly.
  const std::vector<double> y = {0.3, -0.8, 1.1,  0.4, 2.0, -0.2, 0.7,  0.1, -1.4, 0.9,
                                 0.5, 1.6,  -0.5, 0.0, 0.8, 1.2,  -0.9, 0.6, 0.2,  1.4};
  const double n = static_cast<double>(y.size());
  double total = 0.0;
  for (double v : y) total += v;
  // Posterior given all the data: N(Σy / (n + 1), 1 / (n + 1)), as 20,000 grid draws.
  const ed::Index S = 20000;
  const Matrix ll = grid_log_lik(S, y, total / (n + 1.0), std::sqrt(1.0 / (n + 1.0)), 0.0, 0.0);
  double exact = 0.0;
  for (double v : y) {
    const double m = (total - v) / n, var = 1.0 + 1.0 / n;
    exact += -0.5 * (v - m) * (v - m) / var - 0.5 * std::log(2.0 * M_PI * var);
  }
  const ed::LooResult l = ed::loo(ll);
  INFO("PSIS-LOO " << l.elpd_loo << ", exact " << exact);
  CHECK(l.elpd_loo == doctest::Approx(exact).epsilon(1e-3));
  CHECK(l.num_high_pareto_k == 0);
  CHECK(l.pareto_k.maxCoeff() < 0.5);
  // WAIC agrees with LOO to the same order on a model this regular.
  CHECK(ed::waic(ll).elpd_waic == doctest::Approx(exact).epsilon(1e-2));
  // p_loo = lpd − elpd_loo, with the in-sample lpd also exact here:
  // p(yᵢ | y) = N(yᵢ | Σy / (n + 1), 1 + 1 / (n + 1)).
  double lpd = 0.0;
  for (double v : y) {
    const double m = total / (n + 1.0), var = 1.0 + 1.0 / (n + 1.0);
    lpd += -0.5 * (v - m) * (v - m) / var - 0.5 * std::log(2.0 * M_PI * var);
  }
  INFO("p_loo " << l.p_loo << ", exact " << lpd - exact);
  CHECK(std::abs(l.p_loo - (lpd - exact)) < 0.01);
}

TEST_CASE("loo and waic name bad input") {
  CHECK_THROWS_WITH_AS(ed::loo(Matrix::Zero(1, 3)),
                       "loo: needs a draws × observations matrix with at least 2 draws, got 1 × 3",
                       ed::invalid_argument);
  Matrix ll = Matrix::Zero(10, 2);
  ll(4, 1) = std::nan("");
  CHECK_THROWS_WITH_AS(
      ed::waic(ll), "waic: the log-likelihood of draw 4, observation 1 is nan, but must be finite",
      ed::invalid_argument);
  // Log-likelihoods near ±1e308: a constant column stays exact (its variance is 0, not an
  // overflow); a spread or a sum beyond double's range is an error, not a silent −inf.
  const Matrix huge = Matrix::Constant(50, 1, 1e308);
  CHECK(ed::waic(huge).elpd_waic == doctest::Approx(1e308));
  CHECK(ed::waic(huge).p_waic == 0.0);
  Matrix spread = Matrix::Constant(50, 3, -1e308);
  spread(0, 0) = 1e308;
  CHECK_THROWS_WITH_AS(ed::waic(spread),
                       doctest::Contains("waic: p_waic (the variance of the log-likelihood) of "
                                         "observation 0 is beyond double's range"),
                       ed::numerical_error);
  CHECK_THROWS_WITH_AS(ed::loo(Matrix::Constant(50, 3, -1e308)),
                       doctest::Contains("loo: elpd_loo, the sum over observations, is beyond "
                                         "double's range"),
                       ed::numerical_error);
  // Too few draws for a tail of 5: k̂ is +inf and the weights are the raw ones, as loo does.
  const ed::PsisResult small = ed::psis(Matrix::Random(20, 1));
  CHECK(std::isinf(small.pareto_k(0, 0)));
  CHECK(small.log_weights.array().exp().sum() == doctest::Approx(1.0));
}

TEST_CASE("log_likelihood_matrix evaluates each observation at each draw") {
  ed::set_seed(8);
  const Matrix x_data = ed::test::random_inputs({{6, 1}}, 92, -1.0, 2.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix(Matrix::Ones(6, 1)), 1.0);
  ed::NUTS nuts({mu}, {{x, x_data}});
  nuts.initialize({.n_iter = 100, .n_warmup = 100, .chains = 2, .seed = 9});
  nuts.run();
  const Matrix ll = ed::log_likelihood_matrix(nuts, x, x_data);
  const Matrix draws = nuts.draws(mu);
  REQUIRE(ll.rows() == 200);
  REQUIRE(ll.cols() == 6);
  for (ed::Index s : {ed::Index{0}, ed::Index{57}, ed::Index{199}}) {
    for (ed::Index i = 0; i < 6; ++i) {
      const double z = x_data(i, 0) - draws(s, 0);
      CHECK(ll(s, i) == doctest::Approx(-0.5 * z * z - 0.5 * std::log(2 * M_PI)).epsilon(1e-12));
    }
  }
  // From a variational fit: E_q log N(xᵢ | μ, 1) = −½ log 2π − ½ ((xᵢ − m)² + s²).
  const ed::Normal qmu(0.4, 0.3);
  const Matrix llq = ed::log_likelihood_matrix(x, x_data, {{mu, qmu}}, 20000, 10);
  for (ed::Index i = 0; i < 6; ++i) {
    const double d = x_data(i, 0) - 0.4;
    CHECK(llq.col(i).mean() ==
          doctest::Approx(-0.5 * std::log(2 * M_PI) - 0.5 * (d * d + 0.09)).epsilon(0.01));
  }
  CHECK_THROWS_WITH_AS(ed::log_likelihood_matrix(nuts, x, Matrix::Zero(5, 1)),
                       doctest::Contains("log_likelihood_matrix: the data has shape [5, 1] but"),
                       ed::invalid_argument);
}
