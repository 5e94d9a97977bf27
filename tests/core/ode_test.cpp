// The ODE ops against closed-form solutions and their derivatives, a stiff problem, gradients by
// finite differences of the whole solve, misuse named, and NUTS recovering a decay rate.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "edpp/core/ops/ode.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

// dy/dt = −k y: y(t) = y0 e^(−kt), ∂y/∂y0 = e^(−kt), ∂y/∂k = −t y0 e^(−kt).
Tensor decay(const Tensor&, const Tensor& y, const Tensor& theta) { return -theta * y; }

// Lotka–Volterra, θ = (α, β, γ, δ): du = (α − βv)u, dv = (−γ + δu)v.
Tensor lotka_volterra(const Tensor&, const Tensor& z, const Tensor& theta) {
  const Tensor u = ed::col(z, 0), v = ed::col(z, 1);
  const Tensor du = (ed::col(theta, 0) - ed::col(theta, 1) * v) * u;
  const Tensor dv = (ed::col(theta, 3) * u - ed::col(theta, 2)) * v;
  return ed::concat({du, dv}, 1);
}

// Stiff: dy/dt = −λ(y − cos t), whose solution relaxes onto (λ² cos t + λ sin t)/(λ² + 1) at
// rate λ.
Tensor stiff(const Tensor& t, const Tensor& y, const Tensor& theta) {
  return -theta * (y - ed::cos(t));
}
double stiff_exact(double lambda, double y0, double t) {
  const double steady = lambda * lambda / (lambda * lambda + 1);
  return (y0 - steady) * std::exp(-lambda * t) +
         (lambda * lambda * std::cos(t) + lambda * std::sin(t)) / (lambda * lambda + 1);
}

using Solver = Tensor (*)(const ed::OdeRhs&, const Tensor&, double, const std::vector<double>&,
                          const Tensor&, const ed::OdeOptions&);

}  // namespace

TEST_CASE("ode_rk45 and ode_rosenbrock: exponential decay, its sensitivities, and gradients") {
  const std::vector<double> times = {0.5, 1.0, 2.5, 4.0};
  const ed::OdeOptions tight{.relative_tolerance = 1e-10, .absolute_tolerance = 1e-12};
  for (Solver solve : {Solver(ed::ode_rk45), Solver(ed::ode_rosenbrock)}) {
    const Tensor y0 = ed::variable(Matrix::Constant(1, 1, 2.0));
    const Tensor k = ed::variable(Matrix::Constant(1, 1, 0.7));
    const Tensor y = solve(decay, y0, 0.0, times, k, tight);
    const std::string name(y.name());
    CAPTURE(name);
    CHECK(y.shape() == ed::Shape{4, 1});
    const Matrix value = ed::eval(y);
    for (std::size_t i = 0; i < times.size(); ++i) {
      CHECK(value(i, 0) == doctest::Approx(2.0 * std::exp(-0.7 * times[i])).epsilon(1e-8));
    }
    // d Σ y(t_i) / dy0 and / dk in closed form.
    const auto g = ed::grad(ed::sum(y), {y0, k});
    double dy0 = 0, dk = 0;
    for (double t : times) {
      dy0 += std::exp(-0.7 * t);
      dk += -t * 2.0 * std::exp(-0.7 * t);
    }
    CHECK(g[0](0, 0) == doctest::Approx(dy0).epsilon(1e-7));
    CHECK(g[1](0, 0) == doctest::Approx(dk).epsilon(1e-7));
  }
}

