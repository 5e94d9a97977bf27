// MAP with threads: the batch split in row blocks gives the single-thread step, priors counted
// once; models whose nodes mix rows fall back to one thread and say why.
#include <doctest/doctest.h>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
// Loss and first-layer weights after `steps` MDN updates with `threads`.
std::pair<std::vector<double>, Matrix> mdn_run(int threads, int steps) {
  ed::set_seed(9);
  const auto data = ed::datasets::toy_mdn(1001, 3);  // an odd split: blocks of unequal size
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
  const auto model = ed::models::mdn(X, 6, {10, 10});
  ed::MAP inference({}, {{model.y, y}});
  inference.initialize({.optimizer = ed::Adam(5e-3), .threads = threads});
  if (threads > 1) CHECK(inference.threading() == "2 threads (rows split in blocks)");
  std::vector<double> losses;
  for (int i = 0; i < steps; ++i) {
    losses.push_back(inference.update({{X, data.X_train}, {y, data.y_train}}).loss);
  }
  return {losses, inference.variables().front().value()};
}
}  // namespace

TEST_CASE("an MDN step on two threads equals the single-thread step") {
  const auto [one_losses, one_w] = mdn_run(1, 20);
  const auto [two_losses, two_w] = mdn_run(2, 20);
  for (std::size_t i = 0; i < one_losses.size(); ++i) {
    CAPTURE(i);
    CHECK(two_losses[i] == doctest::Approx(one_losses[i]).epsilon(1e-12));
  }
  CHECK(ed::test::all_close(two_w, one_w, 1e-9, 1e-12));
}

TEST_CASE("with threads, latent priors are counted once (normal-normal mode)") {
  const Matrix x_data = ed::test::random_inputs({{41, 1}}, 110, -1.0, 3.0)[0];
  const auto x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  ed::MAP inference({mu}, {{x, x_ph}});
  inference.initialize({.optimizer = ed::LBFGS(), .threads = 2});
  CHECK(inference.threading() == "2 threads (rows split in blocks)");
  for (int i = 0; i < 30; ++i) inference.update({{x_ph, x_data}});
  CHECK(inference.value(mu)(0, 0) == doctest::Approx(x_data.sum() / 42.0).epsilon(1e-8));
}

TEST_CASE("a model whose nodes mix rows runs on one thread and says which node") {
  const auto x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const Tensor w = ed::variable(Matrix::Ones(1, 1), "w");
  const ed::Normal y(ed::mean(x_ph, 0) * w, 1.0);  // every row sees the batch mean
  ed::MAP inference({}, {{y, x_ph}});
  inference.initialize({.threads = 2});
  CHECK(inference.threading() == "1 thread: mean [1, 1] mixes rows or draws random numbers");
  CHECK(std::isfinite(inference.update({{x_ph, Matrix::Ones(8, 1)}}).loss));
}

TEST_CASE("split placeholders fed different row counts are named") {
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
  const Tensor w = ed::variable(Matrix::Ones(1, 1), "w");
  const ed::Normal obs(X * w, 1.0);
  ed::MAP inference({}, {{obs, y}});
  inference.initialize({.threads = 2});
  CHECK_THROWS_WITH_AS(inference.update({{X, Matrix::Ones(5, 1)}, {y, Matrix::Ones(4, 1)}}),
                       "feed: placeholder 'y' and placeholder 'X' are fed 4 and 5 rows; rows are "
                       "data points and must agree",
                       ed::invalid_argument);
}
