// The inference layer: a new algorithm is a small subclass; misuse gets a clear error naming
// the culprit.
#include <doctest/doctest.h>

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

/// Random-walk Metropolis in one small class: how a Monte Carlo algorithm plugs into the layer
/// (the real samplers are NUTS, HMC and MetropolisHastings).
class RandomWalk final : public ed::MonteCarlo {
 public:
  RandomWalk(std::vector<ed::RandomVariable> latent, ed::Data data, double step)
      : MonteCarlo("RandomWalk", pairs(std::move(latent)), std::move(data)), step_(step) {}
  void initialize(ed::CommonOptions options = {}, int chains = 1, long warmup = 0) {
    initialize_monte_carlo(options, chains, warmup);
  }

 private:
  static std::vector<ed::LatentPair> pairs(std::vector<ed::RandomVariable> latent) {
    std::vector<ed::LatentPair> out;
    for (auto& z : latent) out.push_back({std::move(z), std::nullopt});
    return out;
  }
  void initialize_with_defaults() override { initialize(); }
  double draw(Chain& chain) override {
    boost::random::normal_distribution<double> normal;
    Eigen::VectorXd& u = chain.position();
    Eigen::VectorXd proposal = u;
    for (Index k = 0; k < proposal.size(); ++k) proposal(k) += step_ * normal(chain.rng().engine());
    const double accept =
        std::min(1.0, std::exp(chain.log_density(proposal) - chain.log_density(u)));
    if (boost::random::uniform_01<double>()(chain.rng().engine()) < accept) u = proposal;
    return accept;
  }
  using Index = ed::Index;
  double step_;
};

// The mean of x with its Monte Carlo standard error by batch means (50 batches).
std::pair<double, double> mean_and_mcse(const Eigen::VectorXd& x) {
  const ed::Index batches = 50, size = x.size() / batches;
  Eigen::VectorXd means(batches);
  for (ed::Index b = 0; b < batches; ++b) means(b) = x.segment(b * size, size).mean();
  const double m = means.mean();
  const double var = (means.array() - m).square().sum() / (batches - 1);
  return {m, std::sqrt(var / batches)};
}

}  // namespace

TEST_CASE("a Monte Carlo algorithm is one small subclass: random-walk Metropolis, normal-normal") {
  // mu ~ N(0, 1), x_i ~ N(mu, 1): the posterior is N(Σx / (n + 1), 1 / (n + 1)).
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 7, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  RandomWalk sampler({mu}, {{x, x_data}}, 0.5);
  sampler.initialize({.n_iter = 20000, .seed = 5});
  for (int i = 0; i < 20000; ++i) sampler.update();
  const Matrix draws = sampler.draws(mu);
  REQUIRE(draws.rows() == 20000);
  const Eigen::VectorXd kept = draws.col(0).tail(19000);
  const auto [mean, mcse] = mean_and_mcse(kept);
  const double post_mean = x_data.sum() / 21.0, post_sd = std::sqrt(1.0 / 21.0);
  INFO("mean " << mean << " ± " << mcse << ", closed form " << post_mean);
  CHECK(std::abs(mean - post_mean) < 4.0 * mcse);
  const double sd = std::sqrt((kept.array() - kept.mean()).square().mean());
  CHECK(sd == doctest::Approx(post_sd).epsilon(0.08));
  CHECK(sampler.acceptance_rate() > 0.3);
  CHECK(sampler.acceptance_rate() < 0.9);
}

TEST_CASE("chains run on threads, keep their draws apart, and one seed reproduces them all") {
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 8, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  auto sample = [&] {
    auto sampler = std::make_unique<RandomWalk>(std::vector<ed::RandomVariable>{mu},
                                                ed::Data{{x, x_data}}, 0.5);
    sampler->initialize({.seed = 6}, 4, 200);
    for (int i = 0; i < 1200; ++i) sampler->update();
    return sampler;
  };
  const auto owner_a = sample();
  const RandomWalk& a = *owner_a;
  CHECK(a.num_chains() == 4);
  CHECK(a.draws(mu).rows() == 4000);  // warm-up draws are not kept
  Matrix by_chain(1000, 4);
  for (int c = 0; c < 4; ++c) by_chain.col(c) = a.draws(mu, c);
  CHECK(ed::rhat(by_chain) < 1.01);
  CHECK_FALSE(by_chain.col(0) == by_chain.col(1));  // each chain its own stream
  CHECK(sample()->draws(mu) == a.draws(mu));
}

TEST_CASE("a positive latent is sampled on its unconstrained scale with the log Jacobian") {
  // sigma ~ Gamma(3, 2) with no data: the draws of sigma follow Gamma(3, 2), mean 1.5.
  const ed::Gamma sigma(3.0, 2.0);
  RandomWalk sampler({sigma}, {}, 1.0);
  sampler.initialize({.seed = 2});
  for (int i = 0; i < 40000; ++i) sampler.update();
  const Eigen::VectorXd kept = sampler.draws(sigma).col(0).tail(39000);
  CHECK((kept.array() > 0.0).all());
  const auto [mean, mcse] = mean_and_mcse(kept);
  INFO("mean " << mean << " ± " << mcse);
  CHECK(std::abs(mean - 1.5) < 4.0 * mcse);
}

