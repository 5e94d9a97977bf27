// Gibbs: conjugate sweeps against exact posteriors within Monte Carlo error, discrete latents,
// Metropolis-within-Gibbs blocks, the options and the errors.
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>
#include <vector>

using ed::Matrix;

namespace {

const Matrix kData =
    (Matrix(10, 1) << 1.2, -0.3, 2.5, 0.8, 1.9, 0.1, 1.4, 2.2, 0.6, 1.7).finished();

/// The Normal–Gamma model and its exact posterior (a Student-t mean, a Gamma precision).
struct NormalGamma {
  static constexpr double a0 = 2.0, b0 = 1.5, m0 = 0.0, kappa0 = 0.5;
  ed::Gamma tau{a0, b0};
  ed::Normal mu{m0, 1.0 / ed::sqrt(kappa0* tau)};
  ed::Normal x{mu + Matrix::Zero(kData.rows(), 1), ed::pow(tau, -0.5)};

  double n() const { return static_cast<double>(kData.rows()); }
  double kappa_n() const { return kappa0 + n(); }
  double mean_mu() const { return (kappa0 * m0 + kData.sum()) / kappa_n(); }
  double a_n() const { return a0 + n() / 2; }
  double b_n() const {
    const double mean = kData.mean();
    return b0 + 0.5 * (kData.array() - mean).square().sum() +
           kappa0 * n() * (mean - m0) * (mean - m0) / (2 * kappa_n());
  }
  double mean_tau() const { return a_n() / b_n(); }
  double variance_mu() const { return b_n() / (kappa_n() * (a_n() - 1)); }
};

bool within_mcse(const Matrix& by_chain, double exact, double z = 4.0) {
  const double mean = by_chain.mean(), mcse = ed::mcse_mean(by_chain);
  MESSAGE("mean " << mean << " ± " << mcse << ", exact " << exact);
  return std::abs(mean - exact) < z * mcse;
}

}  // namespace

TEST_CASE("Gibbs draws the Normal–Gamma posterior within Monte Carlo error") {
  NormalGamma m;
  const long n = 4000;
  const ed::Empirical qmu(ed::variable(Matrix::Zero(2 * n, 1), "qmu"));
  const ed::Empirical qtau(ed::variable(Matrix::Zero(2 * n, 1), "qtau"));
  ed::Gibbs gibbs({{m.mu, qmu}, {m.tau, qtau}}, {{m.x, kData}});
  gibbs.initialize({.n_iter = n, .n_warmup = 100, .chains = 2, .seed = 3});
  gibbs.run();
  CHECK(within_mcse(gibbs.draws_by_chain(m.mu, 0), m.mean_mu()));
  CHECK(within_mcse(gibbs.draws_by_chain(m.tau, 0), m.mean_tau()));
  const Matrix mu_draws = gibbs.draws(m.mu);
  const double variance = (mu_draws.array() - m.mean_mu()).square().mean();
  CHECK(variance == doctest::Approx(m.variance_mu()).epsilon(0.1).scale(0));
  CHECK(ed::rhat(gibbs.draws_by_chain(m.tau, 0)) < 1.01);
  CHECK(gibbs.acceptance_rate() == 1.0);
  // The Empirical holds the draws, chain after chain.
  CHECK(qmu.params()[0].value()(n + 7, 0) == mu_draws(n + 7, 0));
  // One seed reproduces the run.
  NormalGamma again;
  ed::Gibbs repeat({again.mu, again.tau}, {{again.x, kData}});
  repeat.initialize({.n_iter = n, .n_warmup = 100, .chains = 2, .seed = 3});
  repeat.run();
  CHECK(repeat.draws(again.tau) == gibbs.draws(m.tau));
}

