// Every elementwise family: log_prob against Boost.Math at random points, gradients against
// finite differences, samplers against moments and a Kolmogorov–Smirnov test, extremes.
#include <doctest/doctest.h>

#include <Eigen/LU>
#include <boost/math/distributions.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <boost/math/special_functions/bessel.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;
namespace bm = boost::math;

namespace {

struct Range {
  double low, high;
};

struct FamilyCase {
  const char* name;
  std::vector<Range> params;  ///< where each parameter is drawn
  Range x;                    ///< where the value is drawn
  bool integer_x;
  std::function<ed::RandomVariable(const std::vector<Tensor>&)> build;
  std::function<double(const std::vector<double>&, double)> log_density;  ///< the reference
  std::function<double(const std::vector<double>&, double)> cdf;          ///< continuous only
};

// The von Mises reference: κ cos(x − μ) − log(2π I₀(κ)) (Boost's Bessel function), and its CDF
// from −π by Gauss–Kronrod quadrature of the density.
double von_mises_log_density(double mu, double kappa, double x) {
  return kappa * std::cos(x - mu) - std::log(2 * std::numbers::pi * bm::cyl_bessel_i(0, kappa));
}
double von_mises_cdf(double mu, double kappa, double x) {
  auto density = [&](double t) { return std::exp(von_mises_log_density(mu, kappa, t)); };
  return bm::quadrature::gauss_kronrod<double, 31>::integrate(density, -std::numbers::pi, x, 8,
                                                              1e-12);
}

// Families whose first parameter is an integer count that bounds the value.
bool has_count(const std::string& name) { return name == "Binomial" || name == "BetaBinomial"; }

const std::vector<FamilyCase>& cases() {
  static const std::vector<FamilyCase> all = {
      {"Normal",
       {{-2, 2}, {0.3, 3}},
       {-4, 4},
       false,
       [](auto& p) { return ed::Normal(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::normal(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::normal(p[0], p[1]), x); }},
      {"HalfNormal",
       {{0.3, 3}},
       {0, 4},
       false,
       [](auto& p) { return ed::HalfNormal(p[0]); },
       [](auto& p, double x) { return std::log(2.0 * bm::pdf(bm::normal(0, p[0]), x)); },
       [](auto& p, double x) { return 2.0 * bm::cdf(bm::normal(0, p[0]), x) - 1.0; }},
      {"LogNormal",
       {{-1, 1}, {0.3, 1.5}},
       {0.05, 5},
       false,
       [](auto& p) { return ed::LogNormal(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::lognormal(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::lognormal(p[0], p[1]), x); }},
      {"StudentT",
       {{1.5, 10}, {-2, 2}, {0.3, 3}},
       {-5, 5},
       false,
       [](auto& p) { return ed::StudentT(p[0], p[1], p[2]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::students_t(p[0]), (x - p[1]) / p[2]) / p[2]);
       },
       [](auto& p, double x) { return bm::cdf(bm::students_t(p[0]), (x - p[1]) / p[2]); }},
      {"Cauchy",
       {{-2, 2}, {0.3, 3}},
       {-6, 6},
       false,
       [](auto& p) { return ed::Cauchy(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::cauchy(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::cauchy(p[0], p[1]), x); }},
      {"HalfCauchy",
       {{0.3, 3}},
       {0, 6},
       false,
       [](auto& p) { return ed::HalfCauchy(p[0]); },
       [](auto& p, double x) { return std::log(2.0 * bm::pdf(bm::cauchy(0, p[0]), x)); },
       [](auto& p, double x) { return 2.0 * bm::cdf(bm::cauchy(0, p[0]), x) - 1.0; }},
      {"Laplace",
       {{-2, 2}, {0.3, 3}},
       {-5, 5},
       false,
       [](auto& p) { return ed::Laplace(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::laplace(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::laplace(p[0], p[1]), x); }},
      {"Logistic",
       {{-2, 2}, {0.3, 3}},
       {-5, 5},
       false,
       [](auto& p) { return ed::Logistic(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::logistic(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::logistic(p[0], p[1]), x); }},
      {"Gumbel",
       {{-2, 2}, {0.3, 3}},
       {-3, 6},
       false,
       [](auto& p) { return ed::Gumbel(p[0], p[1]); },
       [](auto& p, double x) {
         // Boost's pdf underflows in the left tail; the closed form is used there.
         const double pdf = bm::pdf(bm::extreme_value(p[0], p[1]), x);
         const double z = (x - p[0]) / p[1];
         return pdf > 1e-300 ? std::log(pdf) : -(z + std::exp(-z)) - std::log(p[1]);
       },
       [](auto& p, double x) { return bm::cdf(bm::extreme_value(p[0], p[1]), x); }},
      {"Uniform",
       {{-3, -1}, {1, 3}},
       {-0.9, 0.9},
       false,
       [](auto& p) { return ed::Uniform(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::uniform(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::uniform(p[0], p[1]), x); }},
      {"Exponential",
       {{0.3, 3}},
       {0, 5},
       false,
       [](auto& p) { return ed::Exponential(p[0]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::exponential(p[0]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::exponential(p[0]), x); }},
      {"Gamma",
       {{0.5, 5}, {0.3, 3}},
       {0.05, 6},
       false,
       [](auto& p) { return ed::Gamma(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::gamma_distribution<>(p[0], 1 / p[1]), x));
       },
       [](auto& p, double x) { return bm::cdf(bm::gamma_distribution<>(p[0], 1 / p[1]), x); }},
      {"InverseGamma",
       {{0.5, 5}, {0.3, 3}},
       {0.05, 6},
       false,
       [](auto& p) { return ed::InverseGamma(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::inverse_gamma(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::inverse_gamma(p[0], p[1]), x); }},
      {"Weibull",
       {{0.5, 4}, {0.3, 3}},
       {0.05, 5},
       false,
       [](auto& p) { return ed::Weibull(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::weibull(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::weibull(p[0], p[1]), x); }},
      {"HalfStudentT",
       {{4.5, 10}, {0.3, 3}},
       {0, 5},
       false,
       [](auto& p) { return ed::HalfStudentT(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(2.0 * bm::pdf(bm::students_t(p[0]), x / p[1]) / p[1]);
       },
       [](auto& p, double x) { return 2.0 * bm::cdf(bm::students_t(p[0]), x / p[1]) - 1.0; }},
      {"Chi2",
       {{0.5, 8}},
       {0.05, 10},
       false,
       [](auto& p) { return ed::Chi2(p[0]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::chi_squared(p[0]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::chi_squared(p[0]), x); }},
      {"Beta",
       {{0.5, 5}, {0.5, 5}},
       {0.02, 0.98},
       false,
       [](auto& p) { return ed::Beta(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::beta_distribution<>(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::beta_distribution<>(p[0], p[1]), x); }},
      {"Bernoulli",
       {{-3, 3}},
       {0, 1},
       true,
       [](auto& p) { return ed::Bernoulli(p[0]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::bernoulli(1 / (1 + std::exp(-p[0]))), x));
       },
       nullptr},
      {"Binomial",
       {{1, 20}, {-3, 3}},
       {0, 20},
       true,
       [](auto& p) { return ed::Binomial(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::binomial(p[0], 1 / (1 + std::exp(-p[1]))), x));
       },
       nullptr},
      {"Poisson",
       {{0.3, 10}},
       {0, 15},
       true,
       [](auto& p) { return ed::Poisson(p[0]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::poisson(p[0]), x)); },
       nullptr},
      {"Geometric",
       {{-3, 3}},
       {0, 15},
       true,
       [](auto& p) { return ed::Geometric(p[0]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::geometric(1 / (1 + std::exp(-p[0]))), x));
       },
       nullptr},
      {"NegativeBinomial",
       {{0.5, 6}, {-3, 3}},
       {0, 20},
       true,
       [](auto& p) { return ed::NegativeBinomial(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::negative_binomial(p[0], 1 / (1 + std::exp(-p[1]))), x));
       },
       nullptr},
      {"NegativeBinomial2",
       {{0.5, 8}, {0.5, 6}},
       {0, 20},
       true,
       [](auto& p) { return ed::NegativeBinomial2(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::negative_binomial(p[1], p[1] / (p[0] + p[1])), x));
       },
       nullptr},
      {"SkewNormal",
       {{-2, 2}, {0.3, 3}, {-4, 4}},
       {-5, 5},
       false,
       [](auto& p) { return ed::SkewNormal(p[0], p[1], p[2]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::skew_normal(p[0], p[1], p[2]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::skew_normal(p[0], p[1], p[2]), x); }},
      {"Rayleigh",
       {{0.3, 3}},
       {0.05, 6},
       false,
       [](auto& p) { return ed::Rayleigh(p[0]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::rayleigh(p[0]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::rayleigh(p[0]), x); }},
      {"Pareto",
       {{0.5, 2}, {4.5, 8}},
       {2.05, 6},
       false,
       [](auto& p) { return ed::Pareto(p[0], p[1]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::pareto(p[0], p[1]), x)); },
       [](auto& p, double x) { return bm::cdf(bm::pareto(p[0], p[1]), x); }},
      {"Frechet",
       {{4.5, 8}, {0.3, 3}},
       {0.1, 6},
       false,
       [](auto& p) { return ed::Frechet(p[0], p[1]); },
       // 1/X is Weibull(α, 1/σ). Boost's pdf underflows in the left tail; the closed form is
       // used there.
       [](auto& p, double x) {
         const double pdf = bm::pdf(bm::weibull(p[0], 1 / p[1]), 1 / x) / (x * x);
         const double r = x / p[1];
         return pdf > 1e-300
                    ? std::log(pdf)
                    : std::log(p[0] / p[1]) - (1 + p[0]) * std::log(r) - std::pow(r, -p[0]);
       },
       [](auto& p, double x) {
         return bm::cdf(bm::complement(bm::weibull(p[0], 1 / p[1]), 1 / x));
       }},
      {"VonMises",
       {{-2, 2}, {0.1, 8}},
       {-3.1, 3.1},
       false,
       [](auto& p) { return ed::VonMises(p[0], p[1]); },
       [](auto& p, double x) { return von_mises_log_density(p[0], p[1], x); },
       [](auto& p, double x) { return von_mises_cdf(p[0], p[1], x); }},
      {"BetaBinomial",
       {{1, 20}, {0.5, 5}, {0.5, 5}},
       {0, 20},
       true,
       [](auto& p) { return ed::BetaBinomial(p[0], p[1], p[2]); },
       // C(N, k) B(k + α, N − k + β) / B(α, β), from std::lgamma
       [](auto& p, double k) {
         auto lbeta = [](double a, double b) {
           return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b);
         };
         const double n = p[0];
         return std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1) +
                lbeta(k + p[1], n - k + p[2]) - lbeta(p[1], p[2]);
       },
       nullptr},
      {"NegativeBinomial2Log",
       {{-1, 2.5}, {0.5, 6}},
       {0, 20},
       true,
       [](auto& p) { return ed::NegativeBinomial2Log(p[0], p[1]); },
       [](auto& p, double x) {
         const double mu = std::exp(p[0]);
         return std::log(bm::pdf(bm::negative_binomial(p[1], p[1] / (mu + p[1])), x));
       },
       nullptr},
      {"PoissonLog",
       {{-1.5, 2.5}},
       {0, 15},
       true,
       [](auto& p) { return ed::PoissonLog(p[0]); },
       [](auto& p, double x) { return std::log(bm::pdf(bm::poisson(std::exp(p[0])), x)); },
       nullptr},
      {"ZeroInflatedPoisson",
       {{0.3, 10}, {0.05, 0.6}},
       {0, 15},
       true,
       [](auto& p) { return ed::ZeroInflatedPoisson(p[0], p[1]); },
       [](auto& p, double x) {
         const double base = bm::pdf(bm::poisson(p[0]), x);
         return std::log((x == 0 ? p[1] : 0.0) + (1 - p[1]) * base);
       },
       nullptr},
      {"ZeroInflatedNegativeBinomial2",
       {{0.5, 8}, {0.5, 6}, {0.05, 0.6}},
       {0, 20},
       true,
       [](auto& p) { return ed::ZeroInflatedNegativeBinomial2(p[0], p[1], p[2]); },
       [](auto& p, double x) {
         const double base = bm::pdf(bm::negative_binomial(p[1], p[1] / (p[0] + p[1])), x);
         return std::log((x == 0 ? p[2] : 0.0) + (1 - p[2]) * base);
       },
       nullptr},
  };
  return all;
}

// Parameters for n points of case c, drawn from the case's ranges (integers for counts).
std::vector<Matrix> draw_params(const FamilyCase& c, ed::Index n, std::uint64_t seed) {
  std::vector<Matrix> p;
  for (std::size_t i = 0; i < c.params.size(); ++i) {
    Matrix m = ed::test::random_inputs({{n, 1}}, seed + i, c.params[i].low, c.params[i].high)[0];
    if (has_count(c.name) && i == 0) m = m.array().round();
    p.push_back(m);
  }
  return p;
}

}  // namespace

TEST_CASE("every family's log_prob matches Boost.Math at random points") {
  std::uint64_t seed = 200;
  for (const FamilyCase& c : cases()) {
    const std::string family = c.name;
    CAPTURE(family);
    const ed::Index n = 25;
    const auto p = draw_params(c, n, seed);
    Matrix x = ed::test::random_inputs({{n, 1}}, seed + 10, c.x.low, c.x.high)[0];
    if (c.integer_x) x = x.array().round();
    if (has_count(c.name)) x = x.cwiseMin(p[0]);
    seed += 20;
    std::vector<Tensor> params(p.begin(), p.end());
    const Matrix lp = ed::eval(c.build(params).log_prob(x));
    for (ed::Index i = 0; i < n; ++i) {
      std::vector<double> pi;
      for (const Matrix& m : p) pi.push_back(m(i, 0));
      const double expected = c.log_density(pi, x(i, 0));
      CAPTURE(i);
      CAPTURE(x(i, 0));
      CHECK(lp(i, 0) == doctest::Approx(expected).epsilon(1e-10).scale(1.0));
    }
  }
}

TEST_CASE("every family's log_prob has exact gradients in its continuous parameters and value") {
  std::uint64_t seed = 300;
  for (const FamilyCase& c : cases()) {
    const std::string family = c.name;
    CAPTURE(family);
    auto p = draw_params(c, 3, seed);
    Matrix x = ed::test::random_inputs({{3, 1}}, seed + 10, c.x.low, c.x.high)[0];
    seed += 20;
    const std::string name = c.name;
    // Keep finite differences inside the domain: values away from the bounds.
    if (!c.integer_x && (name != "Uniform")) x = x.cwiseMax(c.x.low + 0.05);
    if (c.integer_x) x = x.array().round();
    if (has_count(name)) x = x.cwiseMin(p[0]);
    // Differentiate in every parameter except integer counts; in x for continuous families.
    std::vector<Matrix> inputs;
    std::vector<int> which;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (has_count(name) && i == 0) continue;
      inputs.push_back(p[i]);
      which.push_back(static_cast<int>(i));
    }
    if (!c.integer_x) inputs.push_back(x);
    CHECK(ed::test::check_gradient(
        [&](auto& t) {
          std::vector<Tensor> params(p.begin(), p.end());
          for (std::size_t k = 0; k < which.size(); ++k) params[which[k]] = t[k];
          const Tensor value = c.integer_x ? Tensor(x) : t.back();
          return c.build(params).log_prob(value);
        },
        inputs, {.rel = 1e-6, .abs = 1e-6}, c.name));
  }
}

TEST_CASE("samplers match their means and variances and pass a KS test against Boost's CDF") {
  std::uint64_t seed = 400;
  const ed::Index n = 100000;
  for (const FamilyCase& c : cases()) {
    const std::string family = c.name;
    CAPTURE(family);
    const std::string name = c.name;
    // Fixed parameters, mid-range; heavy-tailed families have no variance to test.
    std::vector<double> pv;
    for (const Range& r : c.params)
      pv.push_back(has_count(name) && &r == &c.params[0] ? 12.0 : 0.5 * (r.low + r.high));
    if (name == "StudentT") pv[0] = 9.0;
    std::vector<Tensor> params;
    for (double v : pv) params.push_back(Matrix::Constant(n, 1, v));
    const ed::RandomVariable rv = c.build(params);
    ed::Session session(seed++);
    const Matrix draws = session.run({rv})[0];
    ed::Session again(seed - 1);
    CHECK(draws == again.run({rv})[0]);  // a seed reproduces the draws bit for bit
    // Cauchy has no moments; the von Mises' mean and variance are circular ones.
    if (name != "Cauchy" && name != "HalfCauchy" && name != "VonMises") {
      const double mean = ed::eval(rv.mean())(0, 0);
      const double var = ed::eval(rv.variance())(0, 0);
      const double m = draws.mean();
      const Eigen::ArrayXd centred = draws.array() - m;
      const double s2 = centred.square().sum() / (n - 1);
      const double m4 = centred.pow(4).mean();
      CHECK(std::abs(m - mean) < 5.0 * std::sqrt(var / n));
      // SE of the sample variance (first order), plus its second-order bias term var/n, which
      // dominates when the first-order term vanishes (Bernoulli(½)).
      CHECK(std::abs(s2 - var) < 5.0 * std::sqrt(std::max(m4 - s2 * s2, 0.0) / n) + 10.0 * var / n);
    }
    if (c.cdf) {
      std::vector<double> sorted(draws.data(), draws.data() + n);
      std::sort(sorted.begin(), sorted.end());
      double d = 0.0;
      for (ed::Index i = 0; i < n; ++i) {
        const double f = c.cdf(pv, sorted[i]);
        d = std::max({d, std::abs(f - double(i) / n), std::abs(f - double(i + 1) / n)});
      }
      // The KS critical value at α = 0.001 is 1.95/√n.
      CHECK(d < 1.95 / std::sqrt(double(n)));
    } else {
      // Discrete: the frequency of each of the first few values against the mass function.
      for (int k = 0; k <= (name == "Bernoulli" ? 1 : 3); ++k) {
        const double p = std::exp(c.log_density(pv, k));
        const double freq = (draws.array() == double(k)).cast<double>().mean();
        CHECK(std::abs(freq - p) < 5.0 * std::sqrt(p * (1 - p) / n) + 1e-12);
      }
    }
  }
}

TEST_CASE("log densities stay finite and exact at scales 1e-8 and 1e8 and logits of ±700") {
  const double half_log_2pi = 0.5 * std::log(2 * std::numbers::pi);
  for (double s : {1e-8, 1e8}) {
    CAPTURE(s);
    CHECK(ed::eval(ed::Laplace(0.0, s).log_prob(s))(0, 0) ==
          doctest::Approx(-std::log(2 * s) - 1.0).epsilon(1e-14));
    CHECK(ed::eval(ed::Logistic(0.0, s).log_prob(3 * s))(0, 0) ==
          doctest::Approx(-3.0 - std::log(s) - 2 * std::log1p(std::exp(-3.0))).epsilon(1e-14));
    CHECK(ed::eval(ed::HalfNormal(s).log_prob(s))(0, 0) ==
          doctest::Approx(0.5 * std::log(2 / std::numbers::pi) - std::log(s) - 0.5).epsilon(1e-14));
    CHECK(ed::eval(ed::LogNormal(0.0, s).log_prob(1.0))(0, 0) ==
          doctest::Approx(-std::log(s) - half_log_2pi).epsilon(1e-14));
    CHECK(std::isfinite(ed::eval(ed::Cauchy(0.0, s).log_prob(1e3 * s))(0, 0)));
    CHECK(std::isfinite(ed::eval(ed::Gumbel(0.0, s).log_prob(5 * s))(0, 0)));
    CHECK(std::isfinite(ed::eval(ed::Gamma(2.0, 1.0 / s).log_prob(s))(0, 0)));
  }
  for (double l : {-700.0, 700.0}) {
    CAPTURE(l);
    // log σ(l) and log σ(−l) exactly: min(l, 0) − log1p(e^−|l|).
    const double log_p = std::min(l, 0.0) - std::log1p(std::exp(-std::abs(l)));
    const double log_q = std::min(-l, 0.0) - std::log1p(std::exp(-std::abs(l)));
    CHECK(ed::eval(ed::Bernoulli(l).log_prob(1.0))(0, 0) == doctest::Approx(log_p).epsilon(1e-14));
    CHECK(ed::eval(ed::Bernoulli(l).log_prob(0.0))(0, 0) == doctest::Approx(log_q).epsilon(1e-14));
    CHECK(ed::eval(ed::Geometric(l).log_prob(2.0))(0, 0) ==
          doctest::Approx(log_p + 2 * log_q).epsilon(1e-14));
    CHECK(std::isfinite(ed::eval(ed::Binomial(10.0, l).log_prob(3.0))(0, 0)));
    CHECK(std::isfinite(ed::eval(ed::NegativeBinomial(2.5, l).log_prob(3.0))(0, 0)));
  }
}

TEST_CASE("the fused Bernoulli.log_prob is right at every broadcast of x and logits") {
  // Values against log σ(l) and log σ(−l) written out, gradients against finite differences,
  // for each of the 16 combinations of the four shapes of a 4 × 3 value.
  const auto shapes = ed::test::broadcast_variants(4, 3);
  std::uint64_t seed = 300;
  for (const ed::Shape& sx : shapes) {
    for (const ed::Shape& sl : shapes) {
      CAPTURE(ed::to_string(sx));
      CAPTURE(ed::to_string(sl));
      auto in = ed::test::random_inputs({sx, sl}, ++seed, -3.0, 3.0);
      in[0] = (in[0].array() > 0.0).cast<double>();  // labels
      const Matrix lp = ed::eval(ed::Bernoulli(in[1]).log_prob(in[0]));
      for (ed::Index i = 0; i < lp.rows(); ++i) {
        for (ed::Index j = 0; j < lp.cols(); ++j) {
          const double x = in[0](in[0].rows() == 1 ? 0 : i, in[0].cols() == 1 ? 0 : j);
          const double l = in[1](in[1].rows() == 1 ? 0 : i, in[1].cols() == 1 ? 0 : j);
          const double expected = x == 1.0 ? -std::log1p(std::exp(-l)) : -std::log1p(std::exp(l));
          CHECK(lp(i, j) == doctest::Approx(expected).epsilon(1e-13));
        }
      }
      // The labels as a constant (data), the logits differentiated.
      const Matrix labels = in[0];
      CHECK(ed::test::check_gradient([&](auto& t) { return ed::Bernoulli(t[0]).log_prob(labels); },
                                     {in[1]}, {}, "Bernoulli.log_prob"));
    }
  }
  // Probabilities of exactly 0 and 1 (logits ∓inf) give 0 and −inf, never NaN.
  const double inf = std::numeric_limits<double>::infinity();
  const ed::Bernoulli sure = ed::Bernoulli::from_probs((Matrix(2, 1) << 0.0, 1.0).finished());
  const Matrix at_one = ed::eval(sure.log_prob(1.0)), at_zero = ed::eval(sure.log_prob(0.0));
  CHECK(at_one(0, 0) == -inf);
  CHECK(at_one(1, 0) == 0.0);
  CHECK(at_zero(0, 0) == 0.0);
  CHECK(at_zero(1, 0) == -inf);
}

TEST_CASE("values outside the support have log_prob -inf; bad parameters are named") {
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(ed::eval(ed::Exponential(1.0).log_prob(-1.0))(0, 0) == -inf);
  CHECK(ed::eval(ed::Beta(2.0, 2.0).log_prob(1.5))(0, 0) == -inf);
  CHECK(ed::eval(ed::Poisson(2.0).log_prob(1.5))(0, 0) == -inf);
  CHECK(ed::eval(ed::Binomial(3.0, 0.0).log_prob(4.0))(0, 0) == -inf);
  CHECK(ed::eval(ed::Bernoulli(0.0).log_prob(2.0))(0, 0) == -inf);
  CHECK(ed::eval(ed::Uniform(0.0, 1.0).log_prob(1.5))(0, 0) == -inf);
  CHECK(ed::eval(ed::Poisson(0.0).log_prob(0.0))(0, 0) == 0.0);
  CHECK(ed::eval(ed::Gamma(1.0, 2.0).log_prob(0.0))(0, 0) == doctest::Approx(std::log(2.0)));
  CHECK(ed::eval(ed::Bernoulli::from_probs(1.0).log_prob(1.0))(0, 0) == 0.0);
  CHECK_THROWS_WITH_AS(ed::eval(ed::Gamma(-1.0, 1.0).log_prob(1.0)),
                       "Gamma: concentration[0, 0] is -1, but must be positive",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(ed::Binomial(2.5, 0.0).log_prob(1.0)),
                       "Binomial: total_count[0, 0] is 2.5, but must be a non-negative integer",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::eval(ed::Bernoulli::from_probs((Matrix(2, 1) << 0.5, 1.2).finished()).log_prob(1.0)),
      "Bernoulli: probs[1, 0] is 1.2, but must be in [0, 1]", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(ed::Uniform(1.0, 0.0).log_prob(0.5)),
                       "Uniform: high - low[0, 0] is -1, but must be positive",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::StudentT(Matrix::Ones(3, 1), 0.0, Matrix::Ones(4, 1)),
                       "StudentT: df [3, 1] and scale [4, 1] do not broadcast",
                       ed::invalid_argument);
}

TEST_CASE("OrderedLogistic: probabilities of the cut logistic, gradients, draws, extremes") {
  const Matrix eta = (Matrix(3, 1) << -1.0, 0.4, 2.5).finished();
  const Matrix cuts = (Matrix(1, 3) << -0.5, 0.7, 1.9).finished();
  const ed::OrderedLogistic y(eta, cuts);
  auto sigma = [](double t) { return 1.0 / (1.0 + std::exp(-t)); };
  for (ed::Index i = 0; i < 3; ++i) {
    double total = 0.0;
    for (int k = 0; k < 4; ++k) {
      const double upper = k == 0 ? 1.0 : sigma(eta(i, 0) - cuts(0, k - 1));
      const double lower = k == 3 ? 0.0 : sigma(eta(i, 0) - cuts(0, k));
      const Matrix labels = Matrix::Constant(3, 1, k);
      const double p = std::exp(ed::eval(y.log_prob(labels))(i, 0));
      CHECK(p == doctest::Approx(upper - lower).epsilon(1e-12));
      total += p;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
  }
  // Cutpoints as a column (Stan's vector) mean the same; outside {0, …, 3} the mass is 0.
  const ed::OrderedLogistic y_col(eta, Matrix(cuts.transpose()));
  const Matrix some = (Matrix(3, 1) << 0, 2, 3).finished();
  CHECK(ed::test::all_close(ed::eval(y_col.log_prob(some)), ed::eval(y.log_prob(some))));
  CHECK(ed::eval(y.log_prob(Matrix::Constant(3, 1, 4.0)))(0, 0) ==
        -std::numeric_limits<double>::infinity());
  CHECK(y.support().name() == ed::Support::integer_interval(0, 3).name());
  // Gradients in η and the cutpoints (kept increasing by the inputs' ranges).
  CHECK(ed::test::check_gradient(
      [&](const std::vector<Tensor>& x) {
        const Tensor c = ed::concat({x[1] - 2.0, x[1], x[1] + 1.5}, 1);
        return ed::OrderedLogistic(x[0], c).log_prob(some);
      },
      {eta, Matrix::Constant(1, 1, 0.3)}, {}, "OrderedLogistic"));
  // Far beyond the cutpoints the log masses stay finite and exact (no cancellation).
  const ed::OrderedLogistic far(Matrix::Constant(1, 1, 1e3), cuts);
  CHECK(ed::eval(far.log_prob(Matrix::Constant(1, 1, 3.0)))(0, 0) == doctest::Approx(0.0));
  const double middle = ed::eval(far.log_prob(Matrix::Constant(1, 1, 1.0)))(0, 0);
  CHECK(std::isfinite(middle));
  CHECK(middle == doctest::Approx(-(1e3 - 0.7) + std::log1p(-std::exp(-1.2))).epsilon(1e-12));
  // Draws: the frequencies of each outcome.
  const ed::Index n = 40000;
  const ed::OrderedLogistic many(Matrix::Constant(n, 1, 0.4), cuts);
  ed::Session session(12);
  const Matrix draws = session.run({many})[0];
  for (int k = 0; k < 4; ++k) {
    const double p = std::exp(ed::eval(y.log_prob(Matrix::Constant(3, 1, k)))(1, 0));
    const double freq = (draws.array() == double(k)).cast<double>().mean();
    CHECK(std::abs(freq - p) < 5.0 * std::sqrt(p * (1 - p) / n));
  }
  CHECK_THROWS_WITH_AS(
      ed::eval(ed::OrderedLogistic(eta, (Matrix(1, 2) << 1.0, 0.5).finished()).log_prob(some)),
      doctest::Contains("OrderedLogistic: cutpoints"), ed::invalid_argument);
}

TEST_CASE("MultivariateNormalFullCovariance equals the Cholesky form, with gradients in Σ") {
  Matrix cov(3, 3);
  cov << 2.0, 0.6, -0.3, 0.6, 1.0, 0.2, -0.3, 0.2, 0.5;
  const Matrix loc = (Matrix(1, 3) << 0.5, -1.0, 2.0).finished();
  const Matrix x = ed::test::random_inputs({{4, 3}}, 501, -2.0, 2.0)[0];
  const ed::MultivariateNormalFullCovariance mvn(loc, cov);
  // Against the density written with Σ⁻¹ and log det Σ.
  const Matrix precision = cov.inverse();
  const double log_det = std::log(cov.determinant());
  const Matrix lp = ed::eval(mvn.log_prob(x));
  for (ed::Index i = 0; i < 4; ++i) {
    const Eigen::RowVectorXd r = x.row(i) - loc;
    const double expected = -0.5 * (r * precision * r.transpose())(0, 0) - 0.5 * log_det -
                            1.5 * std::log(2 * std::numbers::pi);
    CHECK(lp(i, 0) == doctest::Approx(expected).epsilon(1e-12));
  }
  CHECK(ed::test::all_close(ed::eval(mvn.variance()), Matrix(cov.diagonal().transpose()), 1e-14));
  // The gradient reaches Σ through the Cholesky factor (a symmetric perturbation: Σ = A Aᵀ + I).
  CHECK(ed::test::check_gradient(
      [&](const std::vector<Tensor>& a) {
        const Tensor sigma = ed::matmul(a[0], ed::transpose(a[0])) + Matrix(Matrix::Identity(3, 3));
        return ed::MultivariateNormalFullCovariance(a[1], sigma).log_prob(x);
      },
      {ed::test::random_inputs({{3, 3}}, 502, -1.0, 1.0)[0], loc}, {}, "mvn full covariance"));
  // Draws: the sample covariance.
  const ed::Index n = 40000;
  const ed::MultivariateNormalFullCovariance many(Matrix::Zero(n, 3), cov);
  ed::Session session(13);
  const Matrix draws = session.run({many})[0];
  const Matrix sample_cov = draws.transpose() * draws / double(n);
  CHECK((sample_cov - cov).cwiseAbs().maxCoeff() < 0.06);
  CHECK_THROWS_WITH_AS(ed::MultivariateNormalFullCovariance(loc, Matrix::Identity(2, 2)),
                       doctest::Contains("MultivariateNormalFullCovariance: loc [1, 3]"),
                       ed::invalid_argument);
  Matrix not_pd = cov;
  not_pd(0, 0) = -1.0;
  CHECK_THROWS_WITH_AS(ed::eval(ed::MultivariateNormalFullCovariance(loc, not_pd).log_prob(x)),
                       doctest::Contains("not positive definite"), ed::invalid_argument);
}

TEST_CASE("OrderedProbit: probabilities of the cut normal, gradients, draws, extremes") {
  const Matrix eta = (Matrix(3, 1) << -1.0, 0.4, 2.5).finished();
  const Matrix cuts = (Matrix(1, 3) << -0.5, 0.7, 1.9).finished();
  const ed::OrderedProbit y(eta, cuts);
  const bm::normal standard;
  for (ed::Index i = 0; i < 3; ++i) {
    double total = 0.0;
    for (int k = 0; k < 4; ++k) {
      const double upper = k == 0 ? 1.0 : bm::cdf(standard, eta(i, 0) - cuts(0, k - 1));
      const double lower = k == 3 ? 0.0 : bm::cdf(standard, eta(i, 0) - cuts(0, k));
      const double p = std::exp(ed::eval(y.log_prob(Matrix::Constant(3, 1, k)))(i, 0));
      CHECK(p == doctest::Approx(upper - lower).epsilon(1e-12));
      total += p;
    }
    CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
  }
  const Matrix some = (Matrix(3, 1) << 0, 2, 3).finished();
  CHECK(ed::test::check_gradient(
      [&](const std::vector<Tensor>& x) {
        const Tensor c = ed::concat({x[1] - 2.0, x[1], x[1] + 1.5}, 1);
        return ed::OrderedProbit(x[0], c).log_prob(some);
      },
      {eta, Matrix::Constant(1, 1, 0.3)}, {}, "OrderedProbit"));
  // Far beyond the cutpoints (η = ±60): the middle outcomes' log masses come from the tail that
  // does not cancel: at η = 60, P(1) = Φ(60.5) − Φ(59.3) = Φ(−59.3) − Φ(−60.5).
  const ed::OrderedProbit far(Matrix::Constant(1, 1, 60.0), cuts);
  const double middle = ed::eval(far.log_prob(Matrix::Constant(1, 1, 1.0)))(0, 0);
  const Matrix tails = ed::eval(ed::log_Phi(Matrix((Matrix(1, 2) << -59.3, -60.5).finished())));
  CHECK(middle == doctest::Approx(tails(0, 0) + std::log1p(-std::exp(tails(0, 1) - tails(0, 0))))
                      .epsilon(1e-12));
  CHECK(std::isfinite(ed::eval(
      ed::OrderedProbit(Matrix::Constant(1, 1, -1e3), cuts).log_prob(Matrix::Constant(1, 1, 3.0)))(
      0, 0)));
  const ed::Index n = 40000;
  const ed::OrderedProbit many(Matrix::Constant(n, 1, 0.4), cuts);
  ed::Session session(14);
  const Matrix draws = session.run({many})[0];
  for (int k = 0; k < 4; ++k) {
    const double p = std::exp(ed::eval(y.log_prob(Matrix::Constant(3, 1, k)))(1, 0));
    const double freq = (draws.array() == double(k)).cast<double>().mean();
    CHECK(std::abs(freq - p) < 5.0 * std::sqrt(p * (1 - p) / n));
  }
  CHECK_THROWS_WITH_AS(ed::OrderedProbit(eta, Matrix::Ones(2, 2)),
                       doctest::Contains("OrderedProbit: cutpoints must be a vector"),
                       ed::invalid_argument);
}

TEST_CASE("the Stan families at their extremes: far tails, huge concentrations, log means") {
  const double inf = std::numeric_limits<double>::infinity();
  auto lp = [](const ed::RandomVariable& rv, double x) { return ed::eval(rv.log_prob(x))(0, 0); };
  // SkewNormal with shape ±1e3: the far side of the mode is a normal tail times Φ(αz) ≈ 0, kept
  // in logs: at z = −1, log Φ(−1000) ≈ −5e5.
  const double far_side = lp(ed::SkewNormal(0.0, 1.0, 1e3), -1.0);
  CHECK(std::isfinite(far_side));
  CHECK(far_side < -4.9e5);
  CHECK(lp(ed::SkewNormal(0.0, 1.0, 1e3), 1.0) ==
        doctest::Approx(std::log(2.0) - 0.5 - 0.5 * std::log(2 * std::numbers::pi)).epsilon(1e-14));
  for (double s : {1e-8, 1e8}) {
    CAPTURE(s);
    CHECK(lp(ed::Rayleigh(s), s) == doctest::Approx(-std::log(s) - 0.5).epsilon(1e-14));
    CHECK(std::isfinite(lp(ed::Frechet(3.0, s), 2 * s)));
    CHECK(lp(ed::Pareto(s, 2.0), 2 * s) ==
          doctest::Approx(std::log(2.0) - 2 * std::log(2.0) - std::log(2 * s)).epsilon(1e-13));
  }
  // Pareto below its y_min is impossible; a constant y_min is the latent's lower bound.
  CHECK(lp(ed::Pareto(1.0, 3.0), 0.5) == -inf);
  CHECK(ed::Pareto(1.5, 3.0).support().name() == "greater_than(1.5)");
  // VonMises: κ = 0 is uniform on the circle; κ = 1e5 is N(μ, 1/κ) to within O(1/κ).
  CHECK(lp(ed::VonMises(0.3, 0.0), 2.0) == doctest::Approx(-std::log(2 * std::numbers::pi)));
  const double kappa = 1e5;
  CHECK(lp(ed::VonMises(0.0, kappa), 0.001) ==
        doctest::Approx(-0.5 * kappa * 1e-6 + 0.5 * std::log(kappa / (2 * std::numbers::pi)))
            .epsilon(1e-5));
  // The density is periodic: 2π away is the same angle.
  CHECK(lp(ed::VonMises(0.3, 2.5), -2.0) ==
        doctest::Approx(lp(ed::VonMises(0.3, 2.5), -2.0 + 2 * std::numbers::pi)).epsilon(1e-13));
  CHECK(lp(ed::VonMises(0.3, 2.5), -2.0) == doctest::Approx(-4.694405790804933).epsilon(1e-12));
  // NegativeBinomial2Log at η = ±700 (μ = e^±700 would overflow or vanish): finite, and the
  // Poisson limit as φ grows.
  CHECK(std::isfinite(lp(ed::NegativeBinomial2Log(700.0, 2.0), 3.0)));
  CHECK(std::isfinite(lp(ed::NegativeBinomial2Log(-700.0, 2.0), 0.0)));
  // PoissonLog at η = −1000 (a rate of e^−1000, 0 in doubles): exactly k η for k = 0 and 3.
  CHECK(lp(ed::PoissonLog(-1000.0), 0.0) == 0.0);
  CHECK(lp(ed::PoissonLog(-1000.0), 3.0) == doctest::Approx(-3000.0 - std::log(6.0)));
  CHECK(lp(ed::NegativeBinomial2Log(std::log(3.0), 1e12), 2.0) ==
        doctest::Approx(std::log(bm::pdf(bm::poisson(3.0), 2.0))).epsilon(1e-9));
  // Zero inflation at gate 1 is a point mass at 0; at gate 0, the base law.
  CHECK(lp(ed::ZeroInflatedPoisson(3.0, 1.0), 0.0) == doctest::Approx(0.0));
  CHECK(lp(ed::ZeroInflatedPoisson(3.0, 1.0), 2.0) == -inf);
  CHECK(lp(ed::ZeroInflatedPoisson(3.0, 0.0), 2.0) == doctest::Approx(lp(ed::Poisson(3.0), 2.0)));
  // BetaBinomial sums to 1 over 0..N, and is −inf above N.
  double total = 0.0;
  for (int k = 0; k <= 9; ++k) total += std::exp(lp(ed::BetaBinomial(9.0, 0.7, 2.2), k));
  CHECK(total == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(lp(ed::BetaBinomial(9.0, 0.7, 2.2), 10.0) == -inf);
  // Bad parameters are named.
  CHECK_THROWS_WITH_AS(lp(ed::ZeroInflatedPoisson(3.0, 1.5), 0.0),
                       "ZeroInflatedPoisson: gate[0, 0] is 1.5, but must be in [0, 1]",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(lp(ed::VonMises(0.0, -1.0), 0.0),
                       "VonMises: concentration[0, 0] is -1, but must be non-negative",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(lp(ed::SkewNormal(0.0, 1.0, inf), 0.0),
                       "SkewNormal: shape[0, 0] is inf, but must be finite", ed::invalid_argument);
}

// Note [Pointwise densities]: HalfNormal, HalfCauchy, Gamma and PoissonLog are one op over
// their broadcast elements; the table above draws every operand at one shape, so here the
// value and the parameters broadcast against each other, and the op's domain check is hit.
TEST_CASE("pointwise log densities broadcast, differentiate and check their domain") {
  using RV = ed::RandomVariable;
  struct Pointwise {
    const char* name;
    std::vector<Range> params;
    std::function<RV(const std::vector<Tensor>&)> build;
    std::function<double(const std::vector<double>&, double)> reference;
  };
  const std::vector<Pointwise> families = {
      {"HalfNormal",
       {{0.3, 3}},
       [](auto& p) { return ed::HalfNormal(p[0]); },
       [](auto& p, double x) { return std::log(2 * bm::pdf(bm::normal(0, p[0]), x)); }},
      {"HalfCauchy",
       {{0.3, 3}},
       [](auto& p) { return ed::HalfCauchy(p[0]); },
       [](auto& p, double x) { return std::log(2 * bm::pdf(bm::cauchy(0, p[0]), x)); }},
      {"Gamma",
       {{0.5, 4}, {0.3, 3}},
       [](auto& p) { return ed::Gamma(p[0], p[1]); },
       [](auto& p, double x) {
         return std::log(bm::pdf(bm::gamma_distribution(p[0], 1 / p[1]), x));
       }},
  };
  // x (4 × 3) against parameters of shapes 1 × 3, 4 × 1 and 1 × 1.
  const std::vector<ed::Shape> param_shapes = {{1, 3}, {4, 1}, {1, 1}};
  std::uint64_t seed = 900;
  for (const Pointwise& f : families) {
    CAPTURE(f.name);
    Matrix x = ed::test::random_inputs({{4, 3}}, seed++, 0.2, 4.0)[0];
    std::vector<Matrix> p;
    for (std::size_t k = 0; k < f.params.size(); ++k) {
      p.push_back(
          ed::test::random_inputs({param_shapes[k]}, seed++, f.params[k].low, f.params[k].high)[0]);
    }
    const std::vector<Tensor> params(p.begin(), p.end());
    const Matrix lp = ed::eval(f.build(params).log_prob(x));
    REQUIRE(lp.rows() == 4);
    REQUIRE(lp.cols() == 3);
    for (ed::Index j = 0; j < 3; ++j) {
      for (ed::Index i = 0; i < 4; ++i) {
        std::vector<double> pij;
        for (const Matrix& m : p) pij.push_back(m(m.rows() == 1 ? 0 : i, m.cols() == 1 ? 0 : j));
        CHECK(lp(i, j) == doctest::Approx(f.reference(pij, x(i, j))).epsilon(1e-12));
      }
    }
    std::vector<Matrix> inputs = p;
    inputs.push_back(x);
    CHECK(ed::test::check_gradient(
        [&](auto& t) {
          const std::vector<Tensor> ps(t.begin(), t.end() - 1);
          return f.build(ps).log_prob(t.back());
        },
        inputs, {.rel = 1e-6, .abs = 1e-6}, f.name));
    // Outside the domain: −∞ with no gradient (a negative value), next to values inside.
    Matrix outside = x;
    outside(1, 2) = -0.5;
    const Tensor at = ed::variable(outside, "x");
    ed::Program program({ed::sum(f.build(params).log_prob(at))}, {at});
    ed::Rng rng;
    program.forward({}, rng);
    program.backward();
    CHECK(program.output(0)(0, 0) == -std::numeric_limits<double>::infinity());
    CHECK(program.gradient(0)(1, 2) == 0.0);
    CHECK(program.gradient(0)(0, 0) != 0.0);
  }

  // PoissonLog: counts 5 × 1 against log rates 1 × 2; lgamma(k + 1) is a node of its own.
  const Matrix k = (Matrix(5, 1) << 0, 1, 3, 7, 20).finished();
  const Matrix eta = (Matrix(1, 2) << -1.5, 2.0).finished();
  const Matrix lp = ed::eval(ed::PoissonLog(eta).log_prob(k));
  for (ed::Index j = 0; j < 2; ++j) {
    for (ed::Index i = 0; i < 5; ++i) {
      CHECK(lp(i, j) ==
            doctest::Approx(std::log(bm::pdf(bm::poisson(std::exp(eta(0, j))), k(i, 0))))
                .epsilon(1e-12));
    }
  }
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::PoissonLog(t[0]).log_prob(k); }, {eta},
                                 {}, "PoissonLog"));
  CHECK(ed::eval(ed::PoissonLog(eta).log_prob(Matrix::Constant(1, 1, 2.5)))(0, 1) ==
        -std::numeric_limits<double>::infinity());
  // PoissonLog's value and partials come from one pass and are kept for the backward pass: a
  // count outside the domain (2.5) gives −∞ and no gradient, the others k − e^η each.
  const Tensor log_rate = ed::variable(Matrix::Constant(1, 1, 0.3), "eta");
  ed::Program program(
      {ed::sum(ed::PoissonLog(log_rate).log_prob((Matrix(3, 1) << 2, 2.5, 4).finished()))},
      {log_rate});
  ed::Rng rng;
  program.forward({}, rng);
  program.backward();
  CHECK(program.output(0)(0, 0) == -std::numeric_limits<double>::infinity());
  CHECK(program.gradient(0)(0, 0) ==
        doctest::Approx((2.0 - std::exp(0.3)) + (4.0 - std::exp(0.3))).epsilon(1e-14));
}

// NonnegativeIntegers::contains_all tests wholeness without floor (2⁵² added and subtracted):
// each value alone, at the edges of that trick, as contains() judges it.
TEST_CASE("the non-negative integers' support judges whole numbers at every magnitude") {
  const ed::Support counts_support = ed::Support::nonnegative_integer();
  const auto& counts = counts_support.set();
  const double inf = std::numeric_limits<double>::infinity();
  for (const double v : {0.0, -0.0, 1.0, 7.0, 1e15, 4503599627370495.0, 4503599627370496.0,
                         9007199254740993.0, 1e300, std::numeric_limits<double>::max()}) {
    CAPTURE(v);
    CHECK(counts.contains(v));
    CHECK(counts.contains_all(Matrix::Constant(2, 3, v)));
  }
  for (const double v : {0.5, 2.5, 4503599627370495.5, 1e15 + 0.25, -1.0, -1e300, inf, -inf,
                         std::numeric_limits<double>::quiet_NaN(), 5e-324}) {
    CAPTURE(v);
    CHECK_FALSE(counts.contains(v));
    Matrix mixed = Matrix::Constant(2, 3, 3.0);
    mixed(1, 2) = v;
    CHECK_FALSE(counts.contains_all(mixed));
  }
}
