// ns per element of log_prob + gradient: Normal on n rows, and the K=20 normal mixture on n rows.
#include <CLI/CLI.hpp>
#include <edpp/edpp.hpp>

#include <cstdio>

#include "bench/timing.hpp"

namespace {
// Median ms of forward + backward of sum(log_prob) with respect to the parameters.
double time_program(const ed::Tensor& loss, const std::vector<ed::Tensor>& params, int repeats) {
  ed::Program program({loss}, params);
  ed::Rng rng;
  return ed::bench::median_ms(
      [&] {
        program.forward({}, rng);
        program.backward();
      },
      3, repeats);
}
}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"log_prob + gradient throughput of Normal and the K=20 normal mixture"};
  long rows = 1000000;
  int repeats = 15;
  app.add_option("--rows", rows, "rows (data points)")->check(CLI::PositiveNumber);
  app.add_option("--repeats", repeats, "timed runs")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  const auto in = ed::Matrix::Random(rows, 1);
  const ed::Tensor loc = ed::variable(ed::Matrix::Random(rows, 1), "loc");
  const ed::Tensor log_scale = ed::variable(ed::Matrix::Random(rows, 1) * 0.5, "log_scale");
  const ed::Tensor normal = ed::sum(ed::Normal(loc, ed::exp(log_scale)).log_prob(in));
  const double normal_ms = time_program(normal, {loc, log_scale}, repeats);
  std::printf("normal: rows=%ld ms=%.3f ns_per_element=%.2f\n", rows, normal_ms,
              1e6 * normal_ms / double(rows));

  const int k = 20;
  const ed::Tensor logits = ed::variable(ed::Matrix::Random(rows, k), "logits");
  const ed::Tensor locs = ed::variable(ed::Matrix::Random(rows, k) * 5.0, "locs");
  const ed::Tensor log_scales = ed::variable(ed::Matrix::Random(rows, k) * 0.5, "log_scales");
  const ed::Tensor mixture = ed::sum(
      ed::Mixture(ed::Categorical(logits), ed::Normal(locs, ed::exp(log_scales))).log_prob(in));
  const double mixture_ms = time_program(mixture, {logits, locs, log_scales}, repeats);
  std::printf("mixture K=20: rows=%ld ms=%.3f ns_per_row=%.2f ns_per_component=%.2f\n", rows,
              mixture_ms, 1e6 * mixture_ms / double(rows), 1e6 * mixture_ms / double(rows * k));
  return 0;
}
