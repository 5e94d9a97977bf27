// Elementwise unary ops: forward and derivative side by side.
#include "edpp/core/ops/unary.hpp"

#include <cmath>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/simd/kernels.hpp"

namespace ed {
namespace ops {

/// Shared by elementwise ops: the output has the input's shape.
class UnaryOp : public Op {
 public:
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  // Note [Forward tangents]: an elementwise op's Jacobian is diagonal, and its backward with
  // dout = 1 writes that diagonal, f'(x); each element's tangent column is scaled by it. (The
  // buffers are per thread: ops are shared between programs and threads.)
  bool forward_tangent(Inputs in, const Matrix& out, Tangents tin, Matrix& tout) const override {
    thread_local Matrix ones, derivative;
    thread_local std::vector<Matrix> scratch;
    thread_local Rng unused;
    ones.setOnes(out.rows(), out.cols());
    derivative.setZero(out.rows(), out.cols());
    Matrix* grads[] = {&derivative};
    OpContext ctx{unused, scratch};
    backward(in, out, ones, grads, ctx);
    tout = *tin[0] *
           Eigen::Map<const Eigen::VectorXd>(derivative.data(), derivative.size()).asDiagonal();
    return true;
  }
  // Note [Scalar tapes]: any elementwise op runs on one element through its own forward and
  // backward on 1×1 matrices; the common ones override scalar_apply with the formula, which is
  // several times cheaper.
  std::optional<ScalarRule> scalar_rule(Shapes) const override { return ScalarRule{}; }
  double scalar_apply(const double* x, double* d) const override {
    thread_local Matrix in(1, 1), out(1, 1), ones = Matrix::Ones(1, 1), derivative(1, 1);
    thread_local std::vector<Matrix> scratch;
    thread_local Rng unused;
    in(0, 0) = *x;
    const Matrix* values[] = {&in};
    OpContext ctx{unused, scratch};
    forward(Inputs(values, 1), out, ctx);
    derivative(0, 0) = 0.0;
    Matrix* grads[] = {&derivative};
    backward(Inputs(values, 1), out, ones, grads, ctx);
    *d = derivative(0, 0);
    return out(0, 0);
  }
};

class Exp final : public UnaryOp {
 public:
  std::string_view name() const override { return "exp"; }
  std::optional<std::size_t> exp_of_input() const override { return 0; }
  std::optional<Matrix> inverse(const Matrix& out) const override {
    return Matrix(out.array().log());
  }
  double scalar_apply(const double* x, double* d) const override {
    const double value = std::exp(x[0]);
    d[0] = value;
    return value;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out.resize(in[0].rows(), in[0].cols());
    simd::kernels().exp(in[0].size(), in[0].data(), out.data());
  }
  // d eˣ = eˣ = out.
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * out.array();
  }
};

class Log final : public UnaryOp {
 public:
  std::string_view name() const override { return "log"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = 1.0 / x[0];
    return std::log(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().log(); }
  // d log x = 1 / x.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() / in[0].array();
  }
};

class Log1p final : public UnaryOp {
 public:
  std::string_view name() const override { return "log1p"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = 1.0 / (1.0 + x[0]);
    return std::log1p(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().log1p(); }
  // d log(1 + x) = 1 / (1 + x).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() / (1.0 + in[0].array());
  }
};

class Expm1 final : public UnaryOp {
 public:
  std::string_view name() const override { return "expm1"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = std::exp(x[0]);
    return std::expm1(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().expm1(); }
  // d (eˣ − 1) = eˣ = out + 1.
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * (out.array() + 1.0);
  }
};

class Sqrt final : public UnaryOp {
 public:
  std::string_view name() const override { return "sqrt"; }
  double scalar_apply(const double* x, double* d) const override {
    const double value = std::sqrt(x[0]);
    d[0] = 0.5 / value;
    return value;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().sqrt(); }
  // d √x = 1 / (2√x).
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += 0.5 * dout.array() / out.array();
  }
};

class Square final : public UnaryOp {
 public:
  std::string_view name() const override { return "square"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = 2.0 * x[0];
    return x[0] * x[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().square(); }
  // d x² = 2x.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += 2.0 * dout.array() * in[0].array();
  }
};

class Abs final : public UnaryOp {
 public:
  std::string_view name() const override { return "abs"; }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().abs(); }
  // d |x| = sign(x), taken as 0 at 0.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * in[0].array().sign();
  }
};

class Pow final : public UnaryOp {
 public:
  explicit Pow(double p) : p_(p) {}
  std::string_view name() const override { return "pow"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = p_ == 0.0 ? 0.0 : p_ * std::pow(x[0], p_ - 1.0);
    return std::pow(x[0], p_);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().pow(p_); }
  // d xᵖ = p xᵖ⁻¹ (written so that p = 1 gives 1 at x = 0).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (p_ == 0.0) return;
    din[0]->array() += p_ * dout.array() * in[0].array().pow(p_ - 1.0);
  }

 private:
  double p_;
};

class Tanh final : public UnaryOp {
 public:
  std::string_view name() const override { return "tanh"; }
  double scalar_apply(const double* x, double* d) const override {
    const double value = std::tanh(x[0]);
    d[0] = 1.0 - value * value;
    return value;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().tanh(); }
  // d tanh x = 1 − tanh² x.
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * (1.0 - out.array().square());
  }
};

