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
  // In place in `out`: no factor allocated per call.
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Index d = in[0].rows();
    bool factored;
    if (d >= 1 && d <= detail::kFixedCholesky) {  // Note [Fixed-order Cholesky]
      out.resize(d, d);
      factored = detail::fixed_cholesky(d, in[0].data(), out.data());
    } else {
      out = in[0];
      factored = d <= kLoopedSize
                     ? factor_looped(out)
                     : Eigen::LLT<Eigen::Ref<Matrix>, Eigen::Lower>(out).info() == Eigen::Success;
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
    if (d >= 1 && d <= detail::kFixedCholesky) {
      detail::fixed_cholesky_backward(d, out.data(), dout.data(), din[0]->data());
    } else if (d <= kLoopedSize) {
      backward_looped(out, dout, *din[0], ctx);
    } else {
      backward_blocked(out, dout, *din[0], ctx);
    }
  }

 private:
  // Up to this size (from kFixedCholesky + 1) the factor and its gradient are plain loops down
  // contiguous columns: the blocked forms (Eigen's LLT, triangular products and solves) spend more
  // time packing and dispatching than computing on the small covariances of GP models (11 × 11 in
  // posteriordb's gp_pois_regr: forward and backward 1.75 → 0.67 µs, 24 × 24 6.7 → 3.0 µs).
  static constexpr Index kLoopedSize = 32;

  // The right-looking (outer-product) Cholesky in place on the lower triangle; false when a
  // pivot is not positive. At these sizes the time is the chain from one pivot to the next, so
  // the trailing block takes A ← A − c·cᵀ/p with the column c unscaled: one division on the
  // chain, where dividing c by √p first put a square root and a division on it (11 × 11:
  // 0.21 → 0.19 µs). The column is scaled by 1/√p = √p/p afterwards, off the chain.
  static bool factor_looped(Matrix& a) {
    const Index d = a.rows();
    for (Index j = 0; j < d; ++j) {
      const double pivot = a(j, j);
      if (!(pivot > 0.0)) return false;
      const double reciprocal = 1.0 / pivot;
      double* column = &a(0, j);
      for (Index k = j + 1; k < d; ++k) {
        const double ckj = column[k] * reciprocal;
        double* target = &a(0, k);
        for (Index i = k; i < d; ++i) target[i] -= column[i] * ckj;
      }
      const double ljj = std::sqrt(pivot), scale = ljj * reciprocal;
      column[j] = ljj;
      for (Index i = j + 1; i < d; ++i) column[i] *= scale;
    }
    return true;
  }

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

  // The forward algorithm's own steps in reverse (Smith 1995), column by column from the last:
  //   L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj (i > j),  L_jj = √(A_jj − Σ_{k<j} L_jk²),
  // with the updates of earlier columns' adjoints as column operations. The same gradient as
  // the blocked form (the test checks both against finite differences).
  static void backward_looped(const Matrix& l, const Matrix& dout, Matrix& da, OpContext& ctx) {
    ctx.scratch.resize(2);
    Matrix& lbar = ctx.scratch[0];
    lbar = dout.triangularView<Eigen::Lower>();
    // The reciprocals of the diagonal up front, off the chain from column to column.
    Matrix& reciprocals = ctx.scratch[1];
    reciprocals = l.diagonal().cwiseInverse();
    const Index d = l.rows();
    for (Index j = d - 1; j >= 0; --j) {
      const double reciprocal = reciprocals(j, 0);
      // The entries under the diagonal: t̄_i = L̄_ij / L_jj.
      double* tbar = &lbar(0, j);
      const double* lj = &l(0, j);
      double* daj = &da(0, j);
      double diagonal = 0.0;
      for (Index i = j + 1; i < d; ++i) {
        tbar[i] *= reciprocal;
        diagonal += tbar[i] * lj[i];
        daj[i] += tbar[i];
      }
      // The diagonal: s̄ = (L̄_jj − Σ_i t̄_i L_ij) / (2 L_jj).
      const double sbar = 0.5 * (lbar(j, j) - diagonal) * reciprocal;
      daj[j] += sbar;
      // The earlier columns k < j: L̄_ik −= t̄_i L_jk, and L̄_jk −= Σ_i t̄_i L_ik + 2 s̄ L_jk, in
      // one pass.
      for (Index k = 0; k < j; ++k) {
        const double* lk = &l(0, k);
        double* lbark = &lbar(0, k);
        const double ljk = lk[j];
        double dot = 0.0;
        for (Index i = j + 1; i < d; ++i) {
          dot += tbar[i] * lk[i];
          lbark[i] -= tbar[i] * ljk;
        }
        lbark[j] -= dot + 2.0 * sbar * ljk;
      }
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
