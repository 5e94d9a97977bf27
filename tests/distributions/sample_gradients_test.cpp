// Gradients through samples: implicit reparameterisation of Gamma draws (and through them Beta,
// Dirichlet, Chi2, InverseGamma and StudentT's degrees of freedom), checked against the
// derivative of the inverse CDF and against closed-form derivatives of the mean; discrete draws
// refuse a gradient.
#include <doctest/doctest.h>

#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <functional>

#include "edpp/distributions/sampling.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

/// Mean and standard error of the entries of m.
struct MeanSe {
  double mean, se;
};
MeanSe mean_se(const Matrix& m) {
  const double n = static_cast<double>(m.size());
  const double mean = m.mean();
  const double var = (m.array() - mean).square().sum() / (n - 1.0);
  return {mean, std::sqrt(var / n)};
}

constexpr ed::Index kDraws = 40000;

/// Per-draw derivatives d f(draw_i) / d param_k for a family whose parameters are n×1 columns
/// of the given constants (so draw i depends on row i of each parameter alone).
std::vector<Matrix> per_draw_gradients(
    const std::vector<double>& values,
    const std::function<Tensor(const std::vector<Tensor>&)>& draw_and_map, ed::Index cols = 1) {
  std::vector<Tensor> params;
  for (double v : values) params.push_back(ed::variable(Matrix::Constant(kDraws, cols, v)));
  return ed::grad(ed::sum(draw_and_map(params)), params);
}

void check_within(const Matrix& g, double expected, const char* what) {
  const MeanSe m = mean_se(g);
  INFO(what << ": Monte Carlo mean " << m.mean << " ± " << m.se << ", closed form " << expected);
  CHECK(std::abs(m.mean - expected) <= 4.0 * m.se);
  CHECK(m.se < 0.05 * std::max(1.0, std::abs(expected)));  // the test has power
}

}  // namespace

TEST_CASE("the Gamma draw's implicit derivative matches the derivative of the inverse CDF") {
  // log x(α) = log P⁻¹(α, u) for a fixed u: differentiate numerically and compare.
  for (double alpha : {0.02, 0.3, 1.0, 2.5, 10.0, 99.0, 150.0, 5000.0}) {
    for (double u : {1e-4, 0.01, 0.3, 0.5, 0.9, 0.999}) {
      const double h = 1e-5 * alpha;
      auto log_x = [&](double a) { return std::log(boost::math::gamma_p_inv(a, u)); };
      const double numeric = (log_x(alpha + h) - log_x(alpha - h)) / (2.0 * h);
      const double analytic = ed::detail::log_gamma_derivative(alpha, log_x(alpha));
      INFO("alpha = " << alpha << ", u = " << u);
      CHECK(analytic == doctest::Approx(numeric).epsilon(1e-6));
    }
  }
}

TEST_CASE("tiny Gamma shapes keep finite draws and gradients (log-space sampling)") {
  ed::set_seed(3);
  const auto g =
      per_draw_gradients({1e-3}, [](const auto& p) { return ed::Beta(p[0], 1.0).sample(); });
  CHECK(g[0].allFinite());
  const Matrix draws = ed::eval(ed::Gamma(Matrix::Constant(1000, 1, 1e-3), 1.0).sample());
  CHECK(draws.allFinite());
  CHECK((draws.array() >= 0.0).all());
}