TEST_CASE("Lotka–Volterra: the two solvers agree, and gradients match finite differences") {
  const std::vector<double> times = {1.0, 2.0, 5.0, 8.0};
  const Matrix z0 = (Matrix(1, 2) << 30.0, 4.0).finished();
  const Matrix theta = (Matrix(1, 4) << 0.55, 0.028, 0.80, 0.024).finished();
  const ed::OdeOptions tight{.relative_tolerance = 1e-10, .absolute_tolerance = 1e-10};
  const Matrix rk = ed::eval(ed::ode_rk45(lotka_volterra, z0, 0.0, times, theta, tight));
  const Matrix ros = ed::eval(ed::ode_rosenbrock(lotka_volterra, z0, 0.0, times, theta, tight));
  CHECK(ed::test::all_close(rk, ros, 1e-6));
  for (Solver solve : {Solver(ed::ode_rk45), Solver(ed::ode_rosenbrock)}) {
    CHECK(ed::test::check_gradient(
        [&](auto& t) { return solve(lotka_volterra, t[0], 0.0, times, t[1], tight); }, {z0, theta},
        {.rel = 1e-4, .abs = 1e-5}, "lotka_volterra"));
  }
}

// Note [Scalar tapes]: a right-hand side with an op no tape runs (matmul) is evaluated by the
// program (reverse-mode Jacobians); written elementwise, the same system runs on the tape. The
// two give the same solutions and gradients, in both solvers.
TEST_CASE(
    "a right-hand side the scalar tape cannot run takes the program's path, to the same answer") {
  // dy/dt = y A with A = [θ₀ θ₂; θ₁ θ₃] (reshape is column-major).
  auto by_matmul = [](const Tensor&, const Tensor& y, const Tensor& theta) {
    return ed::matmul(y, ed::reshape(theta, 2, 2));
  };
  auto elementwise = [](const Tensor&, const Tensor& y, const Tensor& theta) {
    const Tensor y0 = ed::col(y, 0), y1 = ed::col(y, 1);
    return ed::concat({y0 * ed::col(theta, 0) + y1 * ed::col(theta, 1),
                       y0 * ed::col(theta, 2) + y1 * ed::col(theta, 3)},
                      1);
  };
  const std::vector<double> times = {0.5, 1.0, 3.0};
  const Matrix y0 = (Matrix(1, 2) << 1.0, -0.5).finished();
  const Matrix theta = (Matrix(1, 4) << -0.3, 0.8, -0.9, -0.2).finished();
  const ed::OdeOptions tight{.relative_tolerance = 1e-10, .absolute_tolerance = 1e-12};
  for (Solver solve : {Solver(ed::ode_rk45), Solver(ed::ode_rosenbrock)}) {
    const Tensor y0_v = ed::variable(y0), theta_v = ed::variable(theta);
    const Tensor on_program = solve(by_matmul, y0_v, 0.0, times, theta_v, tight);
    const Tensor on_tape = solve(elementwise, y0_v, 0.0, times, theta_v, tight);
    CAPTURE(std::string(on_tape.name()));
    CHECK(ed::test::all_close(ed::eval(on_program), ed::eval(on_tape), 1e-9, 1e-12));
    const auto g_program = ed::grad(ed::sum(on_program), {y0_v, theta_v});
    const auto g_tape = ed::grad(ed::sum(on_tape), {y0_v, theta_v});
    CHECK(ed::test::all_close(g_program[0], g_tape[0], 1e-8, 1e-10));
    CHECK(ed::test::all_close(g_program[1], g_tape[1], 1e-8, 1e-10));
    CHECK(ed::test::check_gradient(
        [&](auto& t) { return solve(by_matmul, t[0], 0.0, times, t[1], tight); }, {y0, theta},
        {.rel = 1e-5, .abs = 1e-6}, "matmul"));
  }
}

