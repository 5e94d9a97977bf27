// lgamma and digamma ops; derivatives digamma and trigamma, all from Boost.Math.
#include "edpp/core/ops/special.hpp"

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
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].unaryExpr(value_); }
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * in[0].array().unaryExpr(derivative_);
  }

 private:
  std::string_view name_;
  Fn value_, derivative_;
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
