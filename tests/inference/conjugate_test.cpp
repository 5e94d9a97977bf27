// MAP on constrained latents recovers closed-form posterior modes (positive, unit interval,
// simplex); L-BFGS reaches them to 1e-6.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
void fit(ed::MAP& inference, ed::AnyOptimizer optimizer, int steps) {
  inference.initialize({.optimizer = optimizer, .seed = 7});
  for (int i = 0; i < steps; ++i) inference.update();
}
}  // namespace

TEST_CASE("a Gamma prior on a precision: MAP finds the Gamma posterior's mode") {
  // τ ~ Gamma(a, b), x_i ~ N(0, τ^(−½)): posterior Gamma(a + n/2, b + Σx²/2).
  const Matrix x_data = ed::test::random_inputs({{30, 1}}, 100, -2.0, 2.0)[0];
  const double a = 2.0, b = 1.5;
  const double mode = (a + 15.0 - 1.0) / (b + 0.5 * x_data.squaredNorm());
  for (bool lbfgs : {false, true}) {
    CAPTURE(lbfgs);
    const ed::Gamma tau(a, b);
    const ed::Normal x(Matrix::Zero(30, 1), ed::pow(tau, -0.5));
    ed::MAP inference({tau}, {{x, x_data}});
    if (lbfgs) {
      fit(inference, ed::LBFGS(), 50);
      CHECK(inference.value(tau)(0, 0) == doctest::Approx(mode).epsilon(1e-6));
    } else {
      fit(inference, ed::Adam(0.05), 3000);
      CHECK(inference.value(tau)(0, 0) == doctest::Approx(mode).epsilon(1e-3));
    }
  }
}

TEST_CASE("Beta-Bernoulli: MAP finds (a + k − 1)/(a + b + n − 2)") {
  const Matrix flips = (Matrix(10, 1) << 1, 0, 1, 1, 1, 0, 1, 1, 0, 1).finished();
  const double a = 2.0, b = 3.0, k = flips.sum(), n = 10;
  const ed::Beta p(a, b);
  const auto x = ed::Bernoulli::from_probs(p * Matrix::Ones(10, 1));
  ed::MAP inference({p}, {{x, flips}});
  fit(inference, ed::LBFGS(), 50);
  CHECK(inference.value(p)(0, 0) == doctest::Approx((a + k - 1) / (a + b + n - 2)).epsilon(1e-6));
}

TEST_CASE("Dirichlet-Categorical: MAP finds (α_k + c_k − 1)/(Σα + n − K)") {
  const Matrix labels = (Matrix(12, 1) << 0, 1, 1, 2, 2, 2, 2, 0, 2, 1, 2, 2).finished();
  const Matrix alpha = (Matrix(1, 3) << 2.0, 3.0, 1.5).finished();
  const ed::Dirichlet theta(alpha);
  const auto y = ed::Categorical::from_probs(theta);
  ed::MAP inference({theta}, {{y, labels}});
  fit(inference, ed::LBFGS(), 80);
  const Matrix counts = (Matrix(1, 3) << 2, 3, 7).finished();
  const Matrix mode = (alpha + counts).array() - 1.0;
  CHECK(ed::test::all_close(inference.value(theta), mode / mode.sum(), 1e-6));
}

TEST_CASE("ridge regression by MAP with L-BFGS matches the closed form to 1e-6") {
  const ed::Index n = 60, d = 4;
  const auto in = ed::test::random_inputs({{n, d}, {d, 1}, {n, 1}}, 101);
  const Matrix y_data = in[0] * in[1] + 0.3 * in[2];
  const double sigma = 0.3, tau = 2.0;
  const ed::Normal w(Matrix::Zero(d, 1), tau);
  const ed::Normal y(ed::matmul(in[0], w), sigma);
  ed::MAP inference({w}, {{y, y_data}});
  fit(inference, ed::LBFGS(), 100);
  const Matrix A =
      in[0].transpose() * in[0] / (sigma * sigma) + Matrix::Identity(d, d) / (tau * tau);
  const Matrix ridge = A.ldlt().solve(in[0].transpose() * y_data / (sigma * sigma));
  CHECK(ed::test::all_close(inference.value(w), ridge, 1e-6, 1e-9));
}

