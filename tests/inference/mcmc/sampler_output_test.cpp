// Samplers at the edges of a model's support (Note [Failed evaluations]) and their output as
// CmdStan gives it: per-draw diagnostics and one CSV per chain.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

// w ~ N(1, 1), y_i ~ N(0, w): the Normal's check refuses w ≤ 0, so the posterior lives on
// w > 0 and is p(w | y) ∝ N(w; 1, 1) Π N(y_i; 0, w) there. Trajectories and proposals that
// cross 0 meet the check.
struct ScaleModel {
  Matrix y = (Matrix(6, 1) << 0.3, -0.5, 0.2, 0.8, -0.1, 0.4).finished();
  ed::Normal w{1.0, 1.0};
  ed::Normal obs{Matrix::Zero(6, 1), w* Matrix::Ones(6, 1)};

  // E[w | y] by quadrature on (0, 6].
  double posterior_mean() const {
    double mass = 0.0, first = 0.0;
    const double ss = y.squaredNorm();
    for (int k = 0; k < 60000; ++k) {
      const double v = (k + 0.5) * 1e-4;
      const double log_p = -0.5 * (v - 1.0) * (v - 1.0) - 6.0 * std::log(v) - 0.5 * ss / (v * v);
      mass += std::exp(log_p);
      first += v * std::exp(log_p);
    }
    return first / mass;
  }
};

}  // namespace

