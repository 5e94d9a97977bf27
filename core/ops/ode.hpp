// Ordinary differential equations as ops: the solution of dy/dt = f(t, y, θ) at given times,
// differentiable in the initial state and the parameters (forward sensitivities), as Stan's
// ode_rk45 and, for stiff systems, ode_bdf.
#pragma once

#include <functional>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// The right-hand side of an ODE system written with the ops: t is 1×1, y the state as a row
/// (1×N), θ the parameters as a row (1×P); it returns dy/dt as a 1×N row. It is compiled once
/// into a small program of its own and must not draw random numbers.
using OdeRhs = std::function<Tensor(const Tensor& t, const Tensor& y, const Tensor& theta)>;

/// Tolerances and the step budget of an ODE solve (Stan's defaults for ode_rk45 and ode_bdf).
/// The error control covers the sensitivities as well as the state.
struct OdeOptions {
  double relative_tolerance = 1e-6;
  double absolute_tolerance = 1e-6;
  long max_num_steps = 1000000;  ///< per interval between consecutive output times
};

/// y(t_k) for each of `times` (T×N, row k at times[k]) where dy/dt = f(t, y, θ), y(t0) = y0, by
/// Dormand and Prince's Runge–Kutta 5(4) with dense output (Boost.Odeint's runge_kutta_dopri5),
/// as Stan's ode_rk45. y0 is 1×N and θ 1×P (either may be a parameter of the model); the
/// gradient reaches both through the forward sensitivity equations dS/dt = J_y S + J_θ, solved
/// with the state. The times must increase and lie after t0.
/// @throws ed::invalid_argument for shapes that do not fit, times that do not increase, or f
/// that draws; when run, naming the interval where the step budget ran out or the state stopped
/// being finite.
Tensor ode_rk45(const OdeRhs& f, const Tensor& y0, double t0, const std::vector<double>& times,
                const Tensor& theta, const OdeOptions& options = {});

/// The same for stiff systems (the role of Stan's ode_bdf): a linearly implicit Rosenbrock
/// method of order 4 with an embedded order-3 error estimate (Shampine's L-stable parameters),
/// the Jacobian of the state and sensitivity system by finite differences of f's exact
/// Jacobians.
Tensor ode_rosenbrock(const OdeRhs& f, const Tensor& y0, double t0,
                      const std::vector<double>& times, const Tensor& theta,
                      const OdeOptions& options = {});

}  // namespace ed
