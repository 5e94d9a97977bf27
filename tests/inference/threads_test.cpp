// MAP with threads: the batch split in row blocks gives the single-thread step, priors counted
// once; models whose nodes mix rows fall back to one thread and say why.
#include <doctest/doctest.h>

#include "edpp/models.hpp"
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

namespace {
// Two group means, mu_k ~ N(0, 1), x[:, k] ~ N(mu_k, 1): a KLqp fit with `threads`, its losses
// and variational parameters after `steps` updates.
std::pair<std::vector<double>, std::vector<Matrix>> two_means_klqp(int threads, int steps) {
  const Matrix x_data = ed::test::random_inputs({{301, 2}}, 120, -1.0, 3.0)[0];
  const auto x1 = ed::placeholder({ed::Dynamic, 1}, "x1");
  const auto x2 = ed::placeholder({ed::Dynamic, 1}, "x2");
  const ed::Normal mu1(0.0, 1.0), mu2(0.0, 1.0);
  const ed::Normal y1(mu1 * Matrix::Ones(1, 1), 1.0), y2(mu2 * Matrix::Ones(1, 1), 1.0);
  auto q = [](const std::string& name) {
    return ed::Normal(ed::variable(Matrix::Zero(1, 1), name + "/loc"),
                      ed::softplus(ed::variable(Matrix::Zero(1, 1), name + "/scale")));
  };
  const ed::Normal q1 = q("q1"), q2 = q("q2");
  ed::KLqp inference({{mu1, q1}, {mu2, q2}}, {{y1, x1}, {y2, x2}});
  inference.initialize(
      {.optimizer = ed::Adam(0.05), .n_samples = 2, .seed = 17, .threads = threads});
  if (threads > 1) CHECK(inference.threading() == "2 threads (rows split in blocks)");
  std::vector<double> losses;
  for (int t = 0; t < steps; ++t) {
    losses.push_back(inference.update({{x1, x_data.col(0)}, {x2, x_data.col(1)}}).loss);
  }
  std::vector<Matrix> values;
  for (const Tensor& v : inference.variables()) values.push_back(v.value());
  return {losses, values};
}
}  // namespace

TEST_CASE("KLqp on two threads: every shard sees the step's draws, the steps are one thread's") {
  // Note [Shared draws]: were the shards to draw their own q samples, the summed gradient would
  // be another estimate and the trajectories would part at the first step.
  const auto [one_losses, one_values] = two_means_klqp(1, 40);
  const auto [two_losses, two_values] = two_means_klqp(2, 40);
  for (std::size_t i = 0; i < one_losses.size(); ++i) {
    CAPTURE(i);
    CHECK(two_losses[i] == doctest::Approx(one_losses[i]).epsilon(1e-12));
  }
  REQUIRE(two_values.size() == one_values.size());
  for (std::size_t i = 0; i < one_values.size(); ++i) {
    CHECK(ed::test::all_close(two_values[i], one_values[i], 1e-10, 1e-12));
  }
}

TEST_CASE("Laplace on two threads finds the single thread's mode and Hessian") {
  const auto in = ed::test::random_inputs({{401, 2}, {401, 1}}, 121);
  const Matrix& X_data = in[0];
  const Matrix labels = (in[1].array() > 0.5 * X_data.col(0).array()).cast<double>().matrix();
  auto fit = [&](int threads) {
    const auto X = ed::placeholder({ed::Dynamic, 2}, "X");
    const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
    const ed::Normal w(Matrix::Zero(2, 1), 1.0);
    const ed::Bernoulli y_rv(ed::matmul(X, w));
    const ed::Normal qw(ed::variable(Matrix::Zero(2, 1), "qw/loc"),
                        ed::exp(ed::variable(Matrix::Zero(2, 1), "qw/log_scale")));
    ed::LaplaceApproximation inference({{w, qw}}, {{y_rv, y}});
    inference.initialize({.n_iter = 60, .threads = threads});
    if (threads > 1) CHECK(inference.threading() == "2 threads (rows split in blocks)");
    inference.run({{X, X_data}, {y, labels}});
    return std::make_pair(ed::eval(qw.mean()), inference.hessian());
  };
  const auto [one_mode, one_hessian] = fit(1);
  const auto [two_mode, two_hessian] = fit(2);
  CHECK(ed::test::all_close(two_mode, one_mode, 1e-9, 1e-12));
  CHECK(ed::test::all_close(two_hessian, one_hessian, 1e-9, 1e-12));
}
