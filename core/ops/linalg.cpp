// TriangularSolve, Cholesky, DiagPart, LogDeterminant and Inverse ops.
#include "edpp/core/ops/linalg.hpp"

#include <Eigen/Dense>

#include <cmath>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/small_cholesky.hpp"
#include "edpp/core/shape.hpp"

namespace ed {
namespace ops {

namespace {
void require_square(std::string_view op, const Shape& a) {
  if (a.rows != Dynamic && a.cols != Dynamic && a.rows != a.cols) {
    detail::fail(op, "needs a square matrix, got shape " + to_string(a));
  }
}
}  // namespace

class TriangularSolve final : public Op {
 public:
  std::string_view name() const override { return "triangular_solve"; }
  Shape shape(Shapes in) const override {
    const Shape l = in[0], b = in[1];
    const bool square = l.rows == Dynamic || l.cols == Dynamic || l.rows == l.cols;
    const bool fits = l.cols == Dynamic || b.rows == Dynamic || l.cols == b.rows;
    if (!square || !fits) {
      detail::fail(name(), "shapes " + to_string(l) + " and " + to_string(b) +
                               " do not fit (L must be square with as many columns as B has rows)");
    }
    return b;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0].triangularView<Eigen::Lower>().solve(in[1]);
  }
  // X = L⁻¹B:  dB = L⁻ᵀ dX,  dL = −dB Xᵀ restricted to the lower triangle.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    ctx.scratch.resize(1);
    Matrix& db = ctx.scratch[0];
    db = in[0].triangularView<Eigen::Lower>().transpose().solve(dout);
    if (din[1]) *din[1] += db;
    if (din[0]) din[0]->triangularView<Eigen::Lower>() -= db * out.transpose();
  }
};

class Cholesky final : public Op {
 public:
  std::string_view name() const override { return "cholesky"; }
  Shape shape(Shapes in) const override {
    if (in[0].rows != Dynamic && in[0].cols != Dynamic && in[0].rows != in[0].cols) {
      detail::fail(name(), "needs a square matrix, got shape " + to_string(in[0]));
    }
    return in[0];
  }
  // No factor allocated per call: into `out`, or in place in it.
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Index d = in[0].rows();
    bool factored;
    if (d >= 1 && d <= detail::kSmallCholesky) {  // Note [Small Cholesky]
      out.resize(d, d);
      factored = detail::small_cholesky(d, in[0].data(), out.data());
    } else {
      out = in[0];
      factored = Eigen::LLT<Eigen::Ref<Matrix>, Eigen::Lower>(out).info() == Eigen::Success;
      out.triangularView<Eigen::StrictlyUpper>().setZero();
    }
    if (!factored || !in[0].allFinite()) {
      detail::fail(name(),
                   "the " + to_string(shape_of(in[0])) + " matrix is not positive definite");
    }
  }
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Index d = out.rows();
    if (d >= 1 && d <= detail::kSmallCholesky) {
      detail::small_cholesky_backward(d, out.data(), dout.data(), din[0]->data());
    } else {
      backward_blocked(out, dout, *din[0], ctx);
    }
  }

 private:
  // Murray (2016): with P = Φ(Lᵀ L̄) (the lower triangle, diagonal halved), the symmetric
  // gradient is Ā = sym(L⁻ᵀ P L⁻¹). Only A's lower triangle was read, so an entry below the
  // diagonal stands for both A_ij and A_ji: it receives 2Ā_ij, the diagonal Ā_ii.
  static void backward_blocked(const Matrix& l, const Matrix& dout, Matrix& da, OpContext& ctx) {
    ctx.scratch.resize(2);
    Matrix& p = ctx.scratch[0];
    Matrix& s = ctx.scratch[1];
    const auto lower = l.triangularView<Eigen::Lower>();
    p.noalias() = l.transpose() * dout.triangularView<Eigen::Lower>();
    p.triangularView<Eigen::StrictlyUpper>().setZero();
    p.diagonal() *= 0.5;
    s = lower.transpose().solve(p);                          // L⁻ᵀ P
    s = lower.transpose().solve(s.transpose()).transpose();  // (L⁻ᵀ P) L⁻¹
    const Index d = l.rows();
    for (Index j = 0; j < d; ++j) {
      da(j, j) += s(j, j);
      for (Index i = j + 1; i < d; ++i) da(i, j) += s(i, j) + s(j, i);
    }
  }
};

