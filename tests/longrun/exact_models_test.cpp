// Long runs against exact posteriors: conjugate models, eight schools by quadrature, a
// correlated 50-d Gaussian, a funnel, a bounded, an ordered and a mixture parameter — each with
// NUTS (diagonal and dense metric) and, where a fixed-step or random-walk sampler can mix, HMC
// and Metropolis–Hastings: every sampler 4 chains × 10,000 draws.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/tools/roots.hpp>
#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "tests/longrun/exact_check.hpp"

using ed::Matrix;
using ed::Tensor;
using ed::test::Exact;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const boost::math::normal_distribution<> kStandardNormal;

/// One scalar to check: how to read its draws (iterations × chains) from a fit, and its truth.
struct Scalar {
  std::string name;
  std::function<Matrix(const ed::MonteCarlo&)> draws;
  Exact exact;
};

/// A model with an exact posterior, and how the fixed-step samplers are tuned for it.
struct Model {
  std::string name;
  std::vector<ed::RandomVariable> latents;
  ed::Data data;
  std::vector<Scalar> scalars;
  std::vector<std::pair<ed::RandomVariable, Matrix>> init = {};  // HMC and MH start here
  double hmc_step = 0.0;  // 0: HMC is not run (a fixed step cannot mix here)
  int hmc_steps = 0;
  std::vector<double> mh_sd = {};  // random-walk sd per latent; empty: MH is not run
  double z = 4.0;                  // the criterion in MCSE (more for many scalars)
};

Scalar element(const std::string& name, const ed::RandomVariable& z, ed::Index k, Exact exact) {
  return {name, [z, k](const ed::MonteCarlo& fit) { return fit.draws_by_chain(z, k); }, exact};
}

Exact normal_exact(double mean, double sd) {
  return {mean, sd * sd, mean + sd * quantile(kStandardNormal, 0.05),
          mean + sd * quantile(kStandardNormal, 0.95)};
}

// A quantile by bisection on a monotone CDF.
double invert(const std::function<double(double)>& cdf, double p, double lo, double hi) {
  boost::math::tools::eps_tolerance<double> tol(40);
  std::uintmax_t iterations = 200;
  const auto root =
      boost::math::tools::bisect([&](double x) { return cdf(x) - p; }, lo, hi, tol, iterations);
  return 0.5 * (root.first + root.second);
}

void check_fit(const std::string& label, const Model& m, const ed::MonteCarlo& fit) {
  for (const Scalar& s : m.scalars) {
    ed::test::check_exact(label + " " + m.name + " " + s.name, s.draws(fit), s.exact, m.z);
  }
}

void run_all(const Model& m, std::uint64_t seed) {
  SUBCASE("NUTS, diagonal metric") {
    ed::NUTS nuts(m.latents, m.data);
    nuts.initialize({.n_iter = 10000, .chains = 4, .seed = seed});
    nuts.run();
    check_fit("nuts diag", m, nuts);
  }
  SUBCASE("NUTS, dense metric") {
    ed::NUTS nuts(m.latents, m.data);
    nuts.initialize(
        {.n_iter = 10000, .chains = 4, .seed = seed + 1, .metric = ed::MassMatrix::dense});
    nuts.run();
    check_fit("nuts dense", m, nuts);
  }
  if (m.hmc_step > 0.0) {
    SUBCASE("HMC") {
      ed::HMC hmc(m.latents, m.data);
      // Jittered steps: with a fixed step and count a near-Gaussian target can have a periodic
      // orbit (the bounded model's, at 0.5 × 3, jumps between two points forever).
      hmc.initialize({.n_iter = 10000,
                      .chains = 4,
                      .step_size = m.hmc_step,
                      .n_steps = m.hmc_steps,
                      .step_size_jitter = 0.3,
                      .seed = seed + 2,
                      .init = m.init});
      hmc.run();
      check_fit("hmc", m, hmc);
    }
  }
  if (!m.mh_sd.empty()) {
    SUBCASE("Metropolis-Hastings") {
      std::vector<std::pair<ed::RandomVariable, ed::RandomVariable>> proposals;
      std::vector<ed::LatentPair> latent;
      for (std::size_t i = 0; i < m.latents.size(); ++i) {
        proposals.emplace_back(m.latents[i], ed::Normal(m.latents[i], m.mh_sd[i]));
        latent.push_back({m.latents[i], std::nullopt});
      }
      ed::MetropolisHastings mh(latent, proposals, m.data);
      mh.initialize({.n_iter = 10000, .chains = 4, .seed = seed + 3, .init = m.init});
      mh.run();
      check_fit("mh", m, mh);
    }
  }
}

