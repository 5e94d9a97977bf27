// WakeSleep: an amortised q(z | x) learns the exact posterior of a normal mean from the
// model's fantasies, and the wake phase learns the prior's mean (maximum marginal likelihood).
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>
#include <string>

using ed::Matrix;

namespace {
// The posterior of z ~ N(m, 1), x_i ~ N(z, 1), i = 1..5, is N((m + Σx)/6, 1/6): a q of the form
// N(w Σx + b, σ) holds it exactly, at w = 1/6, b = m/6, σ = 1/√6.
struct Amortised {
  ed::Tensor w = ed::variable(Matrix::Zero(1, 1), "w");
  ed::Tensor b = ed::variable(Matrix::Zero(1, 1), "b");
  ed::Tensor s = ed::variable(Matrix::Zero(1, 1), "s");
  ed::Normal q(const ed::Tensor& x) const {
    return ed::Normal(w * ed::sum(x) + b, ed::softplus(s));
  }
};

double value(const ed::Tensor& t) { return ed::eval(t)(0, 0); }
}  // namespace

TEST_CASE(
    "WakeSleep: q(z | x) learns the exact posterior from fantasies; the wake phase the prior") {
  const Matrix x_data = (Matrix(5, 1) << 1.4, 0.6, 2.1, 1.1, 0.8).finished();
  const ed::Tensor x_t(x_data);  // q is built from the tensor that is bound to x
  const ed::Tensor m = ed::variable(Matrix::Zero(1, 1), "m");
  ed::Normal z(m, 1.0);
  ed::Normal x(z * Matrix::Ones(5, 1), 1.0);
  Amortised net;
  const ed::Normal qz = net.q(x_t);
  ed::WakeSleep inference({{z, qz}}, {{x, x_t}});
  inference.initialize({.optimizer = ed::Adam(0.003), .seed = 5});
  double w = 0, sd = 0, prior_mean = 0;
  const int steps = 30000, averaged = 10000;
  for (int t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      w += value(net.w) / averaged;
      sd += value(ed::softplus(net.s)) / averaged;
      prior_mean += value(m) / averaged;
    }
  }
  INFO("w " << w << ", sd " << sd << ", m " << prior_mean << "; x̄ " << x_data.mean());
  // Relative errors: the step's jitter (Adam, one fantasy per step) leaves σ ~2% high.
  CHECK(std::abs(w - 1.0 / 6) / (1.0 / 6) < 0.02);
  CHECK(std::abs(sd - 1 / std::sqrt(6.0)) / (1 / std::sqrt(6.0)) < 0.04);
  // The fixed point of the wake phase: m = E_q[z | x] = (m + Σx)/6, so m = x̄.
  CHECK(std::abs(prior_mean - x_data.mean()) < 0.03);
  // q's mean on the data is then the posterior mean (m + Σx)/6.
  CHECK(std::abs(value(qz.mean()) - (prior_mean + x_data.sum()) / 6) < 0.03);
}

TEST_CASE("WakeSleep refuses what it cannot do") {
  ed::Normal z(0.0, 1.0);
  ed::Normal x(z * Matrix::Ones(3, 1), 1.0);
  ed::WakeSleep no_q(std::vector<ed::LatentPair>{{z, std::nullopt}}, {{x, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(no_q.initialize(), doctest::Contains("needs an approximation"),
                       ed::invalid_argument);
  const ed::Normal qz(ed::variable(Matrix::Zero(1, 1), "q_loc"), 1.0);
  ed::WakeSleep threaded({{z, qz}}, {{x, Matrix::Ones(3, 1)}});
  CHECK_THROWS_WITH_AS(threaded.initialize({.threads = 2}), doctest::Contains("threads must be 1"),
                       ed::invalid_argument);
}
