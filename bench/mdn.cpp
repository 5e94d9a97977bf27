// The MDN tutorial's training step (forward, backward, Adam on the 3750-point batch), timed:
// median ms per step, and the whole run of N epochs with the test loss each epoch.
#include <CLI/CLI.hpp>
#include <Eigen/Core>
#include <edpp/edpp.hpp>
#include <edpp/models.hpp>

#include <chrono>
#include <cstdio>

#include "bench/timing.hpp"
#include "edpp/core/simd/kernels.hpp"

int main(int argc, char** argv) {
  CLI::App app{"MDN training-step benchmark (Edward tutorial configuration)"};
  int threads = 1, repeats = 300, warmup = 30;
  long epochs = 1000;
  ed::Index points = 5000;
  app.add_option("--threads", threads, "Eigen threads (needs an OpenMP build)")
      ->check(CLI::PositiveNumber);
  app.add_option("--repeats", repeats, "timed steps")->check(CLI::PositiveNumber);
  app.add_option("--warmup", warmup, "untimed steps")->check(CLI::NonNegativeNumber);
  app.add_option("--epochs", epochs, "epochs of the whole-run timing (0 skips it)")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--points", points, "toy data size (75% of it is the training batch)")
      ->check(CLI::Range(8, 100000000));
  CLI11_PARSE(app, argc, argv);

  auto make = [points] {
    ed::set_seed(42);
    auto data = ed::datasets::toy_mdn(points, 42);
    const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
    const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
    auto model = ed::models::mdn(X, 20, {15, 15});
    return std::tuple{data, X, y, model};
  };

  auto [data, X, y, model] = make();
  ed::MAP inference({}, {{model.y, y}});
  inference.initialize({.optimizer = ed::Adam(5e-3), .threads = threads});
  std::printf("threading: %s, simd=%s\n", inference.threading().c_str(),
              ed::simd::name(ed::simd::active()));
  const ed::Feed train = {{X, data.X_train}, {y, data.y_train}};
  const double step_ms = ed::bench::median_ms([&] { inference.update(train); }, warmup, repeats);

  double run_s = 0.0, final_test_ll = 0.0;
  if (epochs > 0) {
    auto [d2, X2, y2, model2] = make();
    ed::MAP run(std::vector<ed::RandomVariable>{}, {{model2.y, y2}});
    run.initialize({.optimizer = ed::Adam(5e-3), .threads = threads});
    const ed::Feed tr = {{X2, d2.X_train}, {y2, d2.y_train}};
    const ed::Feed te = {{X2, d2.X_test}, {y2, d2.y_test}};
    const auto start = std::chrono::steady_clock::now();
    double test_loss = 0.0;
    for (long i = 0; i < epochs; ++i) {
      run.update(tr);
      test_loss = run.loss(te);
    }
    run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    final_test_ll = -test_loss / static_cast<double>(d2.X_test.rows());
  }
  std::printf("threads=%d epochs=%ld run_s=%.3f final_test_ll=%.4f\n", threads, epochs, run_s,
              final_test_ll);
  std::printf("step_ms_median=%.4f\n", step_ms);
  return 0;
}
