// The ODE op: the state and its forward sensitivities integrated together, by Boost.Odeint's
// Dormand–Prince 5(4) or by a Rosenbrock 2(3) method for stiff systems.
#include "edpp/core/ops/ode.hpp"

#include <Eigen/LU>
#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/numeric/odeint/integrate/max_step_checker.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/scalar_tape.hpp"

namespace ed {

namespace {

enum class OdeMethod { rk45, rosenbrock };

std::string_view method_name(OdeMethod m) {
  return m == OdeMethod::rk45 ? "ode_rk45" : "ode_rosenbrock";
}

// Note [Sensitivity layout]: the sensitivities S = ∂y/∂(y0, θ), N × Q, are stored row by row
// (element (i, c) at i Q + c) in the state vector and in the op's scratch: the Q derivatives of
// one state component lie together, as the scalar tape's tangent lanes do, so that y's tangent
// seed and dS/dt are straight copies (column by column, they were a transposition each way,
// half the cost of the tape itself).
using SensitivityMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

/// f compiled once: its value, and its Jacobians in y and θ by one reverse sweep per row
/// (a vector–Jacobian product with each unit vector). Holds its own buffers, so each thread
/// that solves uses an evaluator of its own (OdeSolve keeps a pool). t, y, θ and the weights
/// are variables of the evaluator's own, written in place before each run: a solve runs f
/// thousands of times on tiny inputs, where binding a feed by name cost a fifth of each run.
class RhsEvaluator {
 public:
  RhsEvaluator(std::string_view op, const OdeRhs& f, Index n, Index p)
      : t_(variable(Matrix::Zero(1, 1), "t")),
        y_(variable(Matrix::Zero(1, n), "y")),
        theta_(variable(Matrix::Zero(1, p), "theta")),
        weights_(variable(Matrix::Zero(1, n), "weights")),
        tm_(detail::mutable_value(t_)),
        ym_(detail::mutable_value(y_)),
        thm_(detail::mutable_value(theta_)),
        wm_(detail::mutable_value(weights_)) {
    const Tensor dydt = f(t_, y_, theta_);
    if (!dydt || dydt.shape() != Shape{1, n}) {
      throw ed::invalid_argument(std::string(op) + ": the right-hand side must return dy/dt as a " +
                                 to_string(Shape{1, n}) + " row (y's shape), got " +
                                 (dydt ? to_string(dydt.shape()) : std::string("an empty tensor")));
    }
    program_ = std::make_unique<Program>(std::vector<Tensor>{sum(weights_ * dydt), dydt},
                                         std::vector<Tensor>{y_, theta_, t_});
    tangent_program_ =
        std::make_unique<Program>(std::vector<Tensor>{dydt}, std::vector<Tensor>{y_, theta_});
    // θ's tangent, ∂θ/∂(y0, θ) = [0 | I], transposed: the same for every call.
    seed_theta_ = Matrix::Zero(n + p, p);
    seed_theta_.bottomRows(p).setIdentity();
    unit_lanes_ = Matrix::Identity(n + p + 1, n + p + 1);  // the Jacobian tape's seeds
    if (auto random = program_->first_random_node()) {
      throw ed::invalid_argument(std::string(op) + ": the right-hand side draws random numbers (" +
                                 *random + "); an ODE's right-hand side must be deterministic");
    }
  }

