// lgamma and digamma ops; derivatives digamma and trigamma, all from Boost.Math.
#include "edpp/core/ops/special.hpp"

#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace detail {
namespace {
// A pole or domain error yields inf/NaN as in <cmath>; the graph's finiteness checks report it.
using namespace boost::math::policies;
using Quiet = policy<domain_error<ignore_error>, pole_error<ignore_error>,
                     overflow_error<ignore_error>, evaluation_error<ignore_error>>;
}  // namespace

double lgamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::infinity();
  return boost::math::lgamma(x, Quiet());
}
double digamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::quiet_NaN();
  return boost::math::digamma(x, Quiet());
}
double trigamma(double x) {
  if (x <= 0.0 && x == std::floor(x)) return std::numeric_limits<double>::infinity();
  return boost::math::trigamma(x, Quiet());
}
}  // namespace detail

namespace ops {

class Lgamma final : public Op {
 public:
  std::string_view name() const override { return "lgamma"; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override { return ScalarRule{}; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = detail::digamma(x[0]);
    return detail::lgamma(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].unaryExpr([](double x) { return detail::lgamma(x); });
  }
  // d log Γ(x) = ψ(x).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() +=
        dout.array() * in[0].array().unaryExpr([](double x) { return detail::digamma(x); });
  }
};

class Digamma final : public Op {
 public:
  std::string_view name() const override { return "digamma"; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].unaryExpr([](double x) { return detail::digamma(x); });
  }
  // d ψ(x) = ψ₁(x), the trigamma function.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() +=
        dout.array() * in[0].array().unaryExpr([](double x) { return detail::trigamma(x); });
  }
};

/// An elementwise function of one input given by its scalar value and derivative: the special
/// functions, each a Boost.Math or <cmath> call per element.
class ScalarFunction final : public Op {
 public:
  using Fn = double (*)(double);
  ScalarFunction(std::string_view name, Fn value, Fn derivative)
      : name_(name), value_(value), derivative_(derivative) {}
  std::string_view name() const override { return name_; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override { return ScalarRule{}; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = derivative_(x[0]);
    return value_(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].unaryExpr(value_); }
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * in[0].array().unaryExpr(derivative_);
  }

 private:
  std::string_view name_;
  Fn value_, derivative_;
};

/// An elementwise function of two broadcasting inputs given by its scalar value and partial
/// derivatives (atan2, pow, log_rising_factorial): one scalar call per element, which is what
/// special functions cost anyway.
class BinaryFunction final : public Op {
 public:
  using Fn = double (*)(double, double);
  BinaryFunction(std::string_view name, Fn value, Fn d_a, Fn d_b)
      : name_(name), value_(value), d_a_(d_a), d_b_(d_b) {}
  std::string_view name() const override { return name_; }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  std::optional<ScalarRule> scalar_rule(Shapes) const override { return ScalarRule{}; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = d_a_(x[0], x[1]);
    d[1] = d_b_(x[0], x[1]);
    return value_(x[0], x[1]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    for (Index j = 0; j < out.cols(); ++j)
      for (Index i = 0; i < out.rows(); ++i) out(i, j) = value_(at(in[0], i, j), at(in[1], i, j));
  }
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    for (Index j = 0; j < dout.cols(); ++j) {
      for (Index i = 0; i < dout.rows(); ++i) {
        const double a = at(in[0], i, j), b = at(in[1], i, j), g = dout(i, j);
        if (din[0]) ref(*din[0], i, j) += g * d_a_(a, b);
        if (din[1]) ref(*din[1], i, j) += g * d_b_(a, b);
      }
    }
  }

 private:
  static double at(const Matrix& m, Index i, Index j) {
    return m.data()[detail::broadcast_index(m, i, j)];
  }
  static double& ref(Matrix& m, Index i, Index j) {
    return m.data()[detail::broadcast_index(m, i, j)];
  }
  std::string_view name_;
  Fn value_, d_a_, d_b_;
};

class XMul final : public Op {
 public:
  std::string_view name() const override { return "xmul"; }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    // 0 · ±inf is 0; everything else (NaN included) multiplies as usual.
    auto product = [](double a, double b) { return a == 0.0 && std::isinf(b) ? 0.0 : a * b; };
    detail::broadcast_apply(in[0], in[1], out, [&](const auto& a, const auto& b) {
      if constexpr (detail::is_scalar<decltype(a)>) {
        return b.unaryExpr([&](double y) { return product(a, y); });
      } else if constexpr (detail::is_scalar<decltype(b)>) {
        return a.unaryExpr([&](double x) { return product(x, b); });
      } else {
        return a.binaryExpr(b, product);
      }
    });
  }
  // d(ab)/da = b (0 where b is not finite: that term is the 0·inf = 0 convention),
  // d(ab)/db = a.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      const auto d = dout.col(j).array();
      if (din[0]) {
        detail::visit_col(in[1], j, rows, [&](const auto& b) {
          if constexpr (detail::is_scalar<decltype(b)>) {
            if (std::isfinite(b)) detail::accumulate_col(*din[0], j, d * b);
          } else {
            detail::accumulate_col(*din[0], j, b.isFinite().select(d * b, 0.0));
          }
        });
      }
      if (din[1]) {
        detail::visit_col(in[0], j, rows,
                          [&](const auto& a) { detail::accumulate_col(*din[1], j, d * a); });
      }
    }
  }
};

}  // namespace ops

