// Long runs of Gibbs against exact posteriors (4 chains × 10,000 sweeps): the Normal–Gamma
// model, a conjugate regression (the joint normal conditional with a random prior scale), a
// mixture by enumeration of its assignments; and simulation-based calibration.
#include <doctest/doctest.h>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/distributions/students_t.hpp>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tests/longrun/exact_check.hpp"

using ed::Matrix;
using ed::test::Exact;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr long kDraws = 10000;
constexpr int kChains = 4;

std::unique_ptr<ed::Gibbs> run_gibbs(const std::vector<ed::RandomVariable>& latents,
                                     const ed::Data& data, std::uint64_t seed) {
  auto gibbs = std::make_unique<ed::Gibbs>(latents, data);
  gibbs->initialize(
      {.n_iter = kDraws, .n_print = 1000000, .n_warmup = 500, .chains = kChains, .seed = seed});
  gibbs->run();
  return gibbs;
}

Exact student_t(double dof, double loc, double scale) {
  const boost::math::students_t_distribution<> t(dof);
  return {loc, scale * scale * dof / (dof - 2), loc + scale * boost::math::quantile(t, 0.05),
          loc + scale * boost::math::quantile(t, 0.95)};
}

Exact gamma(double shape, double rate) {
  const boost::math::gamma_distribution<> g(shape, 1 / rate);
  return {shape / rate, shape / (rate * rate), boost::math::quantile(g, 0.05),
          boost::math::quantile(g, 0.95)};
}

}  // namespace

TEST_CASE("long run: Gibbs on the Normal–Gamma model against its Student-t and Gamma") {
  const Matrix x =
      (Matrix(12, 1) << 1.2, -0.3, 2.5, 0.8, 1.9, 0.1, 1.4, 2.2, 0.6, 1.7, -0.9, 3.1).finished();
  const double a0 = 2.0, b0 = 1.5, m0 = 0.5, kappa0 = 0.5, n = 12.0;
  const ed::Gamma tau(a0, b0);
  const ed::Normal mu(m0, 1.0 / ed::sqrt(kappa0 * tau));
  const ed::Normal y(mu + Matrix::Zero(12, 1), ed::pow(tau, -0.5));
  const auto gibbs = run_gibbs({mu, tau}, {{y, x}}, 21);
  const double kn = kappa0 + n, mn = (kappa0 * m0 + x.sum()) / kn, an = a0 + n / 2;
  const double bn = b0 + 0.5 * (x.array() - x.mean()).square().sum() +
                    kappa0 * n * std::pow(x.mean() - m0, 2) / (2 * kn);
  CHECK(ed::test::check_exact("mu", gibbs->draws_by_chain(mu, 0),
                              student_t(2 * an, mn, std::sqrt(bn / (an * kn)))));
  CHECK(ed::test::check_exact("tau", gibbs->draws_by_chain(tau, 0), gamma(an, bn)));
}

TEST_CASE("long run: Gibbs on a conjugate regression (a joint normal block)") {
  // w ~ N(0, (λτ)^-½ I), τ ~ Gamma(a0, b0), y ~ N(Xw, τ^-½): τ | y is Gamma and each w_j | y a
  // Student-t, from Λn = λI + XᵀX, mn = Λn⁻¹Xᵀy.
  const Matrix X =
      (Matrix(8, 2) << 1, -1.2, 1, -0.7, 1, -0.3, 1, 0.1, 1, 0.4, 1, 0.9, 1, 1.3, 1, 1.8)
          .finished();
  const Matrix y_data = (Matrix(8, 1) << -1.1, -0.2, 0.3, 0.2, 1.1, 1.0, 2.2, 2.4).finished();
  const double lambda = 0.5, a0 = 2.0, b0 = 1.0;
  const ed::Gamma tau(a0, b0);
  const ed::Normal w(Matrix::Zero(2, 1), 1.0 / ed::sqrt(lambda * tau));
  const ed::Normal y(ed::matmul(X, w), ed::pow(tau, -0.5));
  const auto gibbs = run_gibbs({w, tau}, {{y, y_data}}, 22);
  const Matrix precision = lambda * Matrix::Identity(2, 2) + X.transpose() * X;
  const Matrix covariance = precision.inverse();
  const Eigen::VectorXd mn = covariance * X.transpose() * y_data;
  const double an = a0 + 4.0;
  const double bn = b0 + 0.5 * (y_data.squaredNorm() - mn.dot(precision * mn));
  for (int j = 0; j < 2; ++j) {
    CHECK(ed::test::check_exact("w" + std::to_string(j), gibbs->draws_by_chain(w, j),
                                student_t(2 * an, mn(j), std::sqrt(bn / an * covariance(j, j)))));
  }
  CHECK(ed::test::check_exact("tau", gibbs->draws_by_chain(tau, 0), gamma(an, bn)));
}