  /// Note [Forward tangents]: f into `out` and J_y S + [0 | J_θ] into `ds` (N × Q, Q = N + P,
  /// row by row as `s`, Note [Sensitivity layout]), in one forward pass with tangents: on the
  /// scalar tape when f compiles to one (Note [Scalar tapes]), else on the program. Returns false
  /// when an op of f has no forward-mode rule (then it is never tried again and jacobians()
  /// serves).
  bool rates(double t, const double* y, const double* theta, const double* s, double* out,
             double* ds) {
    if (!forward_mode_) return false;
    const Index n = ym_.cols(), p = thm_.cols(), q = n + p;
    bool first = false;
    if (!rates_tape_tried_) {
      rates_tape_ = compile_tape(t, y, theta, false, q);
      rates_tape_tried_ = first = true;
    }
    if (rates_tape_) {
      // y's tangent is S itself (element i, lane c at s[i Q + c]); θ's, [0 | I], never changes.
      const double* values[] = {y, theta, &t};
      const double* seeds[] = {s, first ? seed_theta_.data() : nullptr, nullptr};
      rates_tape_->run(values, seeds);
      for (Index i = 0; i < n; ++i) {
        out[i] = rates_tape_->value(i);
        const double* lanes = rates_tape_->tangent(i);
        Eigen::Map<Eigen::ArrayXd> rate(ds + i * q, q);  // Eigen's copy: no memmove call
        if (lanes) {
          rate = Eigen::Map<const Eigen::ArrayXd>(lanes, q);
        } else {
          rate.setZero();
        }
      }
      return true;
    }
    seed_y_ = Eigen::Map<const Matrix>(s, q, n);  // Sᵀ, column-major: S row by row
    set_inputs(t, y, theta);
    tangent_program_->forward({}, rng_);
    if (!tangent_program_->forward_tangents(seeds_)) {
      forward_mode_ = false;
      return false;
    }
    const Matrix& f = tangent_program_->output(0);
    std::copy(f.data(), f.data() + n, out);
    Eigen::Map<Matrix> rate_transposed(ds, q, n);
    if (const Matrix* tangent = tangent_program_->tangent(0)) {
      rate_transposed = *tangent;
    } else {
      rate_transposed.setZero();  // f does not depend on y or θ
    }
    return true;
  }

  /// f into `out`, and J_y (N×N), J_θ (N×P) and, when asked, ∂f/∂t (N): on the scalar tape,
  /// tangents along the N + P + 1 unit directions of (y, θ, t); else by one reverse sweep of the
  /// program per component of f.
  void jacobians(double t, const double* y, const double* theta, double* out, Matrix& jy,
                 Matrix& jtheta, double* dfdt = nullptr) {
    const Index n = ym_.cols(), p = thm_.cols();
    bool first = false;
    if (!jacobian_tape_tried_) {
      jacobian_tape_ = compile_tape(t, y, theta, true, n + p + 1);
      jacobian_tape_tried_ = first = true;
    }
    if (jacobian_tape_) {
      // The seeds are the unit directions, set once: y's lanes 0 … N − 1, θ's N … N + P − 1,
      // t's N + P (columns of the identity).
      const double* values[] = {y, theta, &t};
      const double* seeds[] = {first ? unit_lanes_.data() : nullptr,
                               first ? unit_lanes_.col(n).data() : nullptr,
                               first ? unit_lanes_.col(n + p).data() : nullptr};
      jacobian_tape_->run(values, seeds);
      for (Index k = 0; k < n; ++k) {
        out[k] = jacobian_tape_->value(k);
        const double* lanes = jacobian_tape_->tangent(k);
        for (Index c = 0; c < n; ++c) jy(k, c) = lanes ? lanes[c] : 0.0;
        for (Index c = 0; c < p; ++c) jtheta(k, c) = lanes ? lanes[n + c] : 0.0;
        if (dfdt) dfdt[k] = lanes ? lanes[n + p] : 0.0;
      }
      return;
    }
    for (Index k = 0; k < n; ++k) {
      wm_.setZero();
      wm_(0, k) = 1.0;
      run(t, y, theta);
      program_->backward();
      jy.row(k) = program_->gradient(0);
      jtheta.row(k) = program_->gradient(1);
      if (dfdt) dfdt[k] = program_->gradient(2)(0, 0);
      if (k == 0) {
        const Matrix& f = program_->output(1);
        std::copy(f.data(), f.data() + f.size(), out);
      }
    }
  }

 private:
  void set_inputs(double t, const double* y, const double* theta) {
    tm_(0, 0) = t;
    std::copy(y, y + ym_.size(), ym_.data());
    std::copy(theta, theta + thm_.size(), thm_.data());
  }
  void run(double t, const double* y, const double* theta) {
    set_inputs(t, y, theta);
    program_->forward({}, rng_);
  }
  // f as a tape with `lanes` tangent directions for y, θ and, when seed_t, t; the program runs
  // once first, so that the tape can read f's constants.
  std::optional<detail::ScalarTape> compile_tape(double t, const double* y, const double* theta,
                                                 bool seed_t, Index lanes) {
    set_inputs(t, y, theta);
    tangent_program_->forward({}, rng_);
    return detail::ScalarTape::compile(*tangent_program_, 0, {y_, theta_, t_}, {true, true, seed_t},
                                       lanes);
  }