TEST_CASE("update(), loss() and session() before initialize() are errors; run() initialises") {
  const Matrix x_data = Matrix::Ones(3, 1);
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  ed::MAP inference({mu}, {{x, x_data}});
  CHECK_THROWS_WITH_AS(inference.update(),
                       doctest::Contains("MAP: update() called before initialize()"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(inference.loss(), doctest::Contains("MAP: loss() called before"),
                       ed::invalid_argument);
  CHECK_THROWS_AS(inference.session(), ed::invalid_argument);
  CHECK_THROWS_AS(inference.value(mu), ed::invalid_argument);
}

TEST_CASE("run() without initialize() uses the default options, as Edward's run") {
  const Matrix x_data = Matrix::Constant(4, 1, 2.0);
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(4, 1), 1.0);
  ed::MAP inference({mu}, {{x, x_data}});
  inference.run();
  CHECK(inference.iteration() == 1000);
  CHECK(inference.value(mu)(0, 0) == doctest::Approx(8.0 / 5.0).epsilon(1e-3));
}

TEST_CASE("a random variable the model uses but nobody bound is named") {
  const ed::Normal z(Matrix::Zero(3, 1), 1.0);
  const ed::Normal x(z, 1.0);
  ed::MAP inference({}, {{x, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(
      inference.initialize(),
      doctest::Contains("MAP: the model uses a Normal [3, 1] random variable that is neither "
                        "latent nor data"),
      ed::invalid_argument);
  // An explicit sample() is a deliberate draw, not an unbound variable.
  const Tensor w = ed::variable(Matrix::Zero(1, 1), "w");
  const ed::Normal y(w + 0.01 * ed::Normal(0.0, 1.0).sample(), 1.0);
  ed::MAP noisy({}, {{y, Matrix::Ones(1, 1)}});
  CHECK_NOTHROW(noisy.initialize());
}

TEST_CASE("options naming variables that are not latent or data are refused") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  const ed::Normal stranger(0.0, 1.0);
  ed::MAP inference({mu}, {{x, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(
      inference.initialize({.scale = {{stranger, 2.0}}}),
      "MAP: options.scale names a Normal [1, 1] that is not bound to data (scale weighs data "
      "log-likelihoods)",
      ed::invalid_argument);
  CHECK_THROWS_WITH_AS(inference.initialize({.init = {{x, Matrix::Ones(3, 1)}}}),
                       "MAP: options.init names a Normal [3, 1] that is not a latent variable",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(inference.initialize({.init = {{mu, Matrix::Ones(2, 1)}}}),
                       "MAP: the initial value of latent Normal [1, 1] has shape [2, 1]",
                       ed::invalid_argument);
}

TEST_CASE("data that no latent and no trainable variable reaches is said, not ignored") {
  std::vector<std::string> warnings;
  const ed::WarningSink previous =
      ed::set_warning_sink([&](std::string_view line) { warnings.emplace_back(line); });
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  const ed::Normal apart(Matrix::Zero(3, 1), 1.0);  // written apart from mu
  ed::MAP inference({mu}, {{x, Matrix::Ones(3, 1)}, {apart, Matrix::Ones(3, 1)}});
  inference.initialize();
  ed::set_warning_sink(previous);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "MAP: the Normal [3, 1] bound to data depends on no latent variable and no trainable "
        "variable: its log-likelihood is a constant that informs nothing in this inference");
}

TEST_CASE("a variable bound twice, or both latent and data, is refused") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  CHECK_THROWS_WITH_AS(ed::MAP({mu, mu}, {{x, Matrix::Ones(3, 1)}}).initialize(),
                       "MAP: the latent Normal [1, 1] is listed twice", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::MAP({mu}, {{mu, Matrix::Ones(1, 1)}}).initialize(),
                       "MAP: the Normal [1, 1] is both latent and bound to data",
                       ed::invalid_argument);
}

TEST_CASE("data off its family's support stops with the family and the data named") {
  const auto labels = ed::placeholder({ed::Dynamic, 1}, "y");
  const Tensor logits = ed::variable(Matrix::Zero(1, 3), "logits");
  const ed::Categorical y(logits);
  ed::MAP inference({}, {{y, labels}});
  inference.initialize();
  const Matrix bad = (Matrix(5, 1) << 0, 1, 2, 1, 5).finished();
  CHECK_THROWS_WITH_AS(inference.update({{labels, bad}}),
                       "Categorical: data 'y'[4, 0] is 5, but must be an integer in [0, 2]",
                       ed::invalid_argument);
  // The same label is simply impossible (−inf) outside inference.
  CHECK(ed::eval(y.log_prob(5.0))(0, 0) == -std::numeric_limits<double>::infinity());
  const ed::Gamma g(2.0, 1.0);
  ed::MAP gamma_fit({}, {{g, Matrix::Constant(2, 1, -1.0)}});
  CHECK_THROWS_WITH_AS(gamma_fit.initialize(),
                       doctest::Contains("Gamma: data[0, 0] is -1, but must be non-negative"),
                       ed::invalid_argument);
}

TEST_CASE("a Mixture whose Categorical and components disagree on the classes is named") {
  CHECK_THROWS_WITH_AS(ed::Mixture(ed::Categorical(Matrix::Zero(1, 3)),
                                   ed::Normal(Matrix::Zero(1, 2), Matrix::Ones(1, 2))),
                       "Mixture: the Categorical has 3 classes but the components have 2 "
                       "columns (one per class)",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::Mixture(ed::Categorical(Matrix::Zero(1, 3)),
                                   {ed::Normal(0.0, 1.0), ed::Normal(1.0, 1.0)}),
                       "Mixture: 2 components but the Categorical's logits have 3 columns",
                       ed::invalid_argument);
}
