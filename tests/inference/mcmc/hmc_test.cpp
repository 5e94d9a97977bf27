// HMC and Empirical: draws from closed-form posteriors within Monte Carlo error.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("Empirical holds draws: mean, stddev, a stored draw at random, no density") {
  const Matrix draws = (Matrix(4, 2) << 1, 10, 2, 20, 3, 30, 4, 40).finished();
  const ed::Empirical q(ed::variable(draws, "draws"));
  CHECK(ed::test::all_close(ed::eval(q.mean()), (Matrix(1, 2) << 2.5, 25).finished()));
  CHECK(ed::eval(q.stddev())(0, 1) == doctest::Approx(std::sqrt(125.0)));
  ed::set_seed(1);
  for (int i = 0; i < 10; ++i) {
    const Matrix s = ed::eval(q.sample());
    CHECK(s(0, 1) == 10.0 * s(0, 0));  // a whole stored row
  }
  const ed::Empirical column(ed::variable(draws, "d2"), {2, 1});
  CHECK(column.event() == ed::Shape{2, 1});
  CHECK(ed::eval(column.mean())(1, 0) == 25.0);
  CHECK_THROWS_WITH_AS(q.log_prob(0.0), "Empirical: stored draws have no density (log_prob)",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::Empirical(ed::variable(draws, "d3"), {3, 1}),
                       "Empirical: params [4, 2] hold draws of 2 numbers, not of shape [3, 1]",
                       ed::invalid_argument);
}

TEST_CASE("HMC draws the normal-normal posterior into an Empirical, within Monte Carlo error") {
  ed::set_seed(4);
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 70, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  const long n = 5000;
  const ed::Empirical qmu(ed::variable(Matrix::Zero(n, 1), "qmu"));
  ed::HMC inference({{mu, qmu}}, {{x, x_data}});
  inference.initialize({.n_iter = n, .step_size = 0.2, .n_steps = 4, .seed = 9});
  inference.run();
  const Matrix draws = qmu.params()[0].value();
  REQUIRE(draws.rows() == n);
  const Matrix kept = draws.bottomRows(n - 500);
  const double post_mean = x_data.sum() / 21.0, post_sd = std::sqrt(1.0 / 21.0);
  const double mcse = ed::mcse_mean(kept);
  INFO("mean " << kept.mean() << " ± " << mcse << ", closed form " << post_mean);
  CHECK(std::abs(kept.mean() - post_mean) < 4.0 * mcse);
  const double sd = std::sqrt((kept.array() - kept.mean()).square().mean());
  CHECK(sd == doctest::Approx(post_sd).epsilon(0.08));
  CHECK(ed::rhat(kept) < 1.01);
  CHECK(inference.acceptance_rate() > 0.8);
  CHECK(ed::eval(qmu.mean())(0, 0) == doctest::Approx(draws.mean()));
}

TEST_CASE("HMC on a Gamma-constrained latent (Edward's automated transformations)") {
  // theta ~ Gamma(3, 2) alone: HMC on log theta with the Jacobian draws Gamma(3, 2).
  ed::set_seed(5);
  const ed::Gamma theta(3.0, 2.0);
  ed::HMC inference({theta});
  inference.initialize({.n_iter = 8000, .step_size = 0.4, .n_steps = 5, .seed = 3});
  inference.run();
  const Matrix kept = inference.draws(theta).bottomRows(7000);
  CHECK((kept.array() > 0.0).all());
  const double mcse = ed::mcse_mean(kept);
  INFO("mean " << kept.mean() << " ± " << mcse);
  CHECK(std::abs(kept.mean() - 1.5) < 4.0 * mcse);
  const double sd = std::sqrt((kept.array() - kept.mean()).square().mean());
  CHECK(sd == doctest::Approx(std::sqrt(3.0) / 2.0).epsilon(0.1));
}

TEST_CASE("HMC names bad options and approximations") {
  const ed::Normal mu(0.0, 1.0);
  CHECK_THROWS_WITH_AS(ed::HMC({mu}).initialize({.step_size = -1.0}),
                       "HMC: step_size must be positive, got -1.000000", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::HMC({mu}).initialize({.n_steps = 0}),
                       "HMC: n_steps must be at least 1, got 0", ed::invalid_argument);
  const ed::Normal not_empirical(0.0, 1.0);
  CHECK_THROWS_WITH_AS(ed::HMC({{mu, not_empirical}}).initialize(),
                       doctest::Contains("must be an Empirical whose params are a variable"),
                       ed::invalid_argument);
  // An Empirical whose draws have another shape than its latent's (a row of 3 for a column).
  const ed::Normal w(Matrix::Zero(3, 1), 1.0);
  const ed::Empirical row_draws(ed::variable(Matrix::Zero(10, 3), "qw"));
  CHECK_THROWS_WITH_AS(ed::NUTS({{w, row_draws}}).initialize(),
                       doctest::Contains("holds draws of shape [1, 3], not the latent's [3, 1]; "
                                         "give it the latent's: ed::Empirical(params, {3, 1})"),
                       ed::invalid_argument);
  const ed::Empirical column_draws(ed::variable(Matrix::Zero(10, 3), "qw2"), {3, 1});
  CHECK_NOTHROW(ed::NUTS({{w, column_draws}}).initialize({.n_iter = 10, .n_warmup = 0}));
}