  Tensor t_, y_, theta_, weights_;
  Matrix &tm_, &ym_, &thm_, &wm_;  // the variables' values
  std::unique_ptr<Program> program_;
  std::unique_ptr<Program> tangent_program_;  // f alone, for rates() and the tapes
  bool forward_mode_ = true;
  // Note [Scalar tapes]: f compiled on first use (its constants need one run), when it can be.
  std::optional<detail::ScalarTape> rates_tape_, jacobian_tape_;
  bool rates_tape_tried_ = false, jacobian_tape_tried_ = false;
  Matrix seed_y_, seed_theta_, unit_lanes_;
  const std::vector<const Matrix*> seeds_ = {&seed_y_, &seed_theta_};
  Rng rng_;
};

/// The state y (N) and its sensitivities S = ∂y/∂(y0, θ) (N × Q, Q = N + P, row by row: Note
/// [Sensitivity layout]) as one vector: dy/dt = f, dS/dt = J_y S + [0 | J_θ].
class AugmentedSystem {
 public:
  AugmentedSystem(RhsEvaluator& rhs, const Matrix& theta, Index n)
      : rhs_(rhs), theta_(theta), n_(n), p_(theta.cols()), jy_(n, n), jtheta_(n, theta.cols()) {}
  Index size() const { return n_ * (1 + n_ + p_); }

  void operator()(const double* y, double* dy, double t) {
    if (rhs_.rates(t, y, theta_.data(), y + n_, dy, dy + n_)) return;
    rhs_.jacobians(t, y, theta_.data(), dy, jy_, jtheta_);
    const Index q = n_ + p_;
    Eigen::Map<const SensitivityMatrix> s(y + n_, n_, q);
    Eigen::Map<SensitivityMatrix> ds(dy + n_, n_, q);
    sensitivity_rate(s, ds);
  }
  void operator()(const std::vector<double>& y, std::vector<double>& dy, double t) {
    (*this)(y.data(), dy.data(), t);
  }

  /// F(t, Y) into `rate`, and ∂F/∂Y and ∂F/∂t at (t, Y): f's own Jacobians are exact (J_y for
  /// dy/dt and for each column of dS/dt, and ∂f/∂t); only the second-order terms ∂(J_y S +
  /// J_θ)/∂y and /∂t are forward differences of those exact Jacobians. A Rosenbrock method needs J
  /// exact to first order: differencing F itself would leave errors of √ε·|J| (1e-3 when |J| is
  /// 1e5).
  void jacobian(const double* y, double t, double* rate, Matrix& out, double* dfdt) {
    const Index q = n_ + p_, m = size(), ns = n_ * q;
    rhs_.jacobians(t, y, theta_.data(), rate, jy_, jtheta_, dfdt);
    out.setZero(m, m);
    out.topLeftCorner(n_, n_) = jy_;
    // ∂(dS/dt)(i, c)/∂S(j, c) = J_y(i, j); S(i, c) is component N + i Q + c of the state.
    for (Index c = 0; c < q; ++c) {
      for (Index i = 0; i < n_; ++i) {
        for (Index j = 0; j < n_; ++j) out(n_ + i * q + c, n_ + j * q + c) = jy_(i, j);
      }
    }
    Eigen::Map<const SensitivityMatrix> s(y + n_, n_, q);
    Eigen::Map<SensitivityMatrix> g0(rate + n_, n_, q);
    sensitivity_rate(s, g0);
    const double root_eps = std::sqrt(std::numeric_limits<double>::epsilon());
    shifted_.assign(y, y + n_);
    f_.resize(static_cast<std::size_t>(n_));
    shifted_rate_.resize(n_, q);
    for (Index i = 0; i < n_; ++i) {
      const double step = root_eps * std::max(1.0, std::abs(y[i]));
      shifted_[static_cast<std::size_t>(i)] = y[i] + step;
      rhs_.jacobians(t, shifted_.data(), theta_.data(), f_.data(), jy_, jtheta_);
      sensitivity_rate(s, shifted_rate_);
      out.block(n_, i, ns, 1) = (Eigen::Map<const Eigen::VectorXd>(shifted_rate_.data(), ns) -
                                 Eigen::Map<const Eigen::VectorXd>(g0.data(), ns)) /
                                step;
      shifted_[static_cast<std::size_t>(i)] = y[i];
    }
    const double dt = root_eps * std::max(1.0, std::abs(t));
    rhs_.jacobians(t + dt, y, theta_.data(), f_.data(), jy_, jtheta_);
    sensitivity_rate(s, shifted_rate_);
    for (Index k = 0; k < ns; ++k) dfdt[n_ + k] = (shifted_rate_.data()[k] - g0.data()[k]) / dt;
  }

