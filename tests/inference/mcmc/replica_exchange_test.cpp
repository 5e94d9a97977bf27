// Replica exchange: both modes of a well-separated mixture with their weights, where one
// Metropolis–Hastings chain stays in the mode it starts in.
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

using ed::Matrix;

namespace {
// 0.3 N(−5, 1) + 0.7 N(5, 1): the valley at 0 is exp(−12.5) below the modes.
ed::Mixture two_modes() {
  const Matrix logits = (Matrix(1, 2) << std::log(0.3), std::log(0.7)).finished();
  return ed::Mixture(ed::Categorical(logits), {ed::Normal(-5.0, 1.0), ed::Normal(5.0, 1.0)});
}

Matrix in_right_mode(const Matrix& by_chain) {
  return (by_chain.array() > 0.0).cast<double>().matrix();
}
}  // namespace

TEST_CASE("replica exchange finds both modes with their weights; one MH chain does not") {
  const ed::Mixture x = two_modes();
  const Matrix start = Matrix::Constant(1, 1, -5.0);
  ed::ReplicaExchangeMC remc({{x, std::nullopt}}, {{x, ed::Normal(x, 1.0)}}, {},
                             {1.0, 0.3, 0.1, 0.03, 0.01});
  remc.initialize({.n_iter = 20000,
                   .n_warmup = 1000,
                   .chains = 2,
                   .exchange_freq = 0.5,
                   .seed = 3,
                   .init = {{x, start}}});
  remc.run();
  const Matrix right = in_right_mode(remc.draws_by_chain(x, 0));
  const double p = right.mean(), mcse = ed::mcse_mean(right);
  MESSAGE("P(right mode) " << p << " ± " << mcse << ", exact 0.7");
  CHECK(std::abs(p - 0.7) < 4 * mcse);
  CHECK(mcse < 0.03);  // the chains cross often enough to pin the weight down
  const std::vector<double> rates = remc.swap_rates();
  REQUIRE(rates.size() == 4);
  for (double r : rates) CHECK(r > 0.2);
  const Matrix swaps = remc.sampler_params(0);
  CHECK(remc.sampler_param_names().back() == "swaps__");
  CHECK(swaps.col(swaps.cols() - 1).maxCoeff() >= 1.0);

  ed::MetropolisHastings mh({{x, std::nullopt}}, {{x, ed::Normal(x, 1.0)}});
  mh.initialize({.n_iter = 20000, .chains = 2, .seed = 3, .init = {{x, start}}});
  mh.run();
  CHECK(in_right_mode(mh.draws_by_chain(x, 0)).mean() < 0.01);
}

TEST_CASE("replica exchange refuses temperatures that do not fall from 1") {
  const ed::Mixture x = two_modes();
  ed::ReplicaExchangeMC hot({{x, std::nullopt}}, {{x, ed::Normal(x, 1.0)}}, {}, {0.5, 0.1});
  CHECK_THROWS_WITH_AS(hot.initialize(), doctest::Contains("must start at 1"),
                       ed::invalid_argument);
  ed::ReplicaExchangeMC rising({{x, std::nullopt}}, {{x, ed::Normal(x, 1.0)}}, {}, {1.0, 0.1, 0.2});
  CHECK_THROWS_WITH_AS(rising.initialize(), doctest::Contains("fall strictly"),
                       ed::invalid_argument);
  ed::ReplicaExchangeMC no_proposal({{x, std::nullopt}}, {}, {});
  CHECK_THROWS_WITH_AS(no_proposal.initialize(), doctest::Contains("has no proposal"),
                       ed::invalid_argument);
}
