// Simulation-based calibration of NUTS on five small models (1,000 replications each), and a
// deliberately wrong posterior that it must catch. EDPP_SBC_OUT=<folder> also writes each model's
// ranks as CSV (scripts/sbc_figures draws the histograms of docs/design.md from them).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using ed::Matrix;
using ed::Tensor;

namespace {

struct CalibrationModel {
  std::string name;
  std::vector<ed::RandomVariable> latents;
  std::vector<std::string> names;
  std::vector<ed::RandomVariable> observed;
};

// NUTS as a user would run it, two chains: 1,000 draws for ranks among 99 (a stride of ten).
ed::SBCFit nuts_fit(const CalibrationModel& m, double data_weight = 1.0) {
  return [m, data_weight](const ed::Data& data, std::uint64_t seed) {
    auto nuts = std::make_unique<ed::NUTS>(m.latents, data);
    std::vector<std::pair<ed::RandomVariable, double>> scale;
    if (data_weight != 1.0) scale.emplace_back(m.observed.front(), data_weight);
    nuts->initialize({.n_iter = 500,
                      .n_print = 1000000,
                      .n_warmup = 300,
                      .chains = 2,
                      .seed = seed,
                      .scale = scale});
    nuts->run();
    return std::unique_ptr<ed::MonteCarlo>(std::move(nuts));
  };
}

void write_ranks(const CalibrationModel& m, const ed::SBCResult& r) {
  const char* out = std::getenv("EDPP_SBC_OUT");
  if (!out) return;
  std::filesystem::create_directories(out);
  ed::write_csv(std::string(out) + "/" + m.name + ".csv", r.ranks.cast<double>(), r.names);
}

void check_uniform(const CalibrationModel& m, std::uint64_t seed) {
  const ed::SBCResult r =
      ed::sbc(m.latents, m.observed, nuts_fit(m), {.replications = 1000, .seed = seed}, m.names);
  write_ranks(m, r);
  for (std::size_t s = 0; s < r.names.size(); ++s) {
    INFO(m.name << " " << r.names[s] << ": chi2 " << r.chi_squared[s] << " (19 dof), p "
                << r.p_value[s] << ", histogram " << r.histogram(static_cast<int>(s)).transpose());
    // 1,000 ranks in 20 bins: a sampler off by a tenth of a posterior sd, or 10% too narrow or
    // wide, gives p far below 1e-3; a correct one fails 1 scalar in 1,000.
    CHECK(r.p_value[s] > 1e-3);
  }
}

}  // namespace

TEST_CASE("long run: SBC of NUTS, normal mean") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal y(mu * Matrix::Ones(5, 1), 1.0);
  check_uniform({"normal_mean", {mu}, {"mu"}, {y}}, 1);
}

TEST_CASE("long run: SBC of NUTS, a scale") {
  const ed::HalfNormal sigma(1.0);
  const ed::Normal y(Matrix::Zero(8, 1), sigma * Matrix::Ones(8, 1));
  check_uniform({"scale", {sigma}, {"sigma"}, {y}}, 2);
}

TEST_CASE("long run: SBC of NUTS, beta-Bernoulli") {
  const ed::Beta p(2.0, 2.0);
  const ed::Bernoulli y = ed::Bernoulli::from_probs(p * Matrix::Ones(10, 1));
  check_uniform({"beta_bernoulli", {p}, {"p"}, {y}}, 3);
}

TEST_CASE("long run: SBC of NUTS, linear regression") {
  const Matrix x =
      (Matrix(10, 1) << -1.5, -1.1, -0.7, -0.4, -0.1, 0.2, 0.5, 0.9, 1.2, 1.6).finished();
  const ed::Normal alpha(0.0, 1.0);
  const ed::Normal beta(0.0, 1.0);
  const ed::HalfNormal sigma(1.0);
  const ed::Normal y(alpha + beta * x, sigma * Matrix::Ones(10, 1));
  check_uniform({"regression", {alpha, beta, sigma}, {"alpha", "beta", "sigma"}, {y}}, 4);
}

TEST_CASE("long run: SBC of NUTS, a non-centred hierarchical model") {
  const ed::Normal mu(0.0, 1.0);
  const ed::HalfNormal tau(1.0);
  const ed::Normal z(Matrix::Zero(4, 1), 1.0);
  const ed::Normal y(mu + tau * z, 1.0);
  check_uniform({"hierarchical", {mu, tau, z}, {"mu", "tau", "z"}, {y}}, 5);
}

TEST_CASE("long run: SBC catches a posterior that is too narrow") {
  // The data counted twice (scale 2): the posterior sd shrinks by √2 and the truth falls in the
  // tails of the draws too often — the U-shaped histogram.
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal y(mu * Matrix::Ones(5, 1), 1.0);
  const CalibrationModel m{"normal_mean_wrong", {mu}, {"mu"}, {y}};
  const ed::SBCResult r =
      ed::sbc(m.latents, m.observed, nuts_fit(m, 2.0), {.replications = 1000, .seed = 1}, m.names);
  write_ranks(m, r);
  const Eigen::VectorXi h = r.histogram(0);
  INFO("chi2 " << r.chi_squared[0] << ", p " << r.p_value[0] << ", histogram " << h.transpose());
  CHECK(r.p_value[0] < 1e-6);
  CHECK(h(0) + h(19) > 3 * (h(9) + h(10)));  // a U: the end bins hold far more than the middle
}