  /// y0 with S(t0) = [I | 0].
  std::vector<double> initial(const Matrix& y0) const {
    std::vector<double> out(static_cast<std::size_t>(size()), 0.0);
    std::copy(y0.data(), y0.data() + n_, out.begin());
    const Index q = n_ + p_;
    for (Index i = 0; i < n_; ++i) out[static_cast<std::size_t>(n_ + i * q + i)] = 1.0;
    return out;
  }

 private:
  // J_y S + [0 | J_θ] with the Jacobians last computed.
  template <class Out>
  void sensitivity_rate(const Eigen::Map<const SensitivityMatrix>& s, Out&& rate) const {
    rate.noalias() = jy_ * s;
    rate.rightCols(p_) += jtheta_;
  }

  RhsEvaluator& rhs_;
  const Matrix& theta_;
  Index n_, p_;
  Matrix jy_, jtheta_;
  // Scratch for jacobian(), kept so that a step allocates nothing.
  std::vector<double> shifted_, f_;
  SensitivityMatrix shifted_rate_;
};

// A step budget or a non-finite state, named with the interval it happened in.
[[noreturn]] void fail_interval(std::string_view op, double from, double to,
                                const std::string& what) {
  throw ed::invalid_argument(std::string(op) + ": between t = " + number(from) +
                             " and t = " + number(to) + ", " + what);
}

/// A fourth-order Rosenbrock method with an embedded third-order error estimate (Shampine's
/// 1982 parameters, the L-stable set behind Kaps and Rentrop's GRK4T family): four linear solves
/// with W = I/(γh) − J and three evaluations of F per step,
///   W g_i = F(t + α_i h, y + Σ_j a_ij g_j) + Σ_j (c_ij/h) g_j + h c_i ∂F/∂t,
///   y' = y + Σ b_i g_i,  error Σ e_i g_i,
/// with J = ∂F/∂y and ∂F/∂t from AugmentedSystem::jacobian. The error is measured as CVODES and
/// Hairer's codes measure it, the root mean square of err_i / (atol + rtol |y_i|); a step cut
/// short to land on an output time does not shrink the step proposed after it (Note [Landing
/// steps]).
class Rosenbrock4 {
 public:
  Rosenbrock4(AugmentedSystem& system, const OdeOptions& options)
      : system_(system),
        options_(options),
        m_(system.size()),
        f0_(m_),
        f_(m_),
        g1_(m_),
        g2_(m_),
        g3_(m_),
        g4_(m_),
        stage_(m_),
        ynew_(m_),
        dfdt_(m_),
        err_(m_),
        jacobian_(m_, m_),
        w_(m_, m_),
        lu_(m_) {}

