// LogSumExp, Softmax and LogSoftmax, sharing one stable kernel.
#include "edpp/core/ops/softmax.hpp"

#include <limits>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/shape.hpp"

namespace ed {
namespace ops {

namespace {

// Writes the softmax of x along `axis` into w and the log-sum-exp into lse (R×1 or 1×C); `sums`
// is a work vector. The maximum is shifted out first; a non-finite maximum (a row of −inf, or a
// +inf entry) is replaced by 0 so that the shift itself never produces NaN.
void softmax_kernel(const Matrix& x, int axis, Matrix& w, Matrix& lse, Matrix& sums) {
  if ((axis == 1 ? x.cols() : x.rows()) == 0) {  // an empty sum: log 0 = −inf
    w.resize(x.rows(), x.cols());
    lse.setConstant(-std::numeric_limits<double>::infinity());
    return;
  }
  if (axis == 1) {
    lse = x.rowwise().maxCoeff();
    lse = lse.array().isFinite().select(lse, 0.0);
    w = (x.colwise() - lse.col(0)).array().exp();
    sums = w.rowwise().sum();
    w.array().colwise() /= sums.col(0).array();
  } else {
    lse = x.colwise().maxCoeff();
    lse = lse.array().isFinite().select(lse, 0.0);
    w = (x.rowwise() - lse.row(0)).array().exp();
    sums = w.colwise().sum();
    w.array().rowwise() /= sums.row(0).array();
  }
  lse.array() += sums.array().log();
}

// Work matrices kept in the node's scratch between forward and backward.
Matrix& weights(OpContext& ctx) {
  ctx.scratch.resize(3);
  return ctx.scratch[0];
}
Matrix& lse_buffer(OpContext& ctx) {
  ctx.scratch.resize(3);
  return ctx.scratch[1];
}
Matrix& sums_buffer(OpContext& ctx) {
  ctx.scratch.resize(3);
  return ctx.scratch[2];
}

}  // namespace

/// The three ops differ only in what they output and how dout flows back.
class SoftmaxFamily : public Op {
 public:
  explicit SoftmaxFamily(int axis) : axis_(axis) {}
  // Across each row's columns (axis 1) every row is computed on its own.
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return axis_ == 1 && unsharded_inputs_broadcast(in, sharded);
  }

 protected:
  Shape reduced(const Shape& x) const { return axis_ == 1 ? Shape{x.rows, 1} : Shape{1, x.cols}; }
  // g += w ⊙ (dout − s), with s (one value per row for axis 1, per column for axis 0) broadcast.
  void subtract_weighted(Matrix& g, const Matrix& w, const Matrix& dout, const Matrix& s) const {
    if (axis_ == 1) {
      g.array() += w.array() * (dout.colwise() - s.col(0)).array();
    } else {
      g.array() += w.array() * (dout.rowwise() - s.row(0)).array();
    }
  }
  // s = Σ of m along the axis, written into an existing buffer.
  template <class Expr>
  void axis_sum(const Expr& m, Matrix& s) const {
    if (axis_ == 1) {
      s = m.rowwise().sum();
    } else {
      s = m.colwise().sum();
    }
  }
  int axis_;
};

class LogSumExp final : public SoftmaxFamily {
 public:
  using SoftmaxFamily::SoftmaxFamily;
  std::string_view name() const override { return "logsumexp"; }
  Shape shape(Shapes in) const override { return reduced(in[0]); }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    softmax_kernel(in[0], axis_, weights(ctx), out, sums_buffer(ctx));
  }
  // d lse / dx = softmax(x): din += softmax ⊙ dout broadcast along the axis.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& w = weights(ctx);
    if (axis_ == 1) {
      din[0]->array() += w.array().colwise() * dout.col(0).array();
    } else {
      din[0]->array() += w.array().rowwise() * dout.row(0).array();
    }
  }
};

class Softmax final : public SoftmaxFamily {
 public:
  using SoftmaxFamily::SoftmaxFamily;
  std::string_view name() const override { return "softmax"; }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    softmax_kernel(in[0], axis_, out, lse_buffer(ctx), sums_buffer(ctx));
  }
  // dy_i/dx_j = y_i(δ_ij − y_j): din += y ⊙ (dout − Σ_axis dout ⊙ y).
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    Matrix& s = sums_buffer(ctx);
    axis_sum(dout.cwiseProduct(out), s);
    subtract_weighted(*din[0], out, dout, s);
  }
};

class LogSoftmax final : public SoftmaxFamily {
 public:
  using SoftmaxFamily::SoftmaxFamily;
  std::string_view name() const override { return "log_softmax"; }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    Matrix& lse = lse_buffer(ctx);
    softmax_kernel(in[0], axis_, weights(ctx), lse, sums_buffer(ctx));
    if (axis_ == 1) {
      out = in[0].colwise() - lse.col(0);
    } else {
      out = in[0].rowwise() - lse.row(0);
    }
  }
  // d(x − lse)/dx: din += dout − softmax ⊙ Σ_axis dout.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& w = weights(ctx);
    Matrix& s = sums_buffer(ctx);
    axis_sum(dout, s);
    *din[0] += dout;
    if (axis_ == 1) {
      din[0]->array() -= w.array().colwise() * s.col(0).array();
    } else {
      din[0]->array() -= w.array().rowwise() * s.row(0).array();
    }
  }
};

}  // namespace ops

namespace {
template <class OpT>
Tensor along(const Tensor& x, int axis, std::string_view name) {
  detail::check_axis(name, axis);
  return make_op(std::make_shared<OpT>(axis), {x});
}
}  // namespace

Tensor logsumexp(const Tensor& x, int axis) { return along<ops::LogSumExp>(x, axis, "logsumexp"); }
Tensor softmax(const Tensor& x, int axis) { return along<ops::Softmax>(x, axis, "softmax"); }
Tensor log_softmax(const Tensor& x, int axis) {
  return along<ops::LogSoftmax>(x, axis, "log_softmax");
}

}  // namespace ed