TEST_CASE("a stiff system: ode_rosenbrock solves it in a budget where ode_rk45 runs out") {
  // λ = 1e5: the explicit method's stability limit (h ≈ 3.3/λ) needs ~9,000 steps per output
  // interval of 1 here; the Rosenbrock method takes about 1,300 between t = 1 and 3 (and rejects
  // about 1,000).
  const double lambda = 1e5;
  const std::vector<double> times = {0.1, 1.0, 3.0};
  const ed::OdeOptions budget{
      .relative_tolerance = 1e-7, .absolute_tolerance = 1e-9, .max_num_steps = 5000};
  const Matrix y = ed::eval(ed::ode_rosenbrock(stiff, Matrix::Constant(1, 1, 0.0), 0.0, times,
                                               Matrix::Constant(1, 1, lambda), budget));
  for (std::size_t i = 0; i < times.size(); ++i) {
    CHECK(y(i, 0) == doctest::Approx(stiff_exact(lambda, 0.0, times[i])).epsilon(1e-5));
  }
  CHECK_THROWS_WITH_AS(ed::eval(ed::ode_rk45(stiff, Matrix::Constant(1, 1, 0.0), 0.0, times,
                                             Matrix::Constant(1, 1, lambda), budget)),
                       doctest::Contains("ode_rk45: between t = 0.1 and t = 1, the solver took "
                                         "more than max_num_steps = 5000 steps"),
                       ed::invalid_argument);
}

TEST_CASE("ODE misuse is named: shapes, times, a random right-hand side") {
  const Matrix y0 = Matrix::Constant(1, 1, 1.0), k = Matrix::Constant(1, 1, 0.5);
  CHECK_THROWS_WITH_AS(ed::ode_rk45(decay, y0, 0.0, {1.0, 0.5}, k),
                       "ode_rk45: times[1] = 0.5 must be finite and after times[0] = 1",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::ode_rk45(decay, y0, 2.0, {1.0}, k),
                       "ode_rk45: times[0] = 1 must be finite and after t0 = 2",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::ode_rosenbrock(decay, Matrix::Ones(2, 1), 0.0, {1.0}, k),
                       doctest::Contains("ode_rosenbrock: y0 must be one row"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      ed::ode_rk45(
          [](auto&, auto& y, auto&) {
            return ed::transpose(ed::concat({y, y}, 1));
          },
          y0, 0.0, {1.0}, k),
      doctest::Contains("the right-hand side must return dy/dt as a [1, 1] row (y's shape), got "
                        "[2, 1]"),
      ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::ode_rk45([](auto&, auto& y, auto&) { return y + ed::Normal(0.0, 1.0); },
                                    y0, 0.0, {1.0}, k),
                       doctest::Contains("the right-hand side draws random numbers"),
                       ed::invalid_argument);
}

TEST_CASE("NUTS through an ODE: a decay rate from noisy observations, against the grid") {
  // y_i ~ Normal(2 e^(−k t_i), 0.1), k ~ LogNormal(0, 1): the posterior of k on a fine grid.
  const std::vector<double> times = {0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
  Matrix observed(6, 1);
  observed << 1.42, 0.98, 0.71, 0.52, 0.22, 0.13;
  const ed::LogNormal k(0.0, 1.0);
  // A small step budget: early in warm-up NUTS may try rates so large that the system is
  // stiff, and those proposals should fail fast (as divergences) rather than take 1e6 steps.
  const Tensor path =
      ed::ode_rk45(decay, Matrix::Constant(1, 1, 2.0), 0.0, times, k, {.max_num_steps = 20000});
  const ed::Normal y(path, 0.1);
  ed::NUTS nuts({k}, {{y, observed}});
  nuts.initialize({.n_iter = 2000, .n_warmup = 500, .chains = 2, .seed = 3});
  nuts.run();
  const Matrix draws = nuts.draws_by_chain(k, 0);
  // The grid: log prior + log likelihood over k in (0.3, 1.3).
  double total = 0, first = 0;
  for (int i = 0; i < 20000; ++i) {
    const double kk = 0.3 + 1.0 * (i + 0.5) / 20000;
    double lp = -std::log(kk) - 0.5 * std::log(kk) * std::log(kk);
    for (int j = 0; j < 6; ++j) {
      const double r = (observed(j, 0) - 2.0 * std::exp(-kk * times[j])) / 0.1;
      lp -= 0.5 * r * r;
    }
    const double w = std::exp(lp + 30);
    total += w;
    first += w * kk;
  }
  const double exact_mean = first / total;
  CHECK(std::abs(draws.mean() - exact_mean) < 4 * ed::mcse_mean(draws));
}
