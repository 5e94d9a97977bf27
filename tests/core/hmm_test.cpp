// hmm_marginal against enumeration of every hidden path, its gradient, long sequences.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "tests/support/gradient_check.hpp"

using ed::Index;
using ed::Matrix;
using ed::Tensor;

namespace {

// log p(y) by summing p(z) p(y | z) over all K^N hidden paths.
double enumerate(const Matrix& log_omega, const Matrix& gamma, const Matrix& rho) {
  const Index k = log_omega.rows(), n = log_omega.cols();
  Index paths = 1;
  for (Index t = 0; t < n; ++t) paths *= k;
  double total = 0.0;
  for (Index code = 0; code < paths; ++code) {
    Index rest = code, previous = -1;
    double log_p = 0.0;
    for (Index t = 0; t < n; ++t) {
      const Index state = rest % k;
      rest /= k;
      log_p += (t == 0 ? std::log(rho(state, 0)) : std::log(gamma(previous, state))) +
               log_omega(state, t);
      previous = state;
    }
    total += std::exp(log_p);
  }
  return std::log(total);
}

// A random HMM: transition rows and the initial distribution by softmax of random logits.
struct Hmm {
  Matrix log_omega, gamma, rho;
};
Hmm random_hmm(Index k, Index n, std::uint64_t seed) {
  const auto in = ed::test::random_inputs({{k, n}, {k, k}, {1, k}}, seed, -2.0, 1.0);
  Hmm h{in[0], ed::eval(ed::softmax(in[1], 1)), ed::eval(ed::transpose(ed::softmax(in[2], 1)))};
  return h;
}

}  // namespace

TEST_CASE("hmm_marginal equals the sum over every hidden path") {
  for (const auto& size : std::vector<std::pair<Index, Index>>{{1, 3}, {2, 5}, {3, 4}, {4, 3}}) {
    const Index k = size.first, n = size.second;
    CAPTURE(k);
    CAPTURE(n);
    const Hmm h = random_hmm(k, n, 50 + static_cast<std::uint64_t>(k * 10 + n));
    const double value = ed::eval(ed::hmm_marginal(h.log_omega, h.gamma, h.rho))(0, 0);
    CHECK(value == doctest::Approx(enumerate(h.log_omega, h.gamma, h.rho)).epsilon(1e-12));
  }
  // A transition matrix with zeros (a left-to-right chain) and a state that cannot start.
  Matrix gamma(3, 3);
  gamma << 0.6, 0.4, 0.0, 0.0, 0.7, 0.3, 0.0, 0.0, 1.0;
  const Matrix rho = (Matrix(3, 1) << 1.0, 0.0, 0.0).finished();
  const Matrix log_omega = ed::test::random_inputs({{3, 5}}, 61, -3.0, 0.0)[0];
  CHECK(ed::eval(ed::hmm_marginal(log_omega, gamma, rho))(0, 0) ==
        doctest::Approx(enumerate(log_omega, gamma, rho)).epsilon(1e-12));
}

TEST_CASE("hmm_marginal's gradient in emissions, transitions and the initial distribution") {
  for (const auto& size : std::vector<std::pair<Index, Index>>{{2, 4}, {3, 6}}) {
    const Index k = size.first, n = size.second;
    const auto in = ed::test::random_inputs({{k, n}, {k, k}, {1, k}}, 70 + k, -1.5, 1.5);
    // Through softmax, so the checked directions keep Γ and ρ on the simplex.
    CHECK(ed::test::check_gradient(
        [](const std::vector<Tensor>& x) {
          return ed::hmm_marginal(x[0], ed::softmax(x[1], 1), ed::transpose(ed::softmax(x[2], 1)));
        },
        in, {}, "hmm_marginal"));
    // And directly in Γ and ρ (the function is defined off the simplex too).
    const Hmm h = random_hmm(k, n, 90 + static_cast<std::uint64_t>(k));
    CHECK(ed::test::check_gradient(
        [](const std::vector<Tensor>& x) { return ed::hmm_marginal(x[0], x[1], x[2]); },
        {h.log_omega, h.gamma, h.rho}, {}, "hmm_marginal direct"));
  }
}

TEST_CASE("hmm_marginal stays finite over 20,000 steps, where p(y) underflows") {
  const Hmm h = random_hmm(3, 20000, 99);
  const double value = ed::eval(ed::hmm_marginal(h.log_omega, h.gamma, h.rho))(0, 0);
  CHECK(std::isfinite(value));
  CHECK(value < -1000.0);  // exp(value) is 0 in double precision
  const Tensor w = ed::variable(h.log_omega, "log_omega");
  const Matrix g = ed::grad(ed::hmm_marginal(w, h.gamma, h.rho), {w})[0];
  // Each column of ∂/∂log ω is the posterior marginal of that step: it sums to 1.
  CHECK((g.colwise().sum().array() - 1.0).abs().maxCoeff() < 1e-9);
  CHECK_THROWS_WITH_AS(ed::hmm_marginal(Matrix::Zero(3, 4), Matrix::Zero(2, 2), Matrix::Zero(3, 1)),
                       doctest::Contains("hmm_marginal"), ed::invalid_argument);
}

TEST_CASE("hmm_marginal at extreme emissions: far below exp's range, impossible states, no path") {
  const Hmm h = random_hmm(3, 4, 77);
  // Every emission 800 nats lower (exp(−800) is 0 in double): the value moves by 800 per step.
  const Matrix low = (h.log_omega.array() - 800.0).matrix();
  CHECK(ed::eval(ed::hmm_marginal(low, h.gamma, h.rho))(0, 0) ==
        doctest::Approx(enumerate(h.log_omega, h.gamma, h.rho) - 3200.0).epsilon(1e-12));
  // One state's emissions 1000 nats below the others' at one step: still exact, and its
  // gradient (a posterior marginal) vanishes there without NaN.
  Matrix skewed = h.log_omega;
  skewed(1, 2) -= 1000.0;
  CHECK(ed::eval(ed::hmm_marginal(skewed, h.gamma, h.rho))(0, 0) ==
        doctest::Approx(enumerate(skewed, h.gamma, h.rho)).epsilon(1e-12));
  const Tensor omega = ed::variable(skewed);
  const Matrix g = ed::grad(ed::hmm_marginal(omega, h.gamma, h.rho), {omega})[0];
  CHECK(g.allFinite());
  CHECK(g(1, 2) < 1e-300);
  // A state that cannot emit (−inf) is fine; a step no state can emit makes p(y) = 0.
  Matrix impossible = h.log_omega;
  impossible(0, 1) = -std::numeric_limits<double>::infinity();
  CHECK(ed::eval(ed::hmm_marginal(impossible, h.gamma, h.rho))(0, 0) ==
        doctest::Approx(enumerate(impossible, h.gamma, h.rho)).epsilon(1e-12));
  impossible.col(2).setConstant(-std::numeric_limits<double>::infinity());
  CHECK(ed::eval(ed::hmm_marginal(impossible, h.gamma, h.rho))(0, 0) ==
        -std::numeric_limits<double>::infinity());
}