  /// Advances y from t to t_end exactly, counting steps against the budget. h is the step to try
  /// first, and on return the one proposed for what follows.
  void advance(Eigen::VectorXd& y, double& t, double t_end, double& h, std::string_view op) {
    constexpr double gamma = 0.5, a21 = 2.0, a31 = 48.0 / 25.0, a32 = 6.0 / 25.0;
    constexpr double c21 = -8.0, c31 = 372.0 / 25.0, c32 = 12.0 / 5.0;
    constexpr double c41 = -112.0 / 125.0, c42 = -54.0 / 125.0, c43 = -2.0 / 5.0;
    constexpr double b1 = 19.0 / 9.0, b2 = 0.5, b3 = 25.0 / 108.0, b4 = 125.0 / 108.0;
    constexpr double e1 = 17.0 / 54.0, e2 = 7.0 / 36.0, e4 = 125.0 / 108.0;
    constexpr double c1x = 0.5, c2x = -1.5, c3x = 121.0 / 50.0, c4x = 29.0 / 250.0;
    constexpr double a2x = 1.0, a3x = 3.0 / 5.0;
    const double start = t;
    long steps = 0;
    bool fresh_jacobian = false;
    while (t < t_end) {
      if (++steps > options_.max_num_steps) {
        fail_interval(op, start, t_end,
                      "the solver took more than max_num_steps = " +
                          std::to_string(options_.max_num_steps) + " steps");
      }
      // Note [Landing steps]: a step shortened to end on t_end says nothing about the step the
      // error allows, so the proposal before it is kept unless the step's own error proposes
      // more. Taking the shortened step as the next proposal, as before, cost ~30% more steps
      // with outputs every few steps (one_comp: 120 → 91 per solve).
      const bool lands = h >= t_end - t;
      const double proposal = h;
      if (lands) h = t_end - t;
      if (!fresh_jacobian) {  // F(t, y) comes with the Jacobian: no separate evaluation
        system_.jacobian(y.data(), t, f0_.data(), jacobian_, dfdt_.data());
        fresh_jacobian = true;
      }
      w_ = -jacobian_;
      w_.diagonal().array() += 1.0 / (gamma * h);
      lu_.compute(w_);
      g1_ = lu_.solve(f0_ + (h * c1x) * dfdt_);
      stage_ = y + a21 * g1_;
      eval(t + a2x * h, stage_, f_);
      g2_ = lu_.solve(f_ + (h * c2x) * dfdt_ + (c21 / h) * g1_);
      stage_ = y + a31 * g1_ + a32 * g2_;
      eval(t + a3x * h, stage_, f_);
      g3_ = lu_.solve(f_ + (h * c3x) * dfdt_ + (c31 / h) * g1_ + (c32 / h) * g2_);
      g4_ = lu_.solve(f_ + (h * c4x) * dfdt_ + (c41 / h) * g1_ + (c42 / h) * g2_ + (c43 / h) * g3_);
      ynew_ = y + b1 * g1_ + b2 * g2_ + b3 * g3_ + b4 * g4_;
      err_ = e1 * g1_ + e2 * g2_ + e4 * g4_;
      const double error = std::sqrt(
          (err_.array() / (options_.absolute_tolerance +
                           options_.relative_tolerance * y.array().abs().max(ynew_.array().abs())))
              .square()
              .mean());
      if (!std::isfinite(error) || !ynew_.allFinite()) {
        if (h < 1e-14 * std::max(1.0, std::abs(t))) {
          fail_interval(op, start, t_end, "the state stopped being finite at t = " + number(t));
        }
        h *= 0.25;
        continue;
      }
      if (error <= 1.0) {
        t = lands ? t_end : t + h;
        y = ynew_;
        fresh_jacobian = false;
        h *= std::min(5.0, 0.9 * std::pow(std::max(error, 1e-10), -0.25));
        if (lands) h = std::max(h, proposal);
      } else {
        h *= std::max(0.2, 0.9 * std::pow(error, -1.0 / 3.0));
      }
    }
  }

 private:
  void eval(double t, const Eigen::VectorXd& y, Eigen::VectorXd& out) {
    system_(y.data(), out.data(), t);
  }