Matrix fixed_normal_data(ed::Index n, double mean, double sd, std::uint64_t seed) {
  boost::random::mt19937_64 engine(seed);
  boost::random::normal_distribution<double> normal(mean, sd);
  Matrix x(n, 1);
  for (ed::Index i = 0; i < n; ++i) x(i, 0) = normal(engine);
  return x;
}

}  // namespace

TEST_CASE("long run: conjugate normal mean") {
  // mu ~ N(0, 2), x_i ~ N(mu, 1.5): mu | x ~ N(m, s).
  const Matrix x = fixed_normal_data(10, 0.7, 1.5, 1);
  const ed::Normal mu(0.0, 2.0);
  const ed::Normal obs(mu * Matrix::Ones(10, 1), 1.5);
  const double precision = 1.0 / 4.0 + 10.0 / 2.25;
  const double mean = x.sum() / 2.25 / precision;
  Model m{"normal",
          {mu},
          {{obs, x}},
          {element("mu", mu, 0, normal_exact(mean, 1.0 / std::sqrt(precision)))}};
  m.init = {{mu, Matrix::Constant(1, 1, mean)}};
  m.hmc_step = 0.2;
  m.hmc_steps = 8;
  m.mh_sd = {0.8};
  run_all(m, 100);
}

TEST_CASE("long run: conjugate gamma precision") {
  // lambda ~ Gamma(2, rate 1), x_i ~ N(0, lambda^(-1/2)): lambda | x ~ Gamma(2 + n/2, 1 + Σx²/2).
  const Matrix x = fixed_normal_data(12, 0.0, 0.8, 2);
  const ed::Gamma lambda(2.0, 1.0);
  const ed::Normal obs(Matrix::Zero(12, 1), ed::pow(lambda, -0.5) * Matrix::Ones(12, 1));
  const double a = 2.0 + 6.0, b = 1.0 + 0.5 * x.squaredNorm();
  const boost::math::gamma_distribution<> post(a, 1.0 / b);
  Model m{"gamma",
          {lambda},
          {{obs, x}},
          {element("lambda", lambda, 0,
                   {a / b, a / (b * b), quantile(post, 0.05), quantile(post, 0.95)})}};
  m.init = {{lambda, Matrix::Constant(1, 1, a / b)}};
  m.hmc_step = 0.15;
  m.hmc_steps = 8;
  m.mh_sd = {0.6};
  run_all(m, 200);
}

TEST_CASE("long run: conjugate beta-Bernoulli") {
  // p ~ Beta(2, 3), 7 successes in 20: p | y ~ Beta(9, 16).
  Matrix y = Matrix::Zero(20, 1);
  for (int i : {1, 4, 5, 9, 12, 16, 19}) y(i, 0) = 1.0;
  const ed::Beta p(2.0, 3.0);
  const ed::Bernoulli obs = ed::Bernoulli::from_probs(p * Matrix::Ones(20, 1));
  const boost::math::beta_distribution<> post(9.0, 16.0);
  Model m{"beta",
          {p},
          {{obs, y}},
          {element("p", p, 0,
                   {mean(post), variance(post), quantile(post, 0.05), quantile(post, 0.95)})}};
  m.init = {{p, Matrix::Constant(1, 1, 0.36)}};
  m.hmc_step = 0.2;
  m.hmc_steps = 8;
  m.mh_sd = {0.25};
  run_all(m, 300);
}