TEST_CASE("SGLD with minibatches settles on the normal-normal posterior") {
  // mu ~ N(0, 1), x_i ~ N(mu, 1), 100 points seen 10 at a time with scale 10.
  ed::set_seed(8);
  const Matrix x_data = ed::test::random_inputs({{100, 1}}, 71, -1.0, 3.0)[0];
  const auto batch = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  ed::SGLD inference({mu}, {{x, batch}});
  inference.initialize({.step_size = 0.05, .seed = 4, .scale = {{x, 10.0}}});
  ed::Minibatches batches({x_data}, 10, /*seed=*/5);
  for (int i = 0; i < 6000; ++i) inference.update({{batch, batches.next()[0]}});
  const Matrix kept = inference.draws(mu).bottomRows(5000);
  const double post_mean = x_data.sum() / 101.0, post_sd = std::sqrt(1.0 / 101.0);
  INFO("mean " << kept.mean() << ", closed form " << post_mean << " ± " << post_sd);
  // SGLD is approximate (no Metropolis step, minibatch noise): within a third of a posterior sd.
  CHECK(std::abs(kept.mean() - post_mean) < post_sd / 3.0);
  CHECK(inference.acceptance_rate() == 1.0);
  CHECK_THROWS_WITH_AS(ed::SGLD({mu}).initialize({.step_size = 0.0}),
                       "SGLD: step_size must be positive, got 0.000000", ed::invalid_argument);
}

TEST_CASE("Metropolis-Hastings with a random-walk proposal draws the normal-normal posterior") {
  ed::set_seed(9);
  const Matrix x_data = ed::test::random_inputs({{20, 1}}, 72, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(20, 1), 1.0);
  const long n = 20000;
  const ed::Empirical qmu(ed::variable(Matrix::Zero(n, 1), "qmu"));
  ed::MetropolisHastings inference({{mu, qmu}}, {{mu, ed::Normal(mu, 0.4)}}, {{x, x_data}});
  inference.initialize({.n_iter = n, .seed = 2});
  inference.run();
  const Matrix kept = qmu.params()[0].value().bottomRows(n - 1000);
  const double mcse = ed::mcse_mean(kept);
  const double post_mean = x_data.sum() / 21.0;
  INFO("mean " << kept.mean() << " ± " << mcse << ", closed form " << post_mean);
  CHECK(std::abs(kept.mean() - post_mean) < 4.0 * mcse);
  const double sd = std::sqrt((kept.array() - kept.mean()).square().mean());
  CHECK(sd == doctest::Approx(std::sqrt(1.0 / 21.0)).epsilon(0.08));
}

TEST_CASE("Metropolis-Hastings corrects an asymmetric proposal (log-normal steps on a Gamma)") {
  // theta ~ Gamma(3, 2) alone; proposal LogNormal(log theta, 0.5) is not symmetric: without
  // the Hastings term the draws' mean would be off.
  ed::set_seed(10);
  const ed::Gamma theta(3.0, 2.0);
  ed::MetropolisHastings inference({{theta, std::nullopt}},
                                   {{theta, ed::LogNormal(ed::log(theta), 0.5)}});
  inference.initialize({.n_iter = 30000, .seed = 3});
  inference.run();
  const Matrix kept = inference.draws(theta).bottomRows(29000);
  const double mcse = ed::mcse_mean(kept);
  INFO("mean " << kept.mean() << " ± " << mcse);
  CHECK(std::abs(kept.mean() - 1.5) < 4.0 * mcse);
  CHECK(mcse < 0.02);
  CHECK_THROWS_WITH_AS(ed::MetropolisHastings({{theta, std::nullopt}}, {}).initialize(),
                       doctest::Contains("has no proposal"), ed::invalid_argument);
}

TEST_CASE("Metropolis-Hastings says which proposal failed, before the op's own message") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  // A scale that is negative at every state near the start: the draw's check fails at run time.
  const ed::Normal bad_scale(mu, mu - 10.0);
  ed::MetropolisHastings mh({{mu, std::nullopt}}, {{mu, bad_scale}}, {{x, Matrix::Zero(3, 1)}});
  mh.initialize({.n_iter = 5, .seed = 1});
  CHECK_THROWS_WITH_AS(mh.run(),
                       doctest::Contains("MetropolisHastings: drawing from the proposals at the "
                                         "current state: "),
                       ed::invalid_argument);
}