class Sin final : public UnaryOp {
 public:
  std::string_view name() const override { return "sin"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = std::cos(x[0]);
    return std::sin(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().sin(); }
  // d sin x = cos x.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * in[0].array().cos();
  }
};

class Cos final : public UnaryOp {
 public:
  std::string_view name() const override { return "cos"; }
  double scalar_apply(const double* x, double* d) const override {
    d[0] = -std::sin(x[0]);
    return std::cos(x[0]);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].array().cos(); }
  // d cos x = −sin x.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() -= dout.array() * in[0].array().sin();
  }
};

class Sigmoid final : public UnaryOp {
 public:
  std::string_view name() const override { return "sigmoid"; }
  // σ(x) = 1/(1 + e⁻ˣ) for x ≥ 0 and eˣ/(1 + eˣ) for x < 0: e^−|x| never overflows.
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const auto x = in[0].array();
    out = (-x.abs()).exp();
    out = (x >= 0.0).select(1.0 / (1.0 + out.array()), out.array() / (1.0 + out.array()));
  }
  // d σ(x) = σ(x)(1 − σ(x)).
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * out.array() * (1.0 - out.array());
  }
};

class LogSigmoid final : public UnaryOp {
 public:
  std::string_view name() const override { return "log_sigmoid"; }
  // log σ(x) = min(x, 0) − log1p(e^−|x|).
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const auto x = in[0].array();
    out = x.min(0.0) - (-x.abs()).exp().log1p();
  }
  // d log σ(x) = 1 − σ(x) = σ(−x) = e^(log σ(x) − x), which stays finite; written stably as
  // e^−|x|/(1 + e^−|x|) for x ≥ 0 and 1/(1 + e^−|x|) for x < 0.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const auto x = in[0].array();
    Matrix& e = scratch(ctx, in[0]);
    e = (-x.abs()).exp();
    din[0]->array() +=
        dout.array() * (x >= 0.0).select(e.array() / (1.0 + e.array()), 1.0 / (1.0 + e.array()));
  }

 private:
  static Matrix& scratch(OpContext& ctx, const Matrix& like) {
    ctx.scratch.resize(1);
    ctx.scratch[0].resize(like.rows(), like.cols());
    return ctx.scratch[0];
  }
};

class Softplus final : public UnaryOp {
 public:
  std::string_view name() const override { return "softplus"; }
  // y = log(1 + eˣ) ⇔ x = log(eʸ − 1) = y + log(1 − e⁻ʸ), accurate for large y.
  std::optional<Matrix> inverse(const Matrix& out) const override {
    return Matrix(out.array() + (-(-out.array()).exp()).log1p());
  }
  // log(1 + eˣ) = max(x, 0) + log1p(e^−|x|).
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const auto x = in[0].array();
    out = x.max(0.0) + (-x.abs()).exp().log1p();
  }
  // d softplus(x) = σ(x) = e^(x − softplus(x)), finite and accurate in both tails.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->array() += dout.array() * (in[0].array() - out.array()).exp();
  }
};

class Relu final : public UnaryOp {
 public:
  std::string_view name() const override { return "relu"; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out.resize(in[0].rows(), in[0].cols());
    simd::kernels().relu(in[0].size(), in[0].data(), out.data());
  }
  // d max(x, 0) = [x > 0].
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    simd::kernels().relu_backward(in[0].size(), in[0].data(), dout.data(), din[0]->data());
  }
};

}  // namespace ops

namespace {
template <class OpT, class... Args>
Tensor unary(const Tensor& x, Args... args) {
  return make_op(std::make_shared<OpT>(args...), {x});
}
}  // namespace

Tensor exp(const Tensor& x) { return unary<ops::Exp>(x); }
Tensor log(const Tensor& x) { return unary<ops::Log>(x); }
Tensor log1p(const Tensor& x) { return unary<ops::Log1p>(x); }
Tensor expm1(const Tensor& x) { return unary<ops::Expm1>(x); }
Tensor sqrt(const Tensor& x) { return unary<ops::Sqrt>(x); }
Tensor square(const Tensor& x) { return unary<ops::Square>(x); }
Tensor abs(const Tensor& x) { return unary<ops::Abs>(x); }
Tensor pow(const Tensor& x, double p) { return unary<ops::Pow>(x, p); }
Tensor tanh(const Tensor& x) { return unary<ops::Tanh>(x); }
Tensor sin(const Tensor& x) { return unary<ops::Sin>(x); }
Tensor cos(const Tensor& x) { return unary<ops::Cos>(x); }
Tensor sigmoid(const Tensor& x) { return unary<ops::Sigmoid>(x); }
Tensor log_sigmoid(const Tensor& x) { return unary<ops::LogSigmoid>(x); }
Tensor softplus(const Tensor& x) { return unary<ops::Softplus>(x); }
Tensor relu(const Tensor& x) {
  // A dense layer's relu joins its affine op (one pass instead of three, and one backward).
  if (auto fused = detail::relu_of_affine(x)) return *fused;
  return unary<ops::Relu>(x);
}
Tensor identity(const Tensor& x) { return x; }

}  // namespace ed
