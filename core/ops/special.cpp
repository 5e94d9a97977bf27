// lgamma and digamma ops; derivatives digamma and trigamma, all from Boost.Math.
#include "edpp/core/ops/special.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/math/special_functions/trigamma.hpp>

#include <limits>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
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

Tensor lgamma(const Tensor& x) { return make_op(std::make_shared<ops::Lgamma>(), {x}); }
Tensor digamma(const Tensor& x) { return make_op(std::make_shared<ops::Digamma>(), {x}); }

}  // namespace ed
