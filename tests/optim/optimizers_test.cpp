// SGD (with momentum and Nesterov), RMSProp and Adagrad against hand-computed updates.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;

namespace {
// Minimises f(θ) = Σ (θ − c)² (∇ = 2(θ − c)) for three steps with `optimizer`, checking θ after
// each against `reference`, which updates its own copy given the gradient.
template <class Reference>
void check_steps(ed::Optimizer& optimizer, Reference reference) {
  const Matrix c = (Matrix(2, 1) << 1.0, -2.0).finished();
  Matrix theta = (Matrix(2, 1) << 0.5, 0.5).finished();
  Matrix expected = theta;
  Matrix grad(2, 1);
  Matrix* params[] = {&theta};
  const Matrix* grads[] = {&grad};
  for (int t = 1; t <= 3; ++t) {
    grad = 2.0 * (theta - c);
    const Matrix g = 2.0 * (expected - c);
    optimizer.step(params, grads, nullptr);
    reference(expected, g, t);
    CAPTURE(t);
    CHECK(ed::test::all_close(theta, expected, 1e-14));
  }
}
}  // namespace

TEST_CASE("SGD, momentum and Nesterov follow PyTorch's update") {
  ed::SGD plain(0.1);
  check_steps(plain, [](Matrix& th, const Matrix& g, int) { th -= 0.1 * g; });
  ed::SGD momentum(0.1, 0.9);
  Matrix b;
  check_steps(momentum, [&](Matrix& th, const Matrix& g, int t) {
    b = t == 1 ? g : Matrix(0.9 * b + g);
    th -= 0.1 * b;
  });
  ed::SGD nesterov(0.1, 0.9, true);
  Matrix bn;
  check_steps(nesterov, [&](Matrix& th, const Matrix& g, int t) {
    bn = t == 1 ? g : Matrix(0.9 * bn + g);
    th -= 0.1 * (g + 0.9 * bn);
  });
}

TEST_CASE("RMSProp and Adagrad follow TensorFlow's update") {
  ed::RMSProp rmsprop(0.01);
  Matrix s = Matrix::Ones(2, 1);
  check_steps(rmsprop, [&](Matrix& th, const Matrix& g, int) {
    s = 0.9 * s.array() + 0.1 * g.array().square();
    th.array() -= 0.01 * g.array() / (s.array() + 1e-10).sqrt();
  });
  ed::Adagrad adagrad(0.1);
  Matrix a = Matrix::Constant(2, 1, 0.1);
  check_steps(adagrad, [&](Matrix& th, const Matrix& g, int) {
    a.array() += g.array().square();
    th.array() -= 0.1 * g.array() / a.array().sqrt();
  });
  CHECK_THROWS_WITH_AS(ed::Adam(-1.0),
                       "Adam: learning rate is -1.000000, but must be positive and finite",
                       ed::invalid_argument);
}

TEST_CASE("var_list restricts what MAP trains") {
  const ed::Tensor a = ed::variable(Matrix::Constant(1, 1, 0.0), "a");
  const ed::Tensor b = ed::variable(Matrix::Constant(1, 1, 0.0), "b");
  const ed::Normal y(a + b, 1.0);
  ed::MAP inference({}, {{y, Matrix::Constant(1, 1, 3.0)}});
  inference.initialize({.optimizer = ed::SGD(0.1), .var_list = {a}});
  for (int i = 0; i < 5; ++i) inference.update();
  CHECK(a.value()(0, 0) != 0.0);
  CHECK(b.value()(0, 0) == 0.0);
}

TEST_CASE("a named node is named in the non-finite error") {
  const ed::Tensor w = ed::variable(Matrix::Constant(1, 1, 2.0), "w");
  const ed::Normal y(ed::named(ed::log(w), "log_w") * Matrix::Ones(3, 1), 1.0);
  ed::MAP inference({}, {{y, Matrix::Zero(3, 1)}});
  inference.initialize({.optimizer = ed::SGD(5.0)});
  inference.update();
  CHECK_THROWS_WITH_AS(
      inference.update(),
      "MAP: iteration 2: the loss is nan; the first non-finite value is log 'log_w' "
      "[1, 1]",
      ed::numerical_error);
}
