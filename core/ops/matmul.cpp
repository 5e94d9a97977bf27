// MatMul and Transpose ops.
#include "core/ops/matmul.hpp"

#include <Eigen/Dense>

#include "core/op.hpp"
#include "core/shape.hpp"

namespace ed {
namespace ops {

class MatMul final : public Op {
 public:
  std::string_view name() const override { return "matmul"; }
  // Row i of x·w is row i of x times all of w.
  bool is_row_local(Shapes, std::span<const bool> sharded) const override { return !sharded[1]; }
  Shape shape(Shapes in) const override {
    const Index k_a = in[0].cols, k_b = in[1].rows;
    if (k_a != Dynamic && k_b != Dynamic && k_a != k_b) {
      detail::fail(name(), "shapes " + to_string(in[0]) + " and " + to_string(in[1]) +
                               " are not aligned (" + std::to_string(k_a) + " columns against " +
                               std::to_string(k_b) + " rows)");
    }
    return {in[0].rows, in[1].cols};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out.noalias() = in[0] * in[1]; }
  // d(AB)/dA = dout·Bᵀ, d(AB)/dB = Aᵀ·dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (din[0]) din[0]->noalias() += dout * in[1].transpose();
    if (din[1]) din[1]->noalias() += in[0].transpose() * dout;
  }
};

class Affine final : public Op {
 public:
  std::string_view name() const override { return "affine"; }
  bool is_row_local(Shapes, std::span<const bool> sharded) const override {
    return !sharded[1] && !sharded[2];
  }
  Shape shape(Shapes in) const override {
    const Shape out = MatMul().shape(in.first(2));
    if ((in[2].rows != Dynamic && in[2].rows != 1) ||
        (in[2].cols != Dynamic && out.cols != Dynamic && in[2].cols != out.cols)) {
      detail::fail(name(), "bias shape " + to_string(in[2]) + " does not match [1, " +
                               (out.cols == Dynamic ? std::string("?") : std::to_string(out.cols)) +
                               "]");
    }
    return out;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out.noalias() = in[0] * in[1];
    out.rowwise() += in[2].row(0);
  }
  // As matmul for x and w; the bias collects the column sums of dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (din[0]) din[0]->noalias() += dout * in[1].transpose();
    if (din[1]) din[1]->noalias() += in[0].transpose() * dout;
    if (din[2]) *din[2] += dout.colwise().sum();
  }
};

class Transpose final : public Op {
 public:
  std::string_view name() const override { return "transpose"; }
  Shape shape(Shapes in) const override { return {in[0].cols, in[0].rows}; }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].transpose(); }
  // The gradient of a transpose is the transposed gradient.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    *din[0] += dout.transpose();
  }
};

}  // namespace ops

Tensor matmul(const Tensor& a, const Tensor& b) {
  return make_op(std::make_shared<ops::MatMul>(), {a, b});
}
Tensor affine(const Tensor& x, const Tensor& w, const Tensor& b) {
  return make_op(std::make_shared<ops::Affine>(), {x, w, b});
}
Tensor transpose(const Tensor& a) { return make_op(std::make_shared<ops::Transpose>(), {a}); }

}  // namespace ed