Tensor xmul(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::XMul>(), {a, b});
}

namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;  // the normal density's constant

double erf_value(double x) { return boost::math::erf(x, detail::Quiet()); }
double erfc_value(double x) { return boost::math::erfc(x, detail::Quiet()); }
// d erf x = 2/√π e^(−x²); d erfc x = −that.
double erf_derivative(double x) { return 2.0 / std::sqrt(std::numbers::pi) * std::exp(-x * x); }
double erfc_derivative(double x) { return -erf_derivative(x); }
double phi_value(double x) { return 0.5 * erfc_value(-x * kInvSqrt2); }
// d Φ(x) = φ(x).
double phi_derivative(double x) { return kInvSqrt2Pi * std::exp(-0.5 * x * x); }
double inv_phi_value(double p) {
  if (!(p >= 0.0 && p <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0.0) return -std::numeric_limits<double>::infinity();
  if (p == 1.0) return std::numeric_limits<double>::infinity();
  return -std::numbers::sqrt2 * boost::math::erfc_inv(2.0 * p, detail::Quiet());
}
// d Φ⁻¹(p) = 1 / φ(Φ⁻¹(p)).
double inv_phi_derivative(double p) { return 1.0 / phi_derivative(inv_phi_value(p)); }
// log Φ(x): log(½ erfc(−x/√2)) down to −37; below, where erfc underflows, Φ(x) = φ(x)/|x| ·
// (1 − 1/x² + 3/x⁴ − 15/x⁶ + …) (the asymptotic series of Mills' ratio), whose seventh term is
// below 1e-17 of the first there.
double log_phi_value(double x) {
  if (x > -37.0) return std::log(phi_value(x));
  const double inv_x2 = 1.0 / (x * x);
  double term = 1.0, series = 1.0;
  for (int k = 1; k <= 7; ++k) {
    term *= -(2.0 * k - 1.0) * inv_x2;
    series += term;
  }
  return -0.5 * x * x - std::log(-x) - 0.5 * std::log(2.0 * std::numbers::pi) + std::log(series);
}
// d log Φ(x) = φ(x)/Φ(x), formed in log space (it grows like −x in the lower tail).
double log_phi_derivative(double x) {
  return std::exp(-0.5 * x * x - 0.5 * std::log(2.0 * std::numbers::pi) - log_phi_value(x));
}
// I_ν(x) ~ eˣ/√(2πx) Σ_k (−1)^k a_k(ν)/x^k with a_k(ν) = Π_{j≤k} (4ν² − (2j − 1)²) / (k! 8^k):
// above 700, where I₀ overflows, the first eight terms are exact to double precision.
double bessel_series(double nu, double x) {
  const double mu = 4.0 * nu * nu;
  double term = 1.0, series = 1.0;
  for (int k = 1; k <= 8; ++k) {
    term *= -(mu - (2.0 * k - 1.0) * (2.0 * k - 1.0)) / (k * 8.0 * x);
    series += term;
  }
  return series;
}
constexpr double kBesselSeriesFrom = 700.0;
double log_bessel_i0_value(double x) {
  if (!(x >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
  if (x < kBesselSeriesFrom) return std::log(boost::math::cyl_bessel_i(0, x, detail::Quiet()));
  return x - 0.5 * std::log(2.0 * std::numbers::pi * x) + std::log(bessel_series(0.0, x));
}
// d log I₀(x) = I₁(x)/I₀(x).
double log_bessel_i0_derivative(double x) {
  if (!(x >= 0.0)) return std::numeric_limits<double>::quiet_NaN();
  if (x < kBesselSeriesFrom) {
    return boost::math::cyl_bessel_i(1, x, detail::Quiet()) /
           boost::math::cyl_bessel_i(0, x, detail::Quiet());
  }
  return bessel_series(1.0, x) / bessel_series(0.0, x);
}
// R = I₁/I₀: R' = (I₀ − I₁/x)/I₀ − (I₁/I₀)² = 1 − R/x − R², which tends to ½ at 0.
double bessel_ratio_derivative(double x) {
  if (x == 0.0) return 0.5;
  const double r = log_bessel_i0_derivative(x);
  return 1.0 - r / x - r * r;
}
// atan2(y, x): ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²) (0 at the origin, where it has none).
double atan2_value(double y, double x) { return std::atan2(y, x); }
double atan2_dy(double y, double x) {
  const double r2 = x * x + y * y;
  return r2 > 0.0 ? x / r2 : 0.0;
}
double atan2_dx(double y, double x) {
  const double r2 = x * x + y * y;
  return r2 > 0.0 ? -y / r2 : 0.0;
}
// xʸ: ∂/∂x = y x^(y−1), ∂/∂y = xʸ log x (0 where xʸ is 0, as at x = 0 with y > 0).
double pow_value(double x, double y) { return std::pow(x, y); }
double pow_dx(double x, double y) { return y == 0.0 ? 0.0 : y * std::pow(x, y - 1.0); }
double pow_dy(double x, double y) {
  const double p = std::pow(x, y);
  return p == 0.0 ? 0.0 : p * std::log(x);
}
// log Γ(x + n) − log Γ(x) as −log of Boost's tgamma_delta_ratio Γ(x)/Γ(x + n), which does not
// cancel when x is huge (the Poisson limit of a negative binomial); n = 0 gives 0. Where the
// ratio leaves double's range, the difference of lgammas (then free of cancellation).
double log_rising_value(double x, double n) {
  if (n == 0.0) return 0.0;
  if (x > 0.0 && x + n > 0.0) {
    // The ratio over/underflows when the rising factorial is astronomically large or small;
    // there the lgamma difference has no cancellation to fear.
    const double ratio = boost::math::tgamma_delta_ratio(x, n, detail::Quiet());
    if (ratio > 1e-300 && ratio < 1e300) return -std::log(ratio);
  }
  return detail::lgamma(x + n) - detail::lgamma(x);
}
double log_rising_dx(double x, double n) {
  return n == 0.0 ? 0.0 : detail::digamma(x + n) - detail::digamma(x);
}
double log_rising_dn(double x, double n) { return detail::digamma(x + n); }
double atan_value(double x) { return std::atan(x); }
double atan_derivative(double x) { return 1.0 / (1.0 + x * x); }
double step_value(double x) { return x < 0.0 ? 0.0 : 1.0; }
double zero_derivative(double) { return 0.0; }
// log(1 − eˣ): the two forms each exact where the other cancels (Mächler 2012).
double log1m_exp_value(double x) {
  if (x > 0.0) return std::numeric_limits<double>::quiet_NaN();
  return x > -std::numbers::ln2 ? std::log(-std::expm1(x)) : std::log1p(-std::exp(x));
}
// d log(1 − eˣ) = −eˣ / (1 − eˣ) = −1 / (e⁻ˣ − 1).
double log1m_exp_derivative(double x) { return -1.0 / std::expm1(-x); }

Tensor scalar_function(const char* name, ops::ScalarFunction::Fn value,
                       ops::ScalarFunction::Fn derivative, const Tensor& x) {
  return make_op(std::make_shared<ops::ScalarFunction>(name, value, derivative), {x});
}

}  // namespace

Tensor erf(const Tensor& x) { return scalar_function("erf", erf_value, erf_derivative, x); }
Tensor erfc(const Tensor& x) { return scalar_function("erfc", erfc_value, erfc_derivative, x); }
Tensor Phi(const Tensor& x) { return scalar_function("Phi", phi_value, phi_derivative, x); }
Tensor inv_Phi(const Tensor& p) {
  return scalar_function("inv_Phi", inv_phi_value, inv_phi_derivative, p);
}
Tensor log_Phi(const Tensor& x) {
  return scalar_function("log_Phi", log_phi_value, log_phi_derivative, x);
}
Tensor log_bessel_i0(const Tensor& x) {
  return scalar_function("log_bessel_i0", log_bessel_i0_value, log_bessel_i0_derivative, x);
}
Tensor bessel_i1_over_i0(const Tensor& x) {
  return scalar_function("bessel_i1_over_i0", log_bessel_i0_derivative, bessel_ratio_derivative, x);
}
Tensor atan2(const Tensor& y, const Tensor& x) {
  return make_op(std::make_shared<ops::BinaryFunction>("atan2", atan2_value, atan2_dy, atan2_dx),
                 {y, x});
}
Tensor pow(const Tensor& x, const Tensor& y) {
  return make_op(std::make_shared<ops::BinaryFunction>("pow", pow_value, pow_dx, pow_dy), {x, y});
}
Tensor log_rising_factorial(const Tensor& x, const Tensor& n) {
  return make_op(std::make_shared<ops::BinaryFunction>("log_rising_factorial", log_rising_value,
                                                       log_rising_dx, log_rising_dn),
                 {x, n});
}
Tensor atan(const Tensor& x) { return scalar_function("atan", atan_value, atan_derivative, x); }
Tensor step(const Tensor& x) { return scalar_function("step", step_value, zero_derivative, x); }
Tensor log1m(const Tensor& x) { return log1p(-x); }
Tensor log1m_exp(const Tensor& x) {
  return scalar_function("log1m_exp", log1m_exp_value, log1m_exp_derivative, x);
}
Tensor log_diff_exp(const Tensor& a, const Tensor& b) { return a + log1m_exp(b - a); }
Tensor lbeta(const Tensor& a, const Tensor& b) { return lgamma(a) + lgamma(b) - lgamma(a + b); }
Tensor lchoose(const Tensor& n, const Tensor& k) {
  return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

Tensor lgamma(const Tensor& x) { return make_op(std::make_shared<ops::Lgamma>(), {x}); }
Tensor digamma(const Tensor& x) { return make_op(std::make_shared<ops::Digamma>(), {x}); }

}  // namespace ed
