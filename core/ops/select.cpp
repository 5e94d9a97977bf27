// Minimum, Maximum, Clip and Where ops.
#include "edpp/core/ops/select.hpp"

#include <type_traits>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"

namespace ed {
namespace ops {

using detail::accumulate_col;
using detail::visit_col;

namespace {
using detail::is_scalar;

// g += d where `take` holds (an array mask, or one bool for the whole column).
template <class D>
void accumulate_where(Matrix& g, Index j, const D& d, bool take) {
  if (take) accumulate_col(g, j, d);
}
template <class D, class Mask>
void accumulate_where(Matrix& g, Index j, const D& d, const Mask& take) {
  accumulate_col(g, j, take.select(d, 0.0));
}

// [a ≤ b] (for minimum) or [a ≥ b] (for maximum), with either side possibly a scalar.
template <bool IsMin, class A, class B>
auto a_wins(const A& a, const B& b) {
  if constexpr (is_scalar<A> && is_scalar<B>) {
    return IsMin ? a <= b : a >= b;
  } else if constexpr (is_scalar<A>) {
    if constexpr (IsMin)
      return (b >= a).eval();
    else
      return (b <= a).eval();
  } else {
    if constexpr (IsMin)
      return (a <= b).eval();
    else
      return (a >= b).eval();
  }
}
}  // namespace

/// Minimum (IsMin) or maximum of two broadcasting tensors.
template <bool IsMin>
class Extremum final : public Op {
 public:
  std::string_view name() const override { return IsMin ? "minimum" : "maximum"; }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    detail::broadcast_apply(in[0], in[1], out, [](const auto& a, const auto& b) {
      if constexpr (is_scalar<decltype(a)>) {
        if constexpr (IsMin)
          return b.min(a);
        else
          return b.max(a);
      } else {
        if constexpr (IsMin)
          return a.min(b);
        else
          return a.max(b);
      }
    });
  }
  // The gradient flows to whichever input was chosen (to `a` at a tie).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      const auto d = dout.col(j).array();
      visit_col(in[0], j, rows, [&](const auto& a) {
        visit_col(in[1], j, rows, [&](const auto& b) {
          const auto take_a = a_wins<IsMin>(a, b);
          if (din[0]) accumulate_where(*din[0], j, d, take_a);
          if (din[1]) accumulate_where(*din[1], j, d, !take_a);
        });
      });
    }
  }
};

class Clip final : public Op {
 public:
  Clip(double low, double high) : low_(low), high_(high) {}
  std::string_view name() const override { return "clip"; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].cwiseMax(low_).cwiseMin(high_);
  }
  // d clip(x)/dx = [low ≤ x ≤ high].
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const auto x = in[0].array();
    din[0]->array() += (x >= low_ && x <= high_).select(dout.array(), 0.0);
  }

 private:
  double low_, high_;
};

class Where final : public Op {
 public:
  std::string_view name() const override { return "where"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override {
    return detail::broadcast_shapes(name(), detail::broadcast_shapes(name(), in[0], in[1]), in[2]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Index rows = out.rows();
    for (Index j = 0; j < out.cols(); ++j) {
      visit_col(in[0], j, rows, [&](const auto& c) {
        visit_col(in[1], j, rows, [&](const auto& a) {
          visit_col(in[2], j, rows, [&](const auto& b) { pick(c, a, b, out.col(j)); });
        });
      });
    }
  }
  // The gradient flows to `a` where the condition holds and to `b` elsewhere.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      const auto d = dout.col(j).array();
      visit_col(in[0], j, rows, [&](const auto& c) {
        if constexpr (is_scalar<decltype(c)>) {
          if (din[1]) accumulate_where(*din[1], j, d, c != 0.0);
          if (din[2]) accumulate_where(*din[2], j, d, c == 0.0);
        } else {
          if (din[1]) accumulate_where(*din[1], j, d, c != 0.0);  // masks as expressions:
          if (din[2]) accumulate_where(*din[2], j, d, c == 0.0);  // nothing allocated
        }
      });
    }
  }

 private:
  // One output column from a condition and two operands, each an array column or a scalar,
  // written in place (a model's support checks run it on every gradient: no temporaries).
  template <class C, class A, class B, class Out>
  static void pick(const C& c, const A& a, const B& b, Out out) {
    auto at = [](const auto& v, Index i) {
      if constexpr (is_scalar<decltype(v)>) {
        return static_cast<double>(v);
      } else {
        return v.coeff(i);
      }
    };
    for (Index i = 0; i < out.rows(); ++i) out(i) = at(c, i) != 0.0 ? at(a, i) : at(b, i);
  }
};

}  // namespace ops

Tensor minimum(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Extremum<true>>(), {a, b});
}
Tensor maximum(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Extremum<false>>(), {a, b});
}
Tensor clip(const Tensor& x, double low, double high) {
  if (!(low <= high)) {
    throw ed::invalid_argument("clip: low " + std::to_string(low) + " exceeds high " +
                               std::to_string(high));
  }
  return make_op(std::make_shared<ops::Clip>(low, high), {x});
}
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Where>(), {condition, a, b});
}

}  // namespace ed