  AugmentedSystem& system_;
  const OdeOptions& options_;
  Index m_;
  Eigen::VectorXd f0_, f_, g1_, g2_, g3_, g4_, stage_, ynew_, dfdt_, err_;
  Matrix jacobian_, w_;
  Eigen::PartialPivLU<Matrix> lu_;
};

}  // namespace

namespace ops {

/// Inputs y0 (1×N) and θ (1×P); output T×N. Scratch 0 holds the sensitivities at each output
/// time, column k the N × (N + P) matrix ∂y(t_k)/∂(y0, θ) row by row (Note [Sensitivity
/// layout]).
class OdeSolve final : public Op {
 public:
  OdeSolve(OdeMethod method, OdeRhs f, Index n, Index p, double t0, std::vector<double> times,
           OdeOptions options)
      : method_(method),
        f_(std::move(f)),
        n_(n),
        p_(p),
        t0_(t0),
        times_(std::move(times)),
        options_(options) {
    // Compiled once now, so a right-hand side of the wrong shape or one that draws is refused
    // where the model is written.
    pool_.push_back(std::make_unique<RhsEvaluator>(name(), f_, n_, p_));
  }
  std::string_view name() const override { return method_name(method_); }
  Shape shape(Shapes) const override { return {static_cast<Index>(times_.size()), n_}; }

  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    std::unique_ptr<RhsEvaluator> rhs = acquire();
    struct Release {
      const OdeSolve& op;
      std::unique_ptr<RhsEvaluator>& rhs;
      ~Release() { op.release(std::move(rhs)); }
    } release{*this, rhs};
    const Matrix& y0 = in[0];
    const Matrix& theta = in[1];
    if (!y0.allFinite() || !theta.allFinite()) {
      throw ed::invalid_argument(std::string(name()) +
                                 ": the initial state and the parameters must be finite");
    }
    AugmentedSystem system(*rhs, theta, n_);
    const Index q = n_ + p_;
    ctx.scratch.resize(1);
    Matrix& sensitivities = ctx.scratch[0];
    sensitivities.resize(n_ * q, static_cast<Index>(times_.size()));
    auto record = [&](const double* state, std::size_t k) {
      const Index row = static_cast<Index>(k);
      for (Index i = 0; i < n_; ++i) out(row, i) = state[i];
      std::copy(state + n_, state + n_ + n_ * q, sensitivities.col(row).data());
    };
    std::vector<double> state = system.initial(y0);
    if (method_ == OdeMethod::rk45) {
      solve_rk45(system, state, record);
    } else {
      solve_rosenbrock(system, state, record);
    }
  }

  // ∂L/∂y0 = Σ_k dout_k S_k[:, :N], ∂L/∂θ = Σ_k dout_k S_k[:, N:].
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& sensitivities = ctx.scratch[0];
    const Index q = n_ + p_;
    for (Index k = 0; k < dout.rows(); ++k) {
      const Eigen::Map<const SensitivityMatrix> s(sensitivities.col(k).data(), n_, q);
      const Eigen::RowVectorXd g = dout.row(k) * s;
      if (din[0]) *din[0] += g.head(n_);
      if (din[1]) *din[1] += g.tail(p_);
    }
  }

 private:
  template <class Record>
  void solve_rk45(AugmentedSystem& system, std::vector<double>& state, Record& record) const {
    namespace odeint = boost::numeric::odeint;
    // integrate_times observes at t0 too: the output times follow it.
    std::vector<double> grid = {t0_};
    grid.insert(grid.end(), times_.begin(), times_.end());
    std::size_t seen = 0;
    auto observe = [&](const std::vector<double>& x, double t) {
      if (seen > 0) {
        for (double v : x) {
          if (!std::isfinite(v)) {
            fail_interval(name(), grid[seen - 1], t, "the state stopped being finite");
          }
        }
        record(x.data(), seen - 1);
      }
      ++seen;
    };
    const double first_step = 0.1 * (grid[1] - grid[0]);
    try {
      odeint::integrate_times(
          odeint::make_dense_output(options_.absolute_tolerance, options_.relative_tolerance,
                                    odeint::runge_kutta_dopri5<std::vector<double>>()),
          std::ref(system), state, grid.begin(), grid.end(), first_step, observe,
          odeint::max_step_checker(static_cast<int>(
              std::min<long>(options_.max_num_steps, std::numeric_limits<int>::max()))));
    } catch (const odeint::no_progress_error&) {
      const std::size_t k = std::max<std::size_t>(seen, 1);
      fail_interval(
          name(), grid[k - 1], grid[std::min(k, grid.size() - 1)],
          "the solver took more than max_num_steps = " + std::to_string(options_.max_num_steps) +
              " steps (a stiff system? try ode_rosenbrock)");
    } catch (const odeint::step_adjustment_error&) {
      const std::size_t k = std::max<std::size_t>(seen, 1);
      fail_interval(name(), grid[k - 1], grid[std::min(k, grid.size() - 1)],
                    "the step size fell to nothing (the state may not be finite)");
    }
  }