TEST_CASE("Gibbs on a mixture: assignments and component means against enumeration") {
  // Two components with known weights and scale 1, means with distinct priors; four points.
  // The exact posterior sums over the 2⁴ assignments, each a Normal–Normal update per mean.
  const Matrix x_data = (Matrix(4, 1) << -1.5, -0.4, 0.9, 2.1).finished();
  const Matrix prior_mean = (Matrix(2, 1) << -1.0, 1.0).finished();
  const double weight1 = 0.4;
  ed::Normal mu(prior_mean, 1.0);
  const Matrix log_weights = (Matrix(1, 2) << std::log(1 - weight1), std::log(weight1)).finished();
  ed::Categorical z(ed::Tensor(Matrix::Zero(4, 2)) + log_weights);
  ed::Normal x(ed::gather_rows(mu, z), 1.0);

  double total = 0.0, mean0 = 0.0, mean1 = 0.0, p_first_in_1 = 0.0;
  for (int pattern = 0; pattern < 16; ++pattern) {
    double log_w = 0.0, post[2];
    for (int k = 0; k < 2; ++k) {
      double count = 0.0, sum = 0.0;
      for (int i = 0; i < 4; ++i) {
        if (((pattern >> i) & 1) == k) {
          count += 1;
          sum += x_data(i, 0);
        }
      }
      // Marginal likelihood of the points in component k: N(x | m 1, I + 11ᵀ).
      const double precision = 1 + count;
      post[k] = (prior_mean(k, 0) + sum) / precision;
      double ss = 0.0;
      for (int i = 0; i < 4; ++i) {
        if (((pattern >> i) & 1) == k) ss += x_data(i, 0) * x_data(i, 0);
      }
      log_w += -0.5 * std::log(precision) - 0.5 * (ss + prior_mean(k, 0) * prior_mean(k, 0)) +
               0.5 * precision * post[k] * post[k] +
               count * std::log(k == 1 ? weight1 : 1 - weight1);
    }
    const double w = std::exp(log_w);
    total += w;
    mean0 += w * post[0];
    mean1 += w * post[1];
    if (pattern & 1) p_first_in_1 += w;
  }
  mean0 /= total;
  mean1 /= total;
  p_first_in_1 /= total;

  ed::Gibbs gibbs({mu, z}, {{x, x_data}});
  gibbs.initialize({.n_iter = 10000, .n_warmup = 200, .chains = 2, .seed = 11});
  gibbs.run();
  CHECK(within_mcse(gibbs.draws_by_chain(mu, 0), mean0));
  CHECK(within_mcse(gibbs.draws_by_chain(mu, 1), mean1));
  CHECK(within_mcse(gibbs.draws_by_chain(z, 0), p_first_in_1));
  const Matrix labels = gibbs.draws(z);
  CHECK(((labels.array() == 0.0) || (labels.array() == 1.0)).all());
}

TEST_CASE("Metropolis-within-Gibbs: a proposal for the latent without a conjugate update") {
  // μ ~ N(0, 1), log σ ~ N(0, 1), x ~ N(μ, σ): μ is conjugate given σ, log σ is not. The exact
  // E[log σ | x] by quadrature of its marginal (μ integrated out: x ~ N(0, σ²I + 11ᵀ)).
  const Matrix x_data = kData.topRows(6);
  const double n = 6.0, sum = x_data.sum(), ss = x_data.squaredNorm();
  auto log_marginal = [&](double s) {
    const double v = std::exp(2 * s);  // σ²; det and inverse of σ²I + 11ᵀ in closed form
    const double log_det = (n - 1) * std::log(v) + std::log(v + n);
    const double quad = (ss - sum * sum / (v + n)) / v;
    return -0.5 * s * s - 0.5 * log_det - 0.5 * quad;
  };
  double z_sum = 0.0, m_sum = 0.0;
  for (double s = -6.0; s <= 4.0; s += 1e-4) {
    const double w = std::exp(log_marginal(s));
    z_sum += w;
    m_sum += w * s;
  }
  const double exact = m_sum / z_sum;

  ed::Normal mu(0.0, 1.0);
  ed::Normal log_sigma(0.0, 1.0);
  ed::Normal x(mu + Matrix::Zero(6, 1), ed::exp(log_sigma));
  ed::Gibbs gibbs({mu, log_sigma}, {{x, x_data}}, {{log_sigma, ed::Normal(log_sigma, 0.5)}});
  gibbs.initialize({.n_iter = 20000, .n_warmup = 500, .chains = 2, .seed = 5});
  gibbs.run();
  CHECK(within_mcse(gibbs.draws_by_chain(log_sigma, 0), exact));
  CHECK(gibbs.acceptance_rate() > 0.3);
  CHECK(gibbs.acceptance_rate() < 0.95);
}

