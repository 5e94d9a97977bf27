// MAP recovers closed-form answers; Adam matches hand-computed steps; NaN runs stop with a name.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("MAP recovers the normal-normal posterior mode (Edward's test)") {
  // mu ~ N(0, 1), x_i ~ N(mu, 1): the mode is Σx / (n + 1).
  const Matrix x_data = ed::test::random_inputs({{50, 1}}, 80, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(50, 1), 1.0);
  ed::MAP inference({mu}, {{x, x_data}});
  inference.initialize({.optimizer = ed::Adam(0.05), .n_iter = 1500});
  for (int i = 0; i < 1500; ++i) inference.update();
  const double mode = x_data.sum() / 51.0;
  CHECK(inference.value(mu)(0, 0) == doctest::Approx(mode).epsilon(1e-4));
  // The loss is the negative log joint at the estimate, a total.
  const double m = inference.value(mu)(0, 0);
  const double expected =
      0.5 * m * m + 0.5 * (x_data.array() - m).square().sum() + 51 * 0.5 * std::log(2 * M_PI);
  CHECK(inference.loss() == doctest::Approx(expected).epsilon(1e-12));
}

TEST_CASE("MAP linear regression with a Normal prior equals the ridge closed form") {
  const ed::Index n = 40, d = 3;
  const auto in = ed::test::random_inputs({{n, d}, {d, 1}, {n, 1}}, 81);
  const Matrix& X = in[0];
  const Matrix y_data = X * in[1] + 0.5 * in[2];
  const double sigma = 0.5, tau = 1.0;
  const ed::Normal w(Matrix::Zero(d, 1), tau);
  const ed::Normal y(ed::matmul(X, w), sigma);
  ed::MAP inference({w}, {{y, y_data}});
  inference.initialize({.optimizer = ed::Adam(0.05), .seed = 3});
  for (int i = 0; i < 4000; ++i) inference.update();
  const Matrix A = X.transpose() * X / (sigma * sigma) + Matrix::Identity(d, d) / (tau * tau);
  const Matrix ridge = A.ldlt().solve(X.transpose() * y_data / (sigma * sigma));
  CHECK(ed::test::all_close(inference.value(w), ridge, 1e-5, 1e-7));
}

TEST_CASE("MAP with a user-made point mass optimises its parameter directly") {
  const Matrix x_data = (Matrix(4, 1) << 1.0, 2.0, 3.0, 6.0).finished();
  const ed::Normal mu(0.0, 10.0);
  const ed::Normal x(mu * Matrix::Ones(4, 1), 1.0);
  const Tensor param = ed::variable(Matrix::Zero(1, 1), "qmu");
  ed::MAP inference({{mu, ed::PointMass(param)}}, {{x, x_data}});
  inference.initialize({.optimizer = ed::Adam(0.1)});
  for (int i = 0; i < 2000; ++i) inference.update();
  CHECK(param.value()(0, 0) == doctest::Approx(12.0 / (4.0 + 0.01)).epsilon(1e-5));
}

TEST_CASE("Adam's first steps equal the hand-computed update") {
  // f(θ) = Σ (θ − c)², ∇ = 2(θ − c); PyTorch's Adam with bias correction.
  const Matrix c = (Matrix(2, 1) << 1.0, -2.0).finished();
  const Tensor theta = ed::variable((Matrix(2, 1) << 0.5, 0.5).finished(), "theta");
  const ed::Normal obs(theta, std::sqrt(0.5));  // −log p = (x − θ)² + const
  ed::MAP inference({}, {{obs, c}});
  const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8;
  inference.initialize({.optimizer = ed::Adam(lr, b1, b2, eps)});
  Eigen::Vector2d th(0.5, 0.5), m = Eigen::Vector2d::Zero(), v = Eigen::Vector2d::Zero();
  for (int t = 1; t <= 3; ++t) {
    const Eigen::Vector2d g = 2.0 * (th - Eigen::Vector2d(c.col(0)));
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g.cwiseAbs2();
    const Eigen::Vector2d m_hat = m / (1 - std::pow(b1, t));
    const Eigen::Vector2d v_hat = v / (1 - std::pow(b2, t));
    th.array() -= lr * m_hat.array() / (v_hat.array().sqrt() + eps);
    const ed::Info info = inference.update();
    CHECK(info.t == t);
    CHECK(ed::test::all_close(theta.value(), th, 1e-14));
  }
}

TEST_CASE("a non-finite loss stops MAP with the iteration and the first non-finite node") {
  const Tensor w = ed::variable(Matrix::Constant(1, 1, 2.0), "w");
  const ed::Normal y(ed::log(w) * Matrix::Ones(3, 1), 1.0);
  ed::MAP inference({}, {{y, Matrix::Zero(3, 1)}});
  inference.initialize({.optimizer = ed::SGD(5.0)});
  inference.update();  // w becomes negative
  CHECK_THROWS_WITH_AS(
      inference.update(),
      "MAP: iteration 2: the loss is nan; the first non-finite value is log [1, 1]",
      ed::numerical_error);
}