TEST_CASE("long run: Gibbs on a mixture's means and assignments against enumeration") {
  const Matrix x_data = (Matrix(5, 1) << -1.5, -0.4, 0.3, 0.9, 2.1).finished();
  const Matrix prior_mean = (Matrix(2, 1) << -1.0, 1.0).finished();
  const Matrix log_weights = (Matrix(1, 2) << std::log(0.6), std::log(0.4)).finished();
  const ed::Normal mu(prior_mean, 1.0);
  const ed::Categorical z(ed::Tensor(Matrix::Zero(5, 2)) + log_weights);
  const ed::Normal x(ed::gather_rows(mu, z), 1.0);
  // The exact posterior: a weighted sum over the 2⁵ assignments of Normal–Normal updates.
  double total = 0.0, m[2] = {0, 0}, s[2] = {0, 0}, first_in_1 = 0.0;
  for (int pattern = 0; pattern < 32; ++pattern) {
    double log_w = 0.0, post[2], var[2];
    for (int k = 0; k < 2; ++k) {
      double count = 0.0, sum = 0.0, ss = 0.0;
      for (int i = 0; i < 5; ++i) {
        if (((pattern >> i) & 1) != k) continue;
        count += 1;
        sum += x_data(i, 0);
        ss += x_data(i, 0) * x_data(i, 0);
      }
      const double precision = 1 + count;
      post[k] = (prior_mean(k, 0) + sum) / precision;
      var[k] = 1 / precision;
      log_w += count * log_weights(0, k) - 0.5 * std::log(precision) -
               0.5 * (ss + prior_mean(k, 0) * prior_mean(k, 0)) +
               0.5 * precision * post[k] * post[k];
    }
    const double weight = std::exp(log_w);
    total += weight;
    for (int k = 0; k < 2; ++k) {
      m[k] += weight * post[k];
      s[k] += weight * (var[k] + post[k] * post[k]);
    }
    if (pattern & 1) first_in_1 += weight;
  }
  const auto gibbs = run_gibbs({mu, z}, {{x, x_data}}, 23);
  for (int k = 0; k < 2; ++k) {
    const double mean = m[k] / total;
    CHECK(ed::test::check_exact("mu" + std::to_string(k), gibbs->draws_by_chain(mu, k),
                                {mean, s[k] / total - mean * mean, kNaN, kNaN}));
  }
  const double p = first_in_1 / total;
  CHECK(ed::test::check_exact("z0", gibbs->draws_by_chain(z, 0), {p, p * (1 - p), kNaN, kNaN}));
}

namespace {
// Gibbs as a user would run it, two chains: 1,000 draws for ranks among 99.
ed::SBCFit gibbs_fit(const std::vector<ed::RandomVariable>& latents) {
  return [latents](const ed::Data& data, std::uint64_t seed) {
    auto gibbs = std::make_unique<ed::Gibbs>(latents, data);
    gibbs->initialize(
        {.n_iter = 500, .n_print = 1000000, .n_warmup = 100, .chains = 2, .seed = seed});
    gibbs->run();
    return std::unique_ptr<ed::MonteCarlo>(std::move(gibbs));
  };
}

void check_calibrated(const std::vector<ed::RandomVariable>& latents,
                      const std::vector<ed::RandomVariable>& observed,
                      const std::vector<std::string>& names, std::uint64_t seed) {
  const ed::SBCResult r =
      ed::sbc(latents, observed, gibbs_fit(latents), {.replications = 1000, .seed = seed}, names);
  for (std::size_t s = 0; s < r.names.size(); ++s) {
    INFO(r.names[s] << ": chi2 " << r.chi_squared[s] << ", p " << r.p_value[s] << ", histogram "
                    << r.histogram(static_cast<int>(s)).transpose());
    CHECK(r.p_value[s] > 1e-3);
  }
}
}  // namespace

TEST_CASE("long run: SBC of Gibbs, Normal–Gamma and Dirichlet–Categorical") {
  {
    const ed::Gamma tau(3.0, 2.0);
    const ed::Normal mu(0.0, 1.0 / ed::sqrt(tau));
    const ed::Normal y(mu + Matrix::Zero(6, 1), ed::pow(tau, -0.5));
    check_calibrated({mu, tau}, {y}, {"mu", "tau"}, 31);
  }
  {
    const ed::Dirichlet theta((Matrix(1, 3) << 1.0, 2.0, 1.5).finished());
    const ed::Categorical y = ed::Categorical::from_probs(ed::matmul(Matrix::Ones(8, 1), theta));
    check_calibrated({theta}, {y}, {"theta"}, 32);
  }
}
