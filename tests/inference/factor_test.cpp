// ed::factor: a Poisson change-point model with the change point summed out, against the exact
// posterior on a grid; which inferences a term belongs to.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Index;
using ed::Matrix;
using ed::Tensor;

namespace {

// Counts over `years` with rate 3 before `change` and 1 after, and the running sums that
// lp[s] = A_s log e − s e + B_s log l − (T − s) l is made of, written here (not taken from
// models/change_point.cpp) so that the reference does not share the code it checks.
struct ChangePoint {
  Matrix counts, before, after, steps, remaining;
};
ChangePoint simulate(Index years, Index change, std::uint64_t seed) {
  ChangePoint c{ed::models::simulate_change_point(years, change, 3.0, 1.0, seed), Matrix(years, 1),
                Matrix(years, 1), Matrix(years, 1), Matrix(years, 1)};
  double seen = 0.0;
  for (Index s = 0; s < years; ++s) {
    c.before(s, 0) = seen;
    c.after(s, 0) = c.counts.sum() - seen;
    c.steps(s, 0) = static_cast<double>(s);
    c.remaining(s, 0) = static_cast<double>(years - s);
    seen += c.counts(s, 0);
  }
  return c;
}

double log_marginal(const ChangePoint& c, double e, double l) {
  const Eigen::ArrayXd lp = c.before.array() * std::log(e) - c.steps.array() * e +
                            c.after.array() * std::log(l) - c.remaining.array() * l;
  const double top = lp.maxCoeff();
  return top + std::log((lp - top).exp().sum());
}

Tensor marginalised(const ChangePoint& c, const Tensor& e, const Tensor& l) {
  return ed::logsumexp(c.before * ed::log(e) - c.steps * e + c.after * ed::log(l) - c.remaining * l,
                       0);
}

}  // namespace

TEST_CASE("a change point summed out by factor: NUTS matches the exact posterior on a grid") {
  const ChangePoint c = simulate(30, 12, 41);
  // The exact posterior of (e, l) with Exponential(1) priors, by the midpoint rule.
  const int n = 600;
  const double e_max = 9.0, l_max = 4.0;
  double mass = 0, e1 = 0, e2 = 0, l1 = 0, l2 = 0;
  std::vector<double> log_w(static_cast<std::size_t>(n) * n);
  double top = -INFINITY;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double e = (i + 0.5) * e_max / n, l = (j + 0.5) * l_max / n;
      const double w = -e - l + log_marginal(c, e, l);
      log_w[static_cast<std::size_t>(i) * n + j] = w;
      top = std::max(top, w);
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) {
      const double e = (i + 0.5) * e_max / n, l = (j + 0.5) * l_max / n;
      const double w = std::exp(log_w[static_cast<std::size_t>(i) * n + j] - top);
      mass += w, e1 += w * e, e2 += w * e * e, l1 += w * l, l2 += w * l * l;
    }
  }
  const double e_mean = e1 / mass, l_mean = l1 / mass;
  const double e_sd = std::sqrt(e2 / mass - e_mean * e_mean);
  const double l_sd = std::sqrt(l2 / mass - l_mean * l_mean);

  const ed::Exponential e(1.0), l(1.0);
  ed::factor(marginalised(c, e, l));
  ed::NUTS nuts({e, l}, {});
  nuts.initialize({.n_iter = 2500, .n_warmup = 1000, .chains = 4, .seed = 9});
  nuts.run();
  for (const auto& expected : {std::tuple{e, e_mean, e_sd}, std::tuple{l, l_mean, l_sd}}) {
    const ed::RandomVariable& rv = std::get<0>(expected);
    const double mean = std::get<1>(expected), sd = std::get<2>(expected);
    const Matrix draws = nuts.draws_by_chain(rv, 0);
    const double mcse = ed::mcse_mean(draws);
    INFO("mean " << draws.mean() << " ± " << mcse << ", exact " << mean);
    CHECK(std::abs(draws.mean() - mean) < 4.0 * mcse);
    const Eigen::ArrayXd centred = draws.reshaped().array() - draws.mean();
    CHECK(std::sqrt(centred.square().mean()) == doctest::Approx(sd).epsilon(0.06));
  }
  CHECK(nuts.diagnostics().divergences == 0);
  ed::clear_factors();
}