class DiagPart final : public Op {
 public:
  std::string_view name() const override { return "diag_part"; }
  Shape shape(Shapes in) const override {
    if (in[0].rows != Dynamic && in[0].cols != Dynamic && in[0].rows != in[0].cols) {
      detail::fail(name(), "needs a square matrix, got shape " + to_string(in[0]));
    }
    return {in[0].rows == Dynamic ? in[0].cols : in[0].rows, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0].diagonal(); }
  // Only the diagonal receives the gradient.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din, OpContext&) const override {
    din[0]->diagonal() += dout.col(0);
  }
};

/// A square matrix with a scalar (1×1) or a vector (d×1 or 1×d) added to its diagonal.
class AddDiag final : public Op {
 public:
  std::string_view name() const override { return "add_diag"; }
  Shape shape(Shapes in) const override {
    require_square(name(), in[0]);
    const Shape m = in[0], v = in[1];
    const Index d = m.rows == Dynamic ? m.cols : m.rows;
    const bool scalar = v.rows == 1 && v.cols == 1;
    const bool column = v.cols == 1 && (v.rows == Dynamic || d == Dynamic || v.rows == d);
    const bool row = v.rows == 1 && (v.cols == Dynamic || d == Dynamic || v.cols == d);
    if (!scalar && !column && !row) {
      detail::fail(name(), "the diagonal " + to_string(v) + " fits neither as a scalar nor as " +
                               "a vector along the " + to_string(m) + " matrix");
    }
    return m;
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = in[0];
    if (in[1].size() == 1) {
      out.diagonal().array() += in[1](0, 0);
    } else {
      out.diagonal() += in[1].reshaped();
    }
  }
  // Note [Assigned gradients]: both gradients are written whole, so a fresh one is assigned.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    if (din[0]) {
      if (ctx.assigns(0)) {
        *din[0] = dout;
      } else {
        *din[0] += dout;
      }
    }
    if (!din[1]) return;
    const bool assign = ctx.assigns(1);
    if (in[1].size() == 1) {
      double& g = (*din[1])(0, 0);
      g = (assign ? 0.0 : g) + dout.diagonal().sum();
    } else if (assign) {
      din[1]->reshaped() = dout.diagonal();
    } else {
      din[1]->reshaped() += dout.diagonal();
    }
  }
  bool assigns_gradient(Inputs, std::size_t i) const override { return i < 2; }
};

/// log |det A| of a square A by LU with partial pivoting; −inf for a singular A.
/// Scratch: [0] A⁻ᵀ, kept for backward.
class LogDeterminant final : public Op {
 public:
  std::string_view name() const override { return "log_determinant"; }
  Shape shape(Shapes in) const override {
    require_square(name(), in[0]);
    return {1, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Eigen::PartialPivLU<Matrix> lu(in[0]);
    out.resize(1, 1);
    out(0, 0) = lu.matrixLU().diagonal().array().abs().log().sum();
    ctx.scratch.resize(1);
    ctx.scratch[0] = lu.inverse().transpose();
  }
  // d log |det A| = A⁻ᵀ.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    *din[0] += dout(0, 0) * ctx.scratch[0];
  }
};

/// A⁻¹ of a square A by LU with partial pivoting.
class Inverse final : public Op {
 public:
  std::string_view name() const override { return "inverse"; }
  Shape shape(Shapes in) const override {
    require_square(name(), in[0]);
    return in[0];
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    out = Eigen::PartialPivLU<Matrix>(in[0]).inverse();
  }
  // d(A⁻¹) = −A⁻¹ dA A⁻¹, so Ā = −A⁻ᵀ B̄ A⁻ᵀ with B = A⁻¹ the output.
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    din[0]->noalias() -= out.transpose() * dout * out.transpose();
  }
};

}  // namespace ops

Tensor triangular_solve(const Tensor& lower, const Tensor& b) {
  return make_op(std::make_shared<ops::TriangularSolve>(), {lower, b});
}
Tensor cholesky(const Tensor& a) { return make_op(std::make_shared<ops::Cholesky>(), {a}); }
Tensor diag_part(const Tensor& m) { return make_op(std::make_shared<ops::DiagPart>(), {m}); }
Tensor add_diag(const Tensor& m, const Tensor& d) {
  return make_op(std::make_shared<ops::AddDiag>(), {m, d});
}
Tensor log_determinant(const Tensor& a) {
  return make_op(std::make_shared<ops::LogDeterminant>(), {a});
}
Tensor inverse(const Tensor& a) { return make_op(std::make_shared<ops::Inverse>(), {a}); }

}  // namespace ed