TEST_CASE("Gibbs options: scan order, random scan; errors name what is wrong") {
  NormalGamma m;
  ed::Gibbs ordered({m.mu, m.tau}, {{m.x, kData}});
  ordered.initialize({.n_iter = 3000, .seed = 2, .scan_order = {m.tau, m.mu}});
  ordered.run();
  CHECK(within_mcse(ordered.draws_by_chain(m.tau, 0), m.mean_tau()));
  ed::Gibbs shuffled({m.mu, m.tau}, {{m.x, kData}});
  shuffled.initialize({.n_iter = 3000, .seed = 2, .random_scan = true});
  shuffled.run();
  CHECK(within_mcse(shuffled.draws_by_chain(m.mu, 0), m.mean_mu()));

  using doctest::Contains;
  CHECK_THROWS_WITH_AS(ordered.initialize({.scan_order = {m.mu}}),
                       Contains("scan_order lists 1 of the 2 latents"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ordered.initialize({.scan_order = {m.mu, m.mu}}),
                       Contains("is listed twice"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ordered.initialize({.scale = {{m.x, 2.0}}}),
                       Contains("options.scale is not supported"), ed::invalid_argument);

  ed::Cauchy c(0.0, 1.0);
  ed::Normal y(c + Matrix::Zero(3, 1), 1.0);
  ed::Gibbs cauchy({c}, {{y, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(cauchy.initialize(), Contains("no conjugate update for a Cauchy prior"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(cauchy.initialize(), Contains("give the latent a proposal"),
                       ed::invalid_argument);

  ed::Normal w(0.0, 1.0);
  ed::Normal obs(w + Matrix::Zero(3, 1), 1.0);
  ed::factor(-ed::square(w));
  ed::Gibbs with_factor({w}, {{obs, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(with_factor.initialize(), Contains("an ed::factor term depends on"),
                       ed::invalid_argument);
  ed::clear_factors();
}

TEST_CASE("Gibbs on Edward's Gaussian mixture written with ParamMixture") {
  // Two clusters in the plane; π ~ Dirichlet(1, 1), μ_k ~ N(0, 5²I), σ²_kd ~ InverseGamma(2, 1).
  ed::set_seed(8);
  const ed::Index n = 120;
  Matrix x_data(n, 2);
  const Matrix centres = (Matrix(2, 2) << -3.0, -2.0, 2.5, 3.0).finished();
  const Matrix noise = ed::eval(ed::Normal(Matrix::Zero(n, 2), 0.5));
  for (ed::Index i = 0; i < n; ++i) x_data.row(i) = centres.row(i % 3 == 0 ? 0 : 1) + noise.row(i);
  ed::Dirichlet pi(Matrix::Ones(1, 2));
  ed::Normal mu(Matrix::Zero(2, 2), 5.0);
  ed::InverseGamma sigmasq(Matrix::Constant(2, 2, 2.0), Matrix::Ones(2, 2));
  ed::ParamMixture x(pi, {mu, ed::sqrt(sigmasq)}, "MultivariateNormalDiag", n);
  ed::Gibbs gibbs({pi, mu, sigmasq, x.cat()}, {{x, x_data}});
  gibbs.initialize({.n_iter = 1000, .n_warmup = 200, .seed = 4});
  gibbs.run();
  Matrix mu_mean = gibbs.draws(mu).colwise().mean();  // 1×4, column-major: μ₀₀ μ₁₀ μ₀₁ μ₁₁
  mu_mean.resize(2, 2);
  if (mu_mean(0, 0) > mu_mean(1, 0)) mu_mean.row(0).swap(mu_mean.row(1));  // label switching
  MESSAGE("posterior means of the centres " << mu_mean);
  CHECK((mu_mean - centres).cwiseAbs().maxCoeff() < 0.2);
  const Matrix sigmasq_mean = gibbs.draws(sigmasq).colwise().mean();
  CHECK((sigmasq_mean.array() - 0.25).abs().maxCoeff() < 0.1);
  const Matrix weights = gibbs.draws(pi).colwise().mean();
  CHECK(std::min(weights(0, 0), weights(0, 1)) == doctest::Approx(1.0 / 3).epsilon(0.25).scale(0));
}