TEST_CASE("factor terms join the inferences whose latents they reach, and only those") {
  const ChangePoint c = simulate(20, 8, 42);
  const ed::Exponential e(1.0), l(1.0);
  const ed::Normal elsewhere(0.0, 1.0);
  ed::factor(marginalised(c, e, l));
  ed::factor(5.0 * elsewhere);  // reaches no latent of the MAP below: a constant there
  ed::MAP map({e, l}, {});
  map.initialize(
      {.n_iter = 0, .init = {{e, Matrix::Constant(1, 1, 2.0)}, {l, Matrix::Constant(1, 1, 1.5)}}});
  // MAP's loss is the negative log joint: Exponential(1) log densities and the factor.
  CHECK(map.loss() == doctest::Approx(2.0 + 1.5 - log_marginal(c, 2.0, 1.5)).epsilon(1e-12));
  // MAP finds the mode; the variational fit and Laplace see the same density.
  map.initialize({.optimizer = ed::LBFGS(), .n_iter = 100});
  map.run();
  const double e_mode = map.value(e)(0, 0), l_mode = map.value(l)(0, 0);
  const double h = 1e-4;
  auto log_joint = [&](double a, double b) { return -a - b + log_marginal(c, a, b); };
  CHECK(std::abs(log_joint(e_mode + h, l_mode) - log_joint(e_mode - h, l_mode)) / (2 * h) < 1e-4);
  CHECK(std::abs(log_joint(e_mode, l_mode + h) - log_joint(e_mode, l_mode - h)) / (2 * h) < 1e-4);
  ed::KLqp klqp({e, l}, {});
  klqp.initialize({.n_iter = 1});
  CHECK(std::isfinite(klqp.loss()));
  // After clear_factors() the model is the priors alone: the mode of Exponential(1) is 0.
  ed::clear_factors();
  ed::MAP priors_only({e, l}, {});
  priors_only.initialize(
      {.n_iter = 0, .init = {{e, Matrix::Constant(1, 1, 2.0)}, {l, Matrix::Constant(1, 1, 1.5)}}});
  CHECK(priors_only.loss() == doctest::Approx(3.5).epsilon(1e-12));
  CHECK_THROWS_WITH_AS(ed::factor(Tensor()), "factor: the log weight Tensor is empty",
                       ed::invalid_argument);
}

TEST_CASE("deterministic quantities are recorded with each draw, in summary and CSV") {
  ed::clear_factors();
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * ed::Matrix::Ones(5, 1), 1.0);
  const ed::Tensor twice = ed::deterministic("twice", 2.0 * mu);
  const ed::Tensor both = ed::deterministic("both", ed::concat({mu, ed::square(mu)}, 1));
  ed::deterministic("unrelated", ed::Tensor(ed::Matrix::Ones(1, 1)) * 3.0);
  CHECK(twice.shape() == ed::Shape{1, 1});
  CHECK_THROWS_WITH_AS(ed::deterministic("twice", mu), doctest::Contains("already used"),
                       ed::invalid_argument);
  ed::NUTS nuts({mu}, {{x, ed::Matrix::Constant(5, 1, 0.4)}});
  nuts.initialize({.n_iter = 300, .n_warmup = 200, .chains = 2, .seed = 3});
  nuts.run();
  // Only the quantities of this model, in the order named.
  CHECK(nuts.deterministic_names() == std::vector<std::string>{"twice", "both"});
  const ed::Matrix draws = nuts.draws(mu);
  CHECK(nuts.draws("twice") == 2.0 * draws);
  const ed::Matrix pairs = nuts.draws("both");
  REQUIRE(pairs.cols() == 2);
  CHECK(pairs.col(0) == draws.col(0));
  CHECK(pairs.col(1) == draws.col(0).cwiseAbs2());
  CHECK(nuts.draws("twice", 1) == 2.0 * nuts.draws(mu, 1));
  const std::string table = ed::summary(nuts, {"mu"});
  CHECK(table.find("twice") != std::string::npos);
  CHECK(table.find("both[1]") != std::string::npos);
  const std::string dir =
      (std::filesystem::temp_directory_path() / "edpp_deterministic_test").string();
  std::filesystem::create_directories(dir);
  const auto files = ed::write_draws_csv(dir + "/fit.csv", nuts, {"mu"});
  const ed::CsvTable csv = ed::read_csv(files[0]);
  CHECK(std::count(csv.columns.begin(), csv.columns.end(), "both.2") == 1);
  CHECK(csv.data.col(csv.columns.size() - 3) == 2.0 * nuts.draws(mu, 0));
  CHECK_THROWS_WITH_AS(nuts.draws("unrelated"), doctest::Contains("recorded: twice, both"),
                       ed::invalid_argument);
  ed::clear_factors();
}