TEST_CASE("MAP's options: minibatch scale, clipping, var_list") {
  const Matrix x_data = ed::test::random_inputs({{10, 1}}, 82)[0];
  const ed::Normal mu(0.0, 1.0);
  const auto x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal x(mu * Matrix::Ones(10, 1), 1.0);
  // scale N/M: a minibatch of 10 standing for 100 points weighs the likelihood by 10.
  ed::MAP scaled({mu}, {{x, x_ph}});
  scaled.initialize({.optimizer = ed::Adam(0.05), .scale = {{x, 10.0}}});
  for (int i = 0; i < 2000; ++i) scaled.update({{x_ph, x_data}});
  CHECK(scaled.value(mu)(0, 0) == doctest::Approx(10.0 * x_data.sum() / 101.0).epsilon(1e-4));
  // Gradient clipping bounds the first SGD step: |Δ| = lr · clip_norm.
  const Tensor theta = ed::variable(Matrix::Constant(1, 1, 0.0), "theta");
  const ed::Normal far(theta, 1.0);
  ed::MAP clipped({}, {{far, Matrix::Constant(1, 1, 100.0)}});
  clipped.initialize({.optimizer = ed::SGD(0.1), .clip_norm = 1.0});
  clipped.update();
  CHECK(theta.value()(0, 0) == doctest::Approx(0.1));
  CHECK_THROWS_WITH_AS(ed::MAP({}, {}).initialize(), "MAP: no latent variables and no data",
                       ed::invalid_argument);
}

TEST_CASE("the progress bar prints Edward's line every n_print updates off a terminal") {
  std::FILE* out = std::tmpfile();
  ed::ProgressBar bar(10, 5, out);
  for (int t = 1; t <= 10; ++t) bar.update(t, 1234.5678);
  std::rewind(out);
  char line[256];
  std::vector<std::string> lines;
  while (std::fgets(line, sizeof line, out)) lines.emplace_back(line);
  std::fclose(out);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].rfind("5/10 [ 50%] ", 0) == 0);
  CHECK(lines[1].find("10/10 [100%] ██████████████████████████████ Elapsed: 0s | Loss: 1234.568") ==
        0);
}

TEST_CASE("exponential learning-rate decay follows lr · rate^((t − 1)/steps)") {
  // SGD on f = ½θ² from θ = 1: θ ← θ (1 − lr_t).
  const Tensor theta = ed::variable(Matrix::Constant(1, 1, 1.0), "theta");
  const ed::Normal obs(theta, 1.0);
  ed::SGD sgd(0.1);
  sgd.set_exponential_decay(0.5, 2.0);
  ed::MAP inference({}, {{obs, Matrix::Zero(1, 1)}});
  inference.initialize({.optimizer = sgd});
  double expected = 1.0;
  for (int t = 1; t <= 4; ++t) {
    inference.update();
    expected *= 1.0 - 0.1 * std::pow(0.5, (t - 1) / 2.0);
  }
  CHECK(theta.value()(0, 0) == doctest::Approx(expected).epsilon(1e-14));
}

TEST_CASE("run() reports progress through the installed sink, at n_print's cadence") {
  std::vector<ed::Progress> reports;
  const ed::ProgressSink previous =
      ed::set_progress_sink([&](const ed::Progress& p) { reports.push_back(p); });
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(4, 1), 1.0);
  ed::MAP inference({mu}, {{x, Matrix::Ones(4, 1)}});
  inference.initialize({.n_iter = 10, .n_print = 4});
  inference.run();
  ed::set_progress_sink(previous);
  REQUIRE(reports.size() == 3);  // updates 4, 8 and the last
  CHECK(reports[0].t == 4);
  CHECK(reports[1].t == 8);
  CHECK(reports[2].t == 10);
  CHECK(reports[2].total == 10);
  CHECK(std::isfinite(reports[2].loss));
  CHECK(reports[2].elapsed_seconds >= reports[0].elapsed_seconds);
  CHECK(ed::format_progress({.t = 5, .total = 10, .loss = 2.5})
            .rfind("5/10 [ 50%] ███████████████                Elapsed: 0s | Loss: 2.500", 0) == 0);
}

TEST_CASE("variational options out of range are named with the algorithm and the value") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  const Tensor loc = ed::variable(Matrix::Zero(1, 1), "q/loc");
  const ed::Normal qmu(loc, 1.0);
  CHECK_THROWS_WITH_AS(ed::MAP({mu}, {{x, Matrix::Ones(3, 1)}}).initialize({.threads = -4}),
                       "MAP: threads must be at least 1, got -4", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::MAP({mu}, {{x, Matrix::Ones(3, 1)}}).initialize({.clip_norm = -1.0}),
                       doctest::Contains("MAP: clip_norm must be finite and non-negative"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::KLqp({{mu, qmu}}, {{x, Matrix::Ones(3, 1)}}).initialize({.kl_scaling = {{mu, -2.0}}}),
      doctest::Contains("KLqp: options.kl_scaling for Normal [1, 1] is -2"), ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::LaplaceApproximation({{mu, qmu}}, {{x, Matrix::Ones(3, 1)}}).initialize({.threads = 0}),
      "LaplaceApproximation: threads must be at least 1, got 0", ed::invalid_argument);
  ed::KLqp fitted({mu}, {{x, Matrix::Ones(3, 1)}});
  fitted.initialize({.n_iter = 1});
  CHECK_THROWS_WITH_AS(fitted.posterior_draws(mu, -3),
                       "KLqp: posterior_draws needs at least 1 draw, got -3", ed::invalid_argument);
}

TEST_CASE("a var_list entry the loss does not reach is named, not silently left untrained") {
  const Tensor w = ed::variable(Matrix::Zero(1, 1), "w");
  const Tensor unrelated = ed::variable(Matrix::Zero(1, 1), "unrelated");
  const ed::Normal y(w, 1.0);
  ed::MAP inference({}, {{y, Matrix::Ones(1, 1)}});
  CHECK_THROWS_WITH_AS(inference.initialize({.var_list = {w, unrelated}}),
                       "MAP: var_list names variable 'unrelated', which the loss does not depend "
                       "on (it would not move)",
                       ed::invalid_argument);
  inference.initialize({.var_list = {w}});
  CHECK(inference.variables().size() == 1);
}