TEST_CASE("L-BFGS minimises the Rosenbrock function") {
  // f(a, b) = (1 − a)² + 100 (b − a²)², minimum at (1, 1).
  const Tensor v = ed::variable((Matrix(2, 1) << -1.2, 1.0).finished(), "v");
  const Tensor a = ed::col(ed::transpose(v), 0), b = ed::col(ed::transpose(v), 1);
  const Tensor f = ed::sum(ed::square(1.0 - a) + 100.0 * ed::square(b - ed::square(a)));
  ed::Program program({f}, {v});
  ed::Rng rng;
  auto evaluate = [&] {
    program.forward({}, rng);
    program.backward();
    return program.output(0)(0, 0);
  };
  ed::LBFGS lbfgs;
  Matrix* params[] = {&ed::detail::mutable_value(v)};
  const Matrix* grads[] = {&program.gradient(0)};
  evaluate();
  int steps = 0;
  for (; steps < 200 && program.gradient(0).norm() > 1e-10; ++steps) {
    lbfgs.step(params, grads, evaluate);
  }
  MESSAGE("Rosenbrock: " << steps << " L-BFGS iterations");
  CHECK(v.value()(0, 0) == doctest::Approx(1.0).epsilon(1e-8));
  CHECK(v.value()(1, 0) == doctest::Approx(1.0).epsilon(1e-8));
  CHECK(steps < 100);
}

TEST_CASE("a minibatch loss scaled by N/M is an unbiased estimate of the full loss") {
  const ed::Index n = 40, m = 8;
  const Matrix x_all = ed::test::random_inputs({{n, 1}}, 102)[0];
  const Tensor mu = ed::variable(Matrix::Constant(1, 1, 0.3), "mu");
  const auto x_ph = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal x(mu * Matrix::Ones(1, 1), 1.0);
  ed::MAP full({}, {{x, x_all}});
  full.initialize({.optimizer = ed::SGD(1e-9)});
  ed::MAP batch({}, {{x, x_ph}});
  batch.initialize({.optimizer = ed::SGD(1e-9), .scale = {{x, double(n) / double(m)}}});
  // Over one epoch of disjoint batches, the scaled batch losses average to the full loss.
  ed::Minibatches batches({x_all}, m, 5);
  double average = 0.0;
  for (int i = 0; i < n / m; ++i) average += batch.loss({{x_ph, batches.next()[0]}}) / (n / m);
  CHECK(average == doctest::Approx(full.loss()).epsilon(1e-12));
}

TEST_CASE("Minibatches shuffle paired rows, cover every row once per epoch, and reproduce") {
  Matrix X(10, 2), y(10, 1);
  for (int i = 0; i < 10; ++i) {
    X.row(i) << i, -i;
    y(i, 0) = 10 * i;
  }
  ed::Minibatches a({X, y}, 4, 9), b({X, y}, 4, 9);
  std::vector<double> seen;
  for (int batch = 0; batch < 3; ++batch) {
    const auto& next = a.next();
    CHECK(next[0] == b.next()[0]);
    for (ed::Index i = 0; i < next[0].rows(); ++i) {
      CHECK(next[1](i, 0) == 10 * next[0](i, 0));
      seen.push_back(next[0](i, 0));
    }
  }
  std::sort(seen.begin(), seen.end());
  CHECK(seen == std::vector<double>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  CHECK(a.epoch() == 0);
  a.next();
  CHECK(a.epoch() == 1);
  CHECK_THROWS_WITH_AS(ed::Minibatches({X, Matrix(9, 1)}, 4, 1),
                       "Minibatches: the matrices have 10 and 9 rows", ed::invalid_argument);
}
