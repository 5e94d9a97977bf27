// MatMul, Affine (and relu of it) and Transpose ops.
#include "edpp/core/ops/matmul.hpp"

#include <Eigen/Dense>
#include <typeinfo>

#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"
#include "edpp/core/simd/kernels.hpp"

namespace ed {
namespace ops {

namespace {
// The products through the dispatched kernels (Note [SIMD dispatch]): out = a·b, and the two
// gradients din_a += dout·bᵀ, din_b += aᵀ·dout (assigned instead for an input marked fresh:
// Note [Assigned gradients]).
void product(const Matrix& a, const Matrix& b, Matrix& out) {
  out.resize(a.rows(), b.cols());
  simd::kernels().gemm(false, false, a.rows(), b.cols(), a.cols(), 1.0, a.data(), a.rows(),
                       b.data(), b.rows(), 0.0, out.data(), out.rows());
}
void product_gradients(const Matrix& a, const Matrix& b, const Matrix& dout, Grads din,
                       const OpContext& ctx) {
  const simd::Kernels& k = simd::kernels();
  if (Matrix* din_a = din[0]) {
    k.gemm(false, true, a.rows(), a.cols(), b.cols(), 1.0, dout.data(), dout.rows(), b.data(),
           b.rows(), ctx.assigns(0) ? 0.0 : 1.0, din_a->data(), din_a->rows());
  }
  if (Matrix* din_b = din[1]) {
    k.gemm(true, false, b.rows(), b.cols(), a.rows(), 1.0, a.data(), a.rows(), dout.data(),
           dout.rows(), ctx.assigns(1) ? 0.0 : 1.0, din_b->data(), din_b->rows());
  }
}
// The products write every entry of both gradients (β = 0 never reads them).
bool product_assigns(std::size_t i) { return i < 2; }
}  // namespace

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
  void forward(Inputs in, Matrix& out, OpContext&) const override { product(in[0], in[1], out); }
  // d(AB)/dA = dout·Bᵀ, d(AB)/dB = Aᵀ·dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    product_gradients(in[0], in[1], dout, din, ctx);
  }
  bool assigns_gradient(Inputs, std::size_t i) const override { return product_assigns(i); }
};

class Affine : public Op {
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
    affine_forward(in, false, out);
  }
  // As matmul for x and w; the bias collects the column sums of dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    product_gradients(in[0], in[1], dout, din, ctx);
    if (din[2])
      simd::kernels().add_column_sums(dout.rows(), dout.cols(), dout.data(), din[2]->data());
  }
  bool assigns_gradient(Inputs, std::size_t i) const override { return product_assigns(i); }

 protected:
  static void affine_forward(Inputs in, bool relu, Matrix& out) {
    const Matrix &x = in[0], &w = in[1];
    out.resize(x.rows(), w.cols());
    simd::kernels().affine(x.rows(), w.cols(), x.cols(), x.data(), x.rows(), w.data(), w.rows(),
                           in[2].data(), relu, out.data(), out.rows());
  }
};

// relu(affine(x, w, b)) as one op: the bias and the relu are applied in the product's epilogue,
// and the backward pass masks dout once into scratch (no zeroed gradient buffer for the
// pre-activation, no separate passes for the bias and the relu).
class AffineRelu final : public Affine {
 public:
  std::string_view name() const override { return "affine_relu"; }
  void forward(Inputs in, Matrix& out, OpContext&) const override { affine_forward(in, true, out); }
  // d relu(a)/da = [a > 0] = [out > 0]; then as affine with the masked gradient.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    ctx.scratch.resize(1);
    Matrix& masked = ctx.scratch[0];
    masked.resize(dout.rows(), dout.cols());
    simd::kernels().relu_mask(dout.rows(), dout.cols(), out.data(), dout.data(), masked.data(),
                              din[2] ? din[2]->data() : nullptr);
    product_gradients(in[0], in[1], masked, din, ctx);
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

namespace detail {
std::optional<Tensor> relu_of_affine(const Tensor& x) {
  const auto& node = x.node();
  if (!node || node->kind != NodeKind::op) return std::nullopt;
  const Op& op = *node->op;
  if (typeid(op) != typeid(ops::Affine)) return std::nullopt;
  const auto& in = node->inputs;
  return make_op(std::make_shared<ops::AffineRelu>(),
                 {Tensor(in[0]), Tensor(in[1]), Tensor(in[2])});
}
}  // namespace detail

}  // namespace ed