TEST_CASE("long run: eight schools (non-centred) against quadrature") {
  // mu ~ N(0, 5), tau ~ HalfCauchy(5), theta = mu + tau·z, y_j ~ N(theta_j, sigma_j). Given tau,
  // mu and theta are Gaussian: y_j | mu, tau ~ N(mu, sigma_j² + tau²), so a 1-D grid over tau
  // with mu integrated out gives every moment and tau's quantiles.
  const Eigen::VectorXd y = (Eigen::VectorXd(8) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
  const Eigen::VectorXd s = (Eigen::VectorXd(8) << 15, 10, 16, 11, 9, 11, 10, 18).finished();
  const int n = 400000;
  const double h = 1e-3;  // tau on (0, 400]; the tail beyond holds < 1e-12 of the mass
  double mass = 0.0, tau1 = 0.0, tau2 = 0.0, mu1 = 0.0, mu2 = 0.0, th1 = 0.0, th2 = 0.0;
  std::vector<double> cdf(n);
  double max_log = -std::numeric_limits<double>::infinity();
  std::vector<double> log_w(n), m_mu(n), p_mu(n);
  for (int k = 0; k < n; ++k) {
    const double tau = (k + 0.5) * h;
    const Eigen::ArrayXd v = s.array().square() + tau * tau;
    const double precision = 1.0 / 25.0 + (1.0 / v).sum();
    const double m = (y.array() / v).sum() / precision;
    log_w[k] = -0.5 * v.log().sum() - 0.5 * std::log(precision) -
               0.5 * ((y.array().square() / v).sum() - precision * m * m) -
               std::log1p(tau * tau / 25.0);  // HalfCauchy(5)
    m_mu[k] = m;
    p_mu[k] = precision;
    max_log = std::max(max_log, log_w[k]);
  }
  for (int k = 0; k < n; ++k) {
    const double tau = (k + 0.5) * h, w = std::exp(log_w[k] - max_log);
    mass += w;
    cdf[k] = mass;
    tau1 += w * tau;
    tau2 += w * tau * tau;
    mu1 += w * m_mu[k];
    mu2 += w * (1.0 / p_mu[k] + m_mu[k] * m_mu[k]);
    // theta_1 | mu, tau, y ~ N((1 − a) y_1 + a mu, V), a = s²/(s² + tau²), V = (1/s² + 1/tau²)⁻¹.
    const double a = s(0) * s(0) / (s(0) * s(0) + tau * tau);
    const double var = 1.0 / (1.0 / (s(0) * s(0)) + 1.0 / (tau * tau));
    const double mean = (1.0 - a) * y(0) + a * m_mu[k];
    th1 += w * mean;
    th2 += w * (var + a * a / p_mu[k] + mean * mean);
  }
  auto moments = [&](double first, double second) {
    return std::pair{first / mass, second / mass - (first / mass) * (first / mass)};
  };
  auto tau_quantile = [&](double p) {
    const auto at = std::lower_bound(cdf.begin(), cdf.end(), p * mass) - cdf.begin();
    return (static_cast<double>(at) + 0.5) * h;
  };
  const auto [tau_mean, tau_var] = moments(tau1, tau2);
  const auto [mu_mean, mu_var] = moments(mu1, mu2);
  const auto [th_mean, th_var] = moments(th1, th2);

  const ed::Normal z(Matrix::Zero(8, 1), 1.0);
  const ed::Normal mu(0.0, 5.0);
  const ed::HalfCauchy tau(5.0);
  const ed::Normal obs(mu + tau * z, Matrix(s));
  auto theta1 = [=](const ed::MonteCarlo& fit) -> Matrix {
    return fit.draws_by_chain(mu, 0).array() +
           fit.draws_by_chain(tau, 0).array() * fit.draws_by_chain(z, 0).array();
  };
  Model m{"eight schools",
          {z, mu, tau},
          {{obs, Matrix(y)}},
          {element("mu", mu, 0, {mu_mean, mu_var, kNaN, kNaN}),
           element("tau", tau, 0, {tau_mean, tau_var, tau_quantile(0.05), tau_quantile(0.95)}),
           {"theta[1]", theta1, {th_mean, th_var, kNaN, kNaN}}}};
  run_all(m, 400);
}

TEST_CASE("long run: a correlated 50-dimensional Gaussian") {
  // z ~ MVN(m, Σ), Σ = D (A Aᵀ/50 + 0.2 I) D with D's scales from e^-1 to e: strong, random
  // correlations over two orders of magnitude of variance.
  const int d = 50;
  boost::random::mt19937_64 engine(50);
  boost::random::normal_distribution<double> normal;
  Matrix a(d, d);
  for (ed::Index k = 0; k < a.size(); ++k) a.data()[k] = normal(engine);
  Matrix cov = a * a.transpose() / d + 0.2 * Matrix::Identity(d, d);
  const Eigen::VectorXd scales = Eigen::VectorXd::LinSpaced(d, -1.0, 1.0).array().exp();
  cov = scales.asDiagonal() * cov * scales.asDiagonal();
  Matrix loc(1, d);
  for (int k = 0; k < d; ++k) loc(0, k) = 0.1 * k - 2.0;
  const ed::MultivariateNormalTriL z(loc, Matrix(cov.llt().matrixL()));
  Model m{"mvn50", {z}, {}, {}};
  for (int k = 0; k < d; ++k) {
    m.scalars.push_back(element("z[" + std::to_string(k) + "]", z, k,
                                normal_exact(loc(0, k), std::sqrt(cov(k, k)))));
  }
  m.z = 4.5;  // 200 comparisons per run
  run_all(m, 500);
}

TEST_CASE("long run: a funnel's tractable marginals") {
  // v ~ N(0, s), x_k ~ N(0, e^v) (k = 1..4), centred: v's marginal is N(0, s); x_k's is a scale
  // mixture with variance E[e^{2v}] = e^{2s²} and CDF ∫ Φ(q e^{-v}) φ_s(v) dv. With s = 0.6 the
  // neck is 30 times narrower than the mouth (±2.5 sd), which NUTS explores without divergences
  // to speak of; Neal's s = 3 (or even s = 1) has a neck no fixed step reaches, where NUTS
  // reports divergences and a low E-BFMI, and its draws of v are too narrow (the neck is missed).
  const double sv = 0.6;
  const ed::Normal v(0.0, sv);
  const ed::Normal x(Matrix::Zero(4, 1), ed::exp(v) * Matrix::Ones(4, 1));
  auto x_cdf = [sv](double q) {
    double total = 0.0;
    const double h = 12.0 * sv / 4000.0;
    for (int k = 0; k < 4000; ++k) {
      const double t = -6.0 * sv + (k + 0.5) * h;
      total += cdf(kStandardNormal, q * std::exp(-t)) * pdf(kStandardNormal, t / sv) / sv * h;
    }
    return total;
  };
  const double x05 = invert(x_cdf, 0.05, -100.0, 0.0), x95 = -x05;
  const double x_var = std::exp(2.0 * sv * sv);
  Model m{"funnel",
          {v, x},
          {},
          {element("v", v, 0, normal_exact(0.0, sv)), element("x[1]", x, 0, {0.0, x_var, x05, x95}),
           element("x[4]", x, 3, {0.0, x_var, x05, x95})}};
  m.init = {{v, Matrix::Zero(1, 1)}, {x, Matrix::Zero(4, 1)}};
  m.hmc_step = 0.25;
  m.hmc_steps = 10;
  run_all(m, 600);
}

TEST_CASE("long run: a bounded parameter (truncated normal posterior)") {
  // theta ~ Uniform(-1, 2), x_i ~ N(theta, 1), n = 4 with mean 1.6: theta | x is N(1.6, 1/2)
  // truncated to [-1, 2] (much of its mass near the upper bound).
  const Matrix x = (Matrix(4, 1) << 1.1, 2.3, 1.4, 1.6).finished();
  const ed::Uniform theta(-1.0, 2.0);
  const ed::Normal obs(theta * Matrix::Ones(4, 1), 1.0);
  const double m0 = 1.6, s0 = std::sqrt(0.25), lo = -1.0, hi = 2.0;
  const double alpha = (lo - m0) / s0, beta = (hi - m0) / s0;
  const double z = cdf(kStandardNormal, beta) - cdf(kStandardNormal, alpha);
  const double pa = pdf(kStandardNormal, alpha), pb = pdf(kStandardNormal, beta);
  const double mean = m0 + s0 * (pa - pb) / z;
  const double var =
      s0 * s0 * (1.0 + (alpha * pa - beta * pb) / z - ((pa - pb) / z) * ((pa - pb) / z));
  auto q = [&](double p) {
    return m0 + s0 * quantile(kStandardNormal, cdf(kStandardNormal, alpha) + p * z);
  };
  Model m{
      "bounded", {theta}, {{obs, x}}, {element("theta", theta, 0, {mean, var, q(0.05), q(0.95)})}};
  m.init = {{theta, Matrix::Constant(1, 1, 1.5)}};
  m.hmc_step = 0.3;
  m.hmc_steps = 8;
  m.mh_sd = {0.6};
  run_all(m, 700);
}

TEST_CASE("long run: an ordered parameter (order statistics)") {
  // c ~ Flat on increasing pairs, with N(c_k; 0, 1) factors (a Normal observed at 0): c is the
  // order statistics of two standard normals. E = ∓1/√π, Var = 1 − 1/π, and the minimum's CDF is
  // 1 − (1 − Φ)², the maximum's Φ².
  const ed::Flat c(1, 2, ed::Support::ordered());
  const ed::Normal obs(c, 1.0);
  const double e = 1.0 / std::sqrt(M_PI), var = 1.0 - 1.0 / M_PI;
  auto q_min = [](double p) { return quantile(kStandardNormal, 1.0 - std::sqrt(1.0 - p)); };
  auto q_max = [](double p) { return quantile(kStandardNormal, std::sqrt(p)); };
  Model m{"ordered",
          {c},
          {{obs, Matrix::Zero(1, 2)}},
          {element("c[1]", c, 0, {-e, var, q_min(0.05), q_min(0.95)}),
           element("c[2]", c, 1, {e, var, q_max(0.05), q_max(0.95)})}};
  m.init = {{c, (Matrix(1, 2) << -0.5, 0.5).finished()}};
  m.hmc_step = 0.3;
  m.hmc_steps = 8;
  m.mh_sd = {0.8};
  run_all(m, 800);
}

TEST_CASE("long run: a two-component mixture with known moments") {
  // x ~ 0.3 N(-1, 0.5) + 0.7 N(1.5, 0.7): bimodal, the modes 2.5 apart.
  const ed::Categorical cat = ed::Categorical::from_probs((Matrix(1, 2) << 0.3, 0.7).finished());
  const ed::Normal components((Matrix(1, 2) << -1.0, 1.5).finished(),
                              (Matrix(1, 2) << 0.5, 0.7).finished());
  const ed::Mixture x(cat, components);
  const double mean = 0.3 * -1.0 + 0.7 * 1.5;
  const double second = 0.3 * (0.25 + 1.0) + 0.7 * (0.49 + 2.25);
  auto mixture_cdf = [](double q) {
    return 0.3 * cdf(kStandardNormal, (q + 1.0) / 0.5) +
           0.7 * cdf(kStandardNormal, (q - 1.5) / 0.7);
  };
  Model m{"mixture",
          {x},
          {},
          {element("x", x, 0,
                   {mean, second - mean * mean, invert(mixture_cdf, 0.05, -10.0, 10.0),
                    invert(mixture_cdf, 0.95, -10.0, 10.0)})}};
  m.init = {{x, Matrix::Constant(1, 1, 0.5)}};
  m.hmc_step = 0.3;
  m.hmc_steps = 8;
  m.mh_sd = {1.5};
  run_all(m, 900);
}