TEST_CASE("Monte Carlo means of d(draw)/d(parameter) match derivatives of closed-form means") {
  ed::set_seed(11);
  SUBCASE("Gamma(a, b): dE/da = 1/b, dE/db = -a/b^2") {
    const double a = 2.5, b = 1.7;
    const auto g =
        per_draw_gradients({a, b}, [](const auto& p) { return ed::Gamma(p[0], p[1]).sample(); });
    check_within(g[0], 1.0 / b, "Gamma, concentration");
    check_within(g[1], -a / (b * b), "Gamma, rate");
  }
  SUBCASE("Gamma with a small shape (a < 1 uses the boosted sampler)") {
    const double a = 0.4, b = 0.8;
    const auto g =
        per_draw_gradients({a, b}, [](const auto& p) { return ed::Gamma(p[0], p[1]).sample(); });
    check_within(g[0], 1.0 / b, "Gamma(0.4), concentration");
  }
  SUBCASE("Beta(a, b): dE/da = b/(a+b)^2, dE/db = -a/(a+b)^2") {
    const double a = 1.3, b = 3.2;
    const auto g =
        per_draw_gradients({a, b}, [](const auto& p) { return ed::Beta(p[0], p[1]).sample(); });
    check_within(g[0], b / ((a + b) * (a + b)), "Beta, alpha");
    check_within(g[1], -a / ((a + b) * (a + b)), "Beta, beta");
  }
  SUBCASE("Dirichlet(alpha): dE[x_0]/d alpha_0 = (S - alpha_0)/S^2, d/d alpha_1 = -alpha_0/S^2") {
    // One concentration row per draw: column k of the gradient is d x_0 / d alpha_k.
    const Matrix alpha = (Matrix(1, 3) << 0.7, 2.0, 1.5).finished();
    const double total = alpha.sum();
    const Tensor conc = ed::variable(alpha.replicate(kDraws, 1));
    const Tensor x0 = ed::col(ed::Dirichlet(conc).sample(), 0);
    const Matrix g = ed::grad(ed::sum(x0), {conc})[0];
    check_within(g.col(0), (total - alpha(0, 0)) / (total * total), "Dirichlet, alpha_0");
    check_within(g.col(1), -alpha(0, 0) / (total * total), "Dirichlet, alpha_1");
  }
  SUBCASE("Chi2(k): dE/dk = 1") {
    const auto g = per_draw_gradients({3.5}, [](const auto& p) { return ed::Chi2(p[0]).sample(); });
    check_within(g[0], 1.0, "Chi2, df");
  }
  SUBCASE("InverseGamma(a, b): dE/da = -b/(a-1)^2 (a > 3 so the variance is finite)") {
    const double a = 4.5, b = 2.0;
    const auto g = per_draw_gradients(
        {a, b}, [](const auto& p) { return ed::InverseGamma(p[0], p[1]).sample(); });
    check_within(g[0], -b / ((a - 1.0) * (a - 1.0)), "InverseGamma, concentration");
    check_within(g[1], 1.0 / (a - 1.0), "InverseGamma, scale");
  }
  SUBCASE("StudentT(nu): dE[t^2]/dnu = -2/(nu-2)^2 (nu > 4 so t^2 has a variance)") {
    const double nu = 9.0;
    const auto g = per_draw_gradients(
        {nu}, [](const auto& p) { return ed::square(ed::StudentT(p[0], 0.0, 1.0).sample()); });
    check_within(g[0], -2.0 / ((nu - 2.0) * (nu - 2.0)), "StudentT, df");
  }
  SUBCASE("Normal, LogNormal and Weibull: reparameterised in every parameter") {
    const auto g = per_draw_gradients(
        {0.3, 0.5}, [](const auto& p) { return ed::LogNormal(p[0], p[1]).sample(); });
    // E = exp(mu + s^2/2): dE/dmu = E, dE/ds = s E.
    const double mean = std::exp(0.3 + 0.125);
    check_within(g[0], mean, "LogNormal, loc");
    check_within(g[1], 0.5 * mean, "LogNormal, scale");
  }
}

TEST_CASE("every family says whether its samples are reparameterised") {
  CHECK(ed::Normal(0.0, 1.0).is_reparameterized());
  CHECK(ed::Gamma(1.0, 1.0).is_reparameterized());
  CHECK(ed::Beta(1.0, 1.0).is_reparameterized());
  CHECK(ed::Dirichlet(Matrix::Ones(1, 3)).is_reparameterized());
  CHECK(ed::StudentT(3.0, 0.0, 1.0).is_reparameterized());
  CHECK_FALSE(ed::Poisson(1.0).is_reparameterized());
  CHECK_FALSE(ed::Bernoulli(0.0).is_reparameterized());
  CHECK_FALSE(ed::Categorical(Matrix::Zero(1, 3)).is_reparameterized());
  CHECK_FALSE(ed::Mixture(ed::Categorical(Matrix::Zero(1, 2)), ed::Normal(Matrix::Zero(1, 2), 1.0))
                  .is_reparameterized());
}

TEST_CASE("a gradient through a discrete draw is an error naming the draw, never a silent zero") {
  const Tensor rate = ed::variable(Matrix::Constant(3, 1, 2.0), "rate");
  CHECK_THROWS_WITH_AS(ed::grad(ed::sum(ed::Poisson(rate).sample()), {rate}),
                       doctest::Contains("draw 'poisson': a gradient was asked through a draw"),
                       ed::invalid_argument);
  const Tensor logits = ed::variable(Matrix::Zero(3, 1), "logits");
  CHECK_THROWS_AS(ed::grad(ed::sum(ed::Bernoulli(logits).sample()), {logits}),
                  ed::invalid_argument);
  const Tensor cat_logits = ed::variable(Matrix::Zero(3, 4), "cat");
  CHECK_THROWS_WITH_AS(ed::grad(ed::sum(ed::Categorical(cat_logits).sample()), {cat_logits}),
                       doctest::Contains("categorical_sample: a gradient was asked through a draw"),
                       ed::invalid_argument);
  // A mixture's draw picks a component by a Categorical draw: no gradient to the weights.
  const ed::Mixture mix(ed::Categorical(cat_logits), ed::Normal(Matrix::Zero(3, 4), 1.0));
  CHECK_THROWS_WITH_AS(ed::grad(ed::sum(mix.sample()), {cat_logits}),
                       doctest::Contains("categorical_sample"), ed::invalid_argument);
}