TEST_CASE("a trajectory that leaves the support is a divergence, not an exception") {
  const ScaleModel m;
  const double exact = m.posterior_mean();
  SUBCASE("NUTS") {
    ed::NUTS nuts({m.w}, {{m.obs, m.y}});
    // Large steps, so that trajectories cross w = 0 often.
    nuts.initialize({.n_iter = 2000,
                     .n_warmup = 500,
                     .chains = 2,
                     .seed = 3,
                     .target_accept = 0.6,
                     .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    REQUIRE_NOTHROW(nuts.run());
    const Matrix draws = nuts.draws_by_chain(m.w, 0);
    CHECK(draws.minCoeff() > 0.0);
    CHECK(nuts.failed_evaluations() > 0);
    CHECK(nuts.diagnostics().divergences > 0);
    INFO("E[w] " << draws.mean() << ", exact " << exact);
    CHECK(std::abs(draws.mean() - exact) < 4.0 * ed::mcse_mean(draws));
  }
  SUBCASE("HMC") {
    ed::HMC hmc({m.w}, {{m.obs, m.y}});
    hmc.initialize({.n_iter = 8000,
                    .step_size = 0.3,
                    .n_steps = 5,
                    .seed = 4,
                    .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    REQUIRE_NOTHROW(hmc.run());
    const Matrix draws = hmc.draws_by_chain(m.w, 0);
    CHECK(draws.minCoeff() > 0.0);
    CHECK(hmc.failed_evaluations() > 0);
    const Matrix params = hmc.sampler_params(0);
    CHECK(params.col(4).sum() > 0.0);  // divergent__
    INFO("E[w] " << draws.mean() << ", exact " << exact);
    CHECK(std::abs(draws.mean() - exact) < 4.0 * ed::mcse_mean(draws));
  }
  SUBCASE("Metropolis-Hastings") {
    const ed::Normal proposal(m.w, 0.6);
    ed::MetropolisHastings mh({{m.w, {}}}, {{m.w, proposal}}, {{m.obs, m.y}});
    mh.initialize({.n_iter = 20000, .seed = 5, .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    REQUIRE_NOTHROW(mh.run());
    const Matrix draws = mh.draws_by_chain(m.w, 0);
    CHECK(draws.minCoeff() > 0.0);
    INFO("E[w] " << draws.mean() << ", exact " << exact);
    CHECK(std::abs(draws.mean() - exact) < 4.0 * ed::mcse_mean(draws));
  }
  SUBCASE("SGLD") {
    ed::SGLD sgld({m.w}, {{m.obs, m.y}});
    sgld.initialize({.n_iter = 3000,
                     .step_size = 0.5,
                     .seed = 6,
                     .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    REQUIRE_NOTHROW(sgld.run());
    CHECK(sgld.draws(m.w).minCoeff() > 0.0);
    CHECK(sgld.failed_evaluations() > 0);
  }
}

TEST_CASE("a starting point outside the support is an error naming the chain") {
  const ScaleModel m;
  ed::NUTS nuts({m.w}, {{m.obs, m.y}});
  nuts.initialize({.n_iter = 10,
                   .n_warmup = 10,
                   .chains = 1,
                   .seed = 1,
                   .init = {{m.w, Matrix::Constant(1, 1, -1.0)}}});
  CHECK_THROWS_WITH_AS(nuts.run(),
                       doctest::Contains("NUTS: chain 0, at the starting point: Normal"),
                       ed::invalid_argument);
  ed::HMC hmc({m.w}, {{m.obs, m.y}});
  hmc.initialize({.n_iter = 10, .seed = 1, .init = {{m.w, Matrix::Constant(1, 1, -1.0)}}});
  CHECK_THROWS_WITH_AS(hmc.run(), doctest::Contains("HMC: chain 0, at the starting point"),
                       ed::invalid_argument);
}

TEST_CASE("NUTS records CmdStan's per-draw diagnostics") {
  ed::set_seed(2);
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 70, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  ed::NUTS nuts({mu}, {{x, x_data}});
  nuts.initialize({.n_iter = 300, .n_warmup = 200, .chains = 2, .seed = 3, .max_treedepth = 3});
  nuts.run();
  const std::vector<std::string> names = {"lp__",        "accept_stat__", "stepsize__",
                                          "treedepth__", "n_leapfrog__",  "divergent__",
                                          "energy__"};
  CHECK(nuts.sampler_param_names() == names);
  const ed::NUTSDiagnostics d = nuts.diagnostics();
  for (int c = 0; c < 2; ++c) {
    CAPTURE(c);
    const Matrix p = nuts.sampler_params(c);
    REQUIRE(p.rows() == 300);
    REQUIRE(p.cols() == 7);
    CHECK((p.col(2).array() == d.step_size[static_cast<std::size_t>(c)]).all());
    CHECK(p.col(3).maxCoeff() <= 3.0);
    CHECK(p.col(3).minCoeff() >= 1.0);
    // A tree of depth k took 2^k − 1 leapfrog steps, plus up to 2^k in a last subtree that
    // was refused (a U-turn or divergence inside it).
    const Eigen::ArrayXd depth = p.col(3).array(), steps = p.col(4).array();
    CHECK((steps >= (depth * std::log(2.0)).exp() - 1.0 - 1e-9).all());
    CHECK((steps <= ((depth + 1.0) * std::log(2.0)).exp() - 1.0 + 1e-9).all());
    CHECK((p.col(1).array() >= 0.0).all());
    CHECK((p.col(1).array() <= 1.0).all());
    // E-BFMI from the recorded energies is the reported one.
    const Eigen::VectorXd e = p.col(6);
    const double mean = e.mean();
    const double ebfmi =
        (e.tail(299) - e.head(299)).squaredNorm() / (e.array() - mean).square().sum();
    CHECK(ebfmi == doctest::Approx(d.ebfmi[static_cast<std::size_t>(c)]).epsilon(1e-12));
    // lp__ is the target at the draw: with one latent on the real line, the model's log joint.
    const double mu0 = nuts.draws(mu, c)(0, 0);
    const double lp = -0.5 * mu0 * mu0 - 0.5 * (x_data.array() - mu0).square().sum() -
                      21.0 * 0.5 * std::log(2.0 * M_PI);
    CHECK(p(0, 0) == doctest::Approx(lp).epsilon(1e-10));
  }
}

TEST_CASE("write_draws_csv writes one CmdStan CSV per chain that reads back exactly") {
  ed::set_seed(5);
  const Matrix x_data = ed::test::random_inputs({{10, 1}}, 71, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::HalfNormal sigma(2.0);
  const ed::Normal z(Matrix::Zero(2, 2), 1.0);
  const ed::Normal x(mu * Matrix::Ones(10, 1), sigma);
  ed::NUTS nuts({mu, sigma, z}, {{x, x_data}});
  CHECK_THROWS_WITH_AS(ed::write_draws_csv("never.csv", nuts), doctest::Contains("no kept draws"),
                       ed::invalid_argument);
  nuts.initialize({.n_iter = 100, .n_warmup = 100, .chains = 2, .seed = 6});
  nuts.run();
  const auto dir = std::filesystem::temp_directory_path() / "edpp_draws_csv_test";
  std::filesystem::create_directories(dir);
  const std::vector<std::string> paths =
      ed::write_draws_csv((dir / "fit.csv").string(), nuts, {"mu", "sigma", "z"});
  REQUIRE(paths.size() == 2);
  CHECK(paths[1] == (dir / "fit_2.csv").string());
  const std::vector<std::string> header = {
      "lp__",        "accept_stat__", "stepsize__", "treedepth__", "n_leapfrog__",
      "divergent__", "energy__",      "mu",         "sigma",       "z.1.1",
      "z.2.1",       "z.1.2",         "z.2.2"};
  for (int c = 0; c < 2; ++c) {
    CAPTURE(c);
    const ed::CsvTable t = ed::read_csv(paths[static_cast<std::size_t>(c)]);
    CHECK(t.columns == header);
    REQUIRE(t.data.rows() == 100);
    CHECK(t.data.leftCols(7) == nuts.sampler_params(c));
    CHECK(t.data.col(7) == nuts.draws(mu, c));
    CHECK(t.data.col(8) == nuts.draws(sigma, c));
    CHECK(t.data.rightCols(4) == nuts.draws(z, c));
  }
  std::ifstream in(paths[0]);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text.find("# engine = nuts") != std::string::npos);
  CHECK(text.find("# Adaptation terminated\n# Step size = ") != std::string::npos);
  CHECK(text.find("# Diagonal elements of inverse mass matrix:\n# ") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("ed::sbc ranks a fit's draws and refuses bad options") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal y(mu * Matrix::Ones(3, 1), 1.0);
  // A fit that returns the exact posterior, N(Σy/4, 1/2), as MH draws with a perfect proposal
  // would; here the conjugate posterior drawn by NUTS, short.
  const ed::SBCFit fit = [&](const ed::Data& data, std::uint64_t seed) {
    auto nuts = std::make_unique<ed::NUTS>(std::vector<ed::RandomVariable>{mu}, data);
    nuts->initialize(
        {.n_iter = 200, .n_print = 1000000, .n_warmup = 150, .chains = 1, .seed = seed});
    nuts->run();
    return std::unique_ptr<ed::MonteCarlo>(std::move(nuts));
  };
  const ed::SBCResult r = ed::sbc(
      {mu}, {y}, fit, {.replications = 40, .draws_per_rank = 19, .bins = 4, .seed = 3}, {"mu"});
  CHECK(r.names == std::vector<std::string>{"mu"});
  REQUIRE(r.ranks.rows() == 40);
  CHECK(r.ranks.minCoeff() >= 0);
  CHECK(r.ranks.maxCoeff() <= 19);
  CHECK(r.histogram(0).sum() == 40);
  CHECK(r.p_value[0] >= 0.0);
  CHECK(r.p_value[0] <= 1.0);
  // The same seed, the same ranks.
  const ed::SBCResult again =
      ed::sbc({mu}, {y}, fit, {.replications = 40, .draws_per_rank = 19, .bins = 4, .seed = 3});
  CHECK(again.ranks == r.ranks);
  CHECK(again.names == std::vector<std::string>{"z0"});
  CHECK_THROWS_WITH_AS(ed::sbc({mu}, {y}, fit, {.replications = 0}),
                       "sbc: replications must be at least 1, got 0", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::sbc({mu}, {y}, fit, {.draws_per_rank = 99, .bins = 7}),
                       "sbc: bins must be at least 2 and divide draws_per_rank + 1 = 100, got 7",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::sbc({mu}, {y}, fit, {.replications = 1, .draws_per_rank = 399, .bins = 4}),
      doctest::Contains("the fit has 200 draws"), ed::invalid_argument);
}

TEST_CASE("mcse_quantile follows posterior's definition; quantile refuses p outside [0, 1]") {
  // iid draws: the MCSE of the median of N(0, 1) is about sqrt(π/2)/sqrt(n) ≈ 1.2533/√n.
  boost::random::mt19937_64 engine(5);
  boost::random::normal_distribution<double> normal;
  Matrix draws(4000, 4);
  for (ed::Index k = 0; k < draws.size(); ++k) draws.data()[k] = normal(engine);
  CHECK(ed::mcse_quantile(draws, 0.5) == doctest::Approx(1.2533 / std::sqrt(16000.0)).epsilon(0.1));
  CHECK_THROWS_WITH_AS(ed::quantile(draws, 1.5), "quantile: p must be in [0, 1], got 1.500000",
                       ed::invalid_argument);
  CHECK_THROWS_AS(ed::mcse_quantile(draws, 0.0), ed::invalid_argument);
}

TEST_CASE("samplers warn through the warning sink: acceptance near 0 or 1, failed evaluations") {
  std::vector<std::string> warnings;
  const ed::WarningSink previous =
      ed::set_warning_sink([&](std::string_view line) { warnings.emplace_back(line); });
  const ScaleModel m;
  SUBCASE("HMC whose steps are far too long rejects everything, and says so") {
    ed::HMC hmc({m.w}, {{m.obs, m.y}});
    hmc.initialize({.n_iter = 200,
                    .n_print = 1000,
                    .step_size = 50.0,
                    .n_steps = 3,
                    .seed = 1,
                    .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    hmc.run();
    CHECK(hmc.acceptance_rate() < 0.01);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].find("HMC: ") == 0);
    CHECK(warnings[0].find("treated as rejections") != std::string::npos);
    CHECK(warnings[1] ==
          "HMC: the acceptance rate of the kept draws is 0.000; decrease step_size: "
          "trajectories diverge or overshoot");
  }
  SUBCASE("Metropolis-Hastings with tiny proposals accepts everything, and says so") {
    const ed::Normal proposal(m.w, 1e-6);
    ed::MetropolisHastings mh({{m.w, {}}}, {{m.w, proposal}}, {{m.obs, m.y}});
    mh.initialize(
        {.n_iter = 200, .n_print = 1000, .seed = 2, .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    mh.run();
    REQUIRE(warnings.size() == 1);
    CHECK(warnings[0].find("widen the proposals") != std::string::npos);
  }
  SUBCASE("a well-tuned run says nothing") {
    ed::HMC hmc({m.w}, {{m.obs, m.y}});
    hmc.initialize({.n_iter = 200,
                    .n_print = 1000,
                    .step_size = 0.05,
                    .n_steps = 5,
                    .seed = 3,
                    .init = {{m.w, Matrix::Constant(1, 1, 0.5)}}});
    hmc.run();
    CHECK(warnings.empty());
  }
  ed::set_warning_sink(previous);
}

TEST_CASE("every Monte Carlo kernel takes n_iter, n_warmup, chains and seed from the driver") {
  ed::set_seed(9);
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 72, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  const double post_mean = x_data.sum() / 21.0;
  auto check = [&](ed::MonteCarlo& fit, const ed::Empirical& q, const char* label) {
    CAPTURE(label);
    REQUIRE(fit.num_chains() == 3);
    const Matrix draws = fit.draws_by_chain(mu, 0);
    REQUIRE(draws.rows() == 2000);
    CHECK(std::abs(draws.mean() - post_mean) < 4.0 * ed::mcse_mean(draws));
    CHECK(ed::rhat(draws) < 1.01);
    const Matrix rows = q.params()[0].value();
    REQUIRE(rows.rows() == 6000);
    CHECK(rows.middleRows(2000, 2000) == fit.draws(mu, 1));
  };
  SUBCASE("HMC") {
    const ed::Empirical q(ed::variable(Matrix::Zero(6000, 1), "q_hmc"));
    ed::HMC hmc({{mu, q}}, {{x, x_data}});
    hmc.initialize(
        {.n_iter = 2000, .n_warmup = 100, .chains = 3, .step_size = 0.1, .n_steps = 5, .seed = 1});
    hmc.run();
    check(hmc, q, "HMC");
    // Chain 0 is the same whatever the number of chains: each chain owns its state and stream.
    ed::HMC one({mu}, {{x, x_data}});
    one.initialize(
        {.n_iter = 2000, .n_warmup = 100, .chains = 1, .step_size = 0.1, .n_steps = 5, .seed = 1});
    one.run();
    CHECK(one.draws(mu, 0) == hmc.draws(mu, 0));
  }
  SUBCASE("Metropolis-Hastings") {
    const ed::Empirical q(ed::variable(Matrix::Zero(6000, 1), "q_mh"));
    const ed::Normal proposal(mu, 0.5);
    ed::MetropolisHastings mh({{mu, q}}, {{mu, proposal}}, {{x, x_data}});
    mh.initialize({.n_iter = 2000, .n_warmup = 200, .chains = 3, .seed = 2});
    mh.run();
    check(mh, q, "MH");
  }
  SUBCASE("SGLD") {
    const ed::Empirical q(ed::variable(Matrix::Zero(6000, 1), "q_sgld"));
    ed::SGLD sgld({{mu, q}}, {{x, x_data}});
    sgld.initialize({.n_iter = 2000, .n_warmup = 100, .chains = 3, .step_size = 0.05, .seed = 3});
    sgld.run();
    REQUIRE(sgld.num_chains() == 3);
    CHECK(q.params()[0].value().rows() == 6000);
    CHECK(std::abs(sgld.draws(mu).mean() - post_mean) < 0.1);
  }
  SUBCASE("bad counts are named") {
    ed::HMC hmc({mu}, {{x, x_data}});
    CHECK_THROWS_WITH_AS(hmc.initialize({.n_iter = -30}),
                         "HMC: n_iter must be non-negative, got -30", ed::invalid_argument);
    CHECK_THROWS_WITH_AS(hmc.initialize({.chains = 0}), "HMC: chains must be at least 1, got 0",
                         ed::invalid_argument);
    CHECK_THROWS_WITH_AS(hmc.initialize({.n_warmup = -1}),
                         "HMC: n_warmup must be non-negative, got -1", ed::invalid_argument);
    // A data weight must be a positive finite number (it counts the data that many times).
    for (double w : {-1.0, 0.0, std::nan("")}) {
      CAPTURE(w);
      CHECK_THROWS_WITH_AS(hmc.initialize({.scale = {{x, w}}}),
                           doctest::Contains("options.scale for"), ed::invalid_argument);
    }
    ed::NUTS nuts({mu}, {{x, x_data}});
    CHECK_THROWS_WITH_AS(nuts.initialize({.max_treedepth = 2147483647}),
                         "NUTS: max_treedepth must be in [1, 30], got 2147483647",
                         ed::invalid_argument);
    ed::MAP map({mu}, {{x, x_data}});
    CHECK_THROWS_WITH_AS(map.initialize({.n_iter = -30}),
                         doctest::Contains("n_iter must be non-negative, got -30"),
                         ed::invalid_argument);
  }
}

TEST_CASE("a second run() continues the chains with n_iter more kept draws, no second warm-up") {
  for (int chains : {1, 2}) {
    CAPTURE(chains);
    const ed::Normal mu(0.0, 1.0);
    const ed::Normal x(mu * Matrix::Ones(5, 1), 1.0);
    ed::NUTS nuts({mu}, {{x, Matrix::Constant(5, 1, 0.5)}});
    nuts.initialize({.n_iter = 200, .n_warmup = 100, .chains = chains, .seed = 3});
    nuts.run();
    const Matrix first = nuts.draws(mu, 0);
    const double adapted = nuts.sampler_params(0)(199, 2);  // stepsize__ of the last draw
    nuts.run();
    const Matrix both = nuts.draws(mu, 0);
    REQUIRE(both.rows() == 400);
    CHECK(both.topRows(200) == first);
    // Continued, not restarted: the second run's steps keep the adapted size.
    const Matrix params = nuts.sampler_params(0);
    REQUIRE(params.rows() == 400);
    CHECK((params.col(2).bottomRows(200).array() == adapted).all());
    CHECK(nuts.draws(mu).rows() == 400 * chains);
  }
}

TEST_CASE("a random start where the density fails is drawn again, as Stan does, up to 100 times") {
  ed::clear_factors();
  // z ~ N(0, 1) restricted to z ≥ 1.5 by a factor: −inf at seven in eight uniform (−2, 2) starts.
  const ed::Normal z(0.0, 1.0);
  ed::factor(ed::log(ed::step(z - 1.5)));
  ed::NUTS nuts({z});
  nuts.initialize({.n_iter = 200, .n_warmup = 100, .chains = 2, .seed = 4});
  nuts.run();
  CHECK(nuts.draws(z).minCoeff() >= 1.5);
  ed::clear_factors();
  // Nowhere finite in (−2, 2): after 100 starts the error says so.
  const ed::Normal w(0.0, 1.0);
  ed::factor(ed::log(ed::step(w - 5.0)));
  ed::NUTS never({w});
  never.initialize({.n_iter = 10, .seed = 4});
  CHECK_THROWS_WITH_AS(never.run(),
                       doctest::Contains("(the same at 100 random starting points); give starting "
                                         "values with options.init"),
                       ed::numerical_error);
  ed::clear_factors();
}
