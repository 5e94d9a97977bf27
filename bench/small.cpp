// Small graphs at microseconds: the log-density gradient of eight schools (non-centred, 10
// parameters) and of a logistic regression (N = 10,000, D = 100) through a compiled Program,
// as a sampler or optimiser evaluates them millions of times.
#include <CLI/CLI.hpp>
#include <edpp/edpp.hpp>

#include <cmath>
#include <cstdio>

#include "bench/timing.hpp"

namespace {

// Median µs of one forward + backward, each timed sample averaging `batch` calls (one call is
// too short for the clock).
double gradient_us(ed::Program& program, int batch, int repeats) {
  ed::Rng rng;
  return 1e3 *
         ed::bench::median_ms(
             [&] {
               for (int i = 0; i < batch; ++i) {
                 program.forward({}, rng);
                 program.backward();
               }
             },
             3, repeats) /
         batch;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Small graphs: log-density gradients of eight schools and a logistic regression"};
  int repeats = 31;
  app.add_option("--repeats", repeats, "timed samples (medians are reported)")
      ->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  // Eight schools, non-centred, on the unconstrained scale: θ̃ ~ N(0, 1), μ ~ N(0, 5),
  // τ = exp(u) ~ HalfCauchy(5) with log |dτ/du| = u, y ~ N(μ + τ θ̃, σ).
  const ed::Matrix y = (ed::Matrix(8, 1) << 28, 8, -3, 7, -1, 1, 18, 12).finished();
  const ed::Matrix sigma = (ed::Matrix(8, 1) << 15, 10, 16, 11, 9, 11, 10, 18).finished();
  const ed::Tensor theta = ed::variable(ed::Matrix::Constant(8, 1, 0.1), "theta_trans");
  const ed::Tensor mu = ed::variable(ed::Matrix::Constant(1, 1, 1.0), "mu");
  const ed::Tensor u = ed::variable(ed::Matrix::Constant(1, 1, 0.5), "log_tau");
  const ed::Tensor tau = ed::exp(u);
  const ed::Tensor schools = ed::sum(ed::Normal(0.0, 1.0).log_prob(theta)) +
                             ed::sum(ed::Normal(0.0, 5.0).log_prob(mu)) +
                             ed::sum(ed::HalfCauchy(5.0).log_prob(tau)) + ed::sum(u) +
                             ed::sum(ed::Normal(mu + tau * theta, sigma).log_prob(y));
  ed::Program eight({schools}, {theta, mu, u});
  const double eight_us = gradient_us(eight, 20000, repeats);
  std::printf(
      "eight_schools_noncentered: %zu nodes, %.3f us per gradient (goal 0.4; Stan Math "
      "on a comparable machine 0.5)\n",
      eight.num_nodes(), eight_us);

  // Logistic regression: β ~ N(0, 1) (D × 1), y ~ Bernoulli(logits = X β), written as a user
  // writes it, with no special case.
  const ed::Index n = 10000, d = 100;
  ed::Rng rng(1);
  const ed::Matrix X = ed::Matrix::Random(n, d);
  const ed::Matrix beta_true = 0.3 * ed::Matrix::Random(d, 1);
  ed::Matrix labels(n, 1);
  const ed::Matrix p = (1.0 / (1.0 + (-(X * beta_true).array()).exp())).matrix();
  const ed::Matrix uniform = (ed::Matrix::Random(n, 1).array() + 1.0) / 2.0;
  labels = (uniform.array() < p.array()).cast<double>().matrix();
  const ed::Tensor beta = ed::variable(ed::Matrix::Zero(d, 1), "beta");
  const ed::Tensor logistic =
      ed::sum(ed::Normal(0.0, 1.0).log_prob(beta)) +
      ed::sum(ed::Bernoulli(ed::matmul(ed::constant(X), beta)).log_prob(labels));
  ed::Program regression({logistic}, {beta});
  const double logistic_us = gradient_us(regression, 20, repeats);
  std::printf(
      "logistic_regression_10000x100: %zu nodes, %.1f us per gradient (goal 600; Stan "
      "Math 640 with its GLM function, 1160 as a generic composition)\n",
      regression.num_nodes(), logistic_us);
  std::printf("ratios to the goals: eight schools %.2f, logistic regression %.2f\n", eight_us / 0.4,
              logistic_us / 600.0);
  return 0;
}