  template <class Record>
  void solve_rosenbrock(AugmentedSystem& system, std::vector<double>& state, Record& record) const {
    Eigen::VectorXd y = Eigen::Map<Eigen::VectorXd>(state.data(), system.size());
    Rosenbrock4 stepper(system, options_);
    double t = t0_, h = 0.01 * (times_.front() - t0_);
    for (std::size_t k = 0; k < times_.size(); ++k) {
      stepper.advance(y, t, times_[k], h, name());
      record(y.data(), k);
    }
  }

  // A new evaluator is compiled under the lock too: it calls the user's f, which builds graph
  // nodes, and nothing promises that f may run on two threads at once.
  std::unique_ptr<RhsEvaluator> acquire() const {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (pool_.empty()) return std::make_unique<RhsEvaluator>(name(), f_, n_, p_);
    std::unique_ptr<RhsEvaluator> rhs = std::move(pool_.back());
    pool_.pop_back();
    return rhs;
  }
  void release(std::unique_ptr<RhsEvaluator> rhs) const {
    const std::lock_guard<std::mutex> lock(mutex_);
    pool_.push_back(std::move(rhs));
  }

  OdeMethod method_;
  OdeRhs f_;
  Index n_, p_;
  double t0_;
  std::vector<double> times_;
  OdeOptions options_;
  // Evaluators not in use: one per thread solving at once (chains on threads share this op).
  mutable std::mutex mutex_;
  mutable std::vector<std::unique_ptr<RhsEvaluator>> pool_;
};

}  // namespace ops

namespace {

Tensor ode_solve(OdeMethod method, const OdeRhs& f, const Tensor& y0, double t0,
                 const std::vector<double>& times, const Tensor& theta, const OdeOptions& options) {
  const std::string op(method_name(method));
  if (!f) throw ed::invalid_argument(op + ": the right-hand side is empty");
  if (!y0 || !theta) throw ed::invalid_argument(op + ": y0 and theta must not be empty tensors");
  const Shape sy = y0.shape(), st = theta.shape();
  if (sy.rows != 1 || sy.cols == Dynamic || sy.cols < 1) {
    throw ed::invalid_argument(op + ": y0 must be one row of known length (1×N), got " +
                               to_string(sy));
  }
  if (st.rows != 1 || st.cols == Dynamic || st.cols < 1) {
    throw ed::invalid_argument(op + ": theta must be one row of known length (1×P), got " +
                               to_string(st) + " (a 1×1 constant when f has no parameters)");
  }
  if (times.empty()) throw ed::invalid_argument(op + ": no output times");
  double previous = t0;
  for (std::size_t k = 0; k < times.size(); ++k) {
    if (!(times[k] > previous) || !std::isfinite(times[k])) {
      throw ed::invalid_argument(op + ": times[" + std::to_string(k) + "] = " + number(times[k]) +
                                 " must be finite and after " +
                                 (k == 0 ? "t0 = " : "times[" + std::to_string(k - 1) + "] = ") +
                                 number(previous));
    }
    previous = times[k];
  }
  if (!(options.relative_tolerance > 0.0) || !(options.absolute_tolerance > 0.0) ||
      options.max_num_steps < 1) {
    throw ed::invalid_argument(op +
                               ": the tolerances must be positive and max_num_steps at least 1");
  }
  return make_op(std::make_shared<ops::OdeSolve>(method, f, sy.cols, st.cols, t0, times, options),
                 {y0, theta});
}

}  // namespace

Tensor ode_rk45(const OdeRhs& f, const Tensor& y0, double t0, const std::vector<double>& times,
                const Tensor& theta, const OdeOptions& options) {
  return ode_solve(OdeMethod::rk45, f, y0, t0, times, theta, options);
}

Tensor ode_rosenbrock(const OdeRhs& f, const Tensor& y0, double t0,
                      const std::vector<double>& times, const Tensor& theta,
                      const OdeOptions& options) {
  return ode_solve(OdeMethod::rosenbrock, f, y0, t0, times, theta, options);
}

}  // namespace ed
