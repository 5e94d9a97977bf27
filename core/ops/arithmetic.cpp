// Elementwise binary arithmetic with broadcasting, and negation.
#include "edpp/core/ops/arithmetic.hpp"

#include <utility>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"

namespace ed {
namespace ops {

using detail::accumulate;
using detail::accumulate_col;
using detail::broadcast_apply;
using detail::visit_col;

// Note [Scalar tapes]: the arithmetic a tape runs inline.
ScalarRule inline_rule(ScalarRule::Builtin builtin) {
  return {ScalarRule::Kind::elementwise, {}, builtin};
}

/// Shared by the four broadcasting binary ops.
class BinaryOp : public Op {
 public:
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }

 protected:
  // Note [Forward tangents]: column e of the output's tangent is ∂out_e/∂a · ta(e_a) +
  // ∂out_e/∂b · tb(e_b), the columns of the inputs' tangents at e_a and
  // e_b are the elements of a and b that output element e reads (broadcast ones repeat);
  // `partials(a, b, out)` gives the two partial derivatives at one element.
  template <class Partials>
  static bool binary_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout,
                             Partials partials) {
    const Matrix &a = in[0], &b = in[1];
    const Index q = (tin[0] ? tin[0] : tin[1])->rows();
    tout.resize(q, out.size());
    for (Index j = 0; j < out.cols(); ++j) {
      for (Index i = 0; i < out.rows(); ++i) {
        const Index ea = detail::broadcast_index(a, i, j), eb = detail::broadcast_index(b, i, j);
        const Index e = j * out.rows() + i;
        const auto [da, db] = partials(a.data()[ea], b.data()[eb], out(i, j));
        if (tin[0] && tin[1]) {
          tout.col(e) = da * tin[0]->col(ea) + db * tin[1]->col(eb);
        } else if (tin[0]) {
          tout.col(e) = da * tin[0]->col(ea);
        } else {
          tout.col(e) = db * tin[1]->col(eb);
        }
      }
    }
    return true;
  }
};

class Add final : public BinaryOp {
 public:
  std::string_view name() const override { return "add"; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    return inline_rule(ScalarRule::Builtin::add);
  }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = d[1] = 1.0;
    return x[0] + x[1];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    broadcast_apply(in[0], in[1], out, [](const auto& a, const auto& b) { return a + b; });
  }
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    return binary_tangent(in, out, tin, tout, [](double, double, double) {
      return std::pair{1.0, 1.0};
    });
  }
  // d(a+b)/da = 1, d(a+b)/db = 1, folded back to each input's shape.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    if (din[0]) accumulate(*din[0], dout);
    if (din[1]) accumulate(*din[1], dout);
  }
};

class Sub final : public BinaryOp {
 public:
  std::string_view name() const override { return "sub"; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    return inline_rule(ScalarRule::Builtin::sub);
  }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = 1.0;
    d[1] = -1.0;
    return x[0] - x[1];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    broadcast_apply(in[0], in[1], out, [](const auto& a, const auto& b) { return a - b; });
  }
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    return binary_tangent(in, out, tin, tout, [](double, double, double) {
      return std::pair{1.0, -1.0};
    });
  }
  // d(a-b)/da = 1, d(a-b)/db = -1.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    if (din[0]) accumulate(*din[0], dout);
    if (din[1]) {
      for (Index j = 0; j < dout.cols(); ++j) accumulate_col(*din[1], j, -dout.col(j).array());
    }
  }
};

class Mul final : public BinaryOp {
 public:
  std::string_view name() const override { return "mul"; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    return inline_rule(ScalarRule::Builtin::mul);
  }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = x[1];
    d[1] = x[0];
    return x[0] * x[1];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    broadcast_apply(in[0], in[1], out, [](const auto& a, const auto& b) { return a * b; });
  }
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    return binary_tangent(in, out, tin, tout, [](double a, double b, double) {
      return std::pair{b, a};
    });
  }
  // d(a⊙b)/da = b, d(a⊙b)/db = a.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      const auto d = dout.col(j).array();
      if (din[0])
        visit_col(in[1], j, rows, [&](const auto& b) { accumulate_col(*din[0], j, d * b); });
      if (din[1])
        visit_col(in[0], j, rows, [&](const auto& a) { accumulate_col(*din[1], j, d * a); });
    }
  }
};

class Div final : public BinaryOp {
 public:
  std::string_view name() const override { return "div"; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    return inline_rule(ScalarRule::Builtin::div);
  }
  double scalar_apply(const double* x, double* d) const override {
    const double quotient = x[0] / x[1];
    d[0] = 1.0 / x[1];
    d[1] = -quotient / x[1];
    return quotient;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    broadcast_apply(in[0], in[1], out, [](const auto& a, const auto& b) { return a / b; });
  }
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    return binary_tangent(in, out, tin, tout, [](double, double b, double quotient) {
      return std::pair{1.0 / b, -quotient / b};
    });
  }
  // d(a/b)/da = 1/b, d(a/b)/db = -a/b² = -(a/b)/b.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      const auto d = dout.col(j).array();
      const auto q = out.col(j).array();
      visit_col(in[1], j, rows, [&](const auto& b) {
        if (din[0]) accumulate_col(*din[0], j, d / b);
        if (din[1]) accumulate_col(*din[1], j, -d * q / b);
      });
    }
  }
};

class Neg final : public Op {
 public:
  std::string_view name() const override { return "neg"; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  std::optional<ScalarRule> scalar_rule(Shapes) const override {
    return inline_rule(ScalarRule::Builtin::neg);
  }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = -1.0;
    return -x[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = -in[0]; }
  bool forward_tangent(Inputs, const Matrix&, Tangents tin, Matrix& tout) const override {
    tout = -*tin[0];
    return true;
  }
  // d(-a)/da = -1.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    *din[0] -= dout;
  }
};

}  // namespace ops

Tensor operator+(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Add>(), {a, b});
}
Tensor operator-(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Sub>(), {a, b});
}
Tensor operator*(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Mul>(), {a, b});
}
Tensor operator/(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::Div>(), {a, b});
}
Tensor operator-(const Tensor& a) { return make_op(std::make_shared<ops::Neg>(), {a}); }

}  // namespace ed
