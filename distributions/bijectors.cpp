// The stick-breaking op, and the bijector functions (which ask the support for its own).
#include "edpp/distributions/bijectors.hpp"

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"

namespace ed {

namespace ops {

/// Stick-breaking from ℝ^(K−1) onto the K-simplex, row by row; with `log_det`, the output is
/// instead log |det J| per row: Σ_k [log z_k + log(1 − z_k) + log rest_k].
class StickBreaking final : public Op {
 public:
  explicit StickBreaking(bool log_det) : log_det_(log_det) {}
  std::string_view name() const override {
    return log_det_ ? "stick_breaking_log_det" : "stick_breaking";
  }
  Shape shape(Shapes in) const override {
    if (log_det_) return {in[0].rows, 1};
    return {in[0].rows, in[0].cols == Dynamic ? Dynamic : in[0].cols + 1};
  }
  // Scratch: z (R×(K−1)) and rest (R×(K−1)), the stick left before each break.
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Matrix& u = in[0];
    const Index k1 = u.cols();
    ctx.scratch.resize(2);
    Matrix& z = ctx.scratch[0];
    Matrix& rest = ctx.scratch[1];
    z.resize(u.rows(), k1);
    rest.resize(u.rows(), k1);
    Eigen::ArrayXd remaining = Eigen::ArrayXd::Ones(u.rows());
    if (log_det_) out.setZero();
    for (Index k = 0; k < k1; ++k) {
      const double offset = std::log(static_cast<double>(k1 - k));
      const Eigen::ArrayXd t = u.col(k).array() - offset;
      z.col(k) = (1.0 / (1.0 + (-t).exp())).matrix();
      rest.col(k) = remaining.matrix();
      if (log_det_) {
        // log z + log(1 − z) = −softplus(−t) − softplus(t)
        const Eigen::ArrayXd sp_pos = t.max(0.0) + (-t.abs()).exp().log1p();
        const Eigen::ArrayXd sp_neg = (-t).max(0.0) + (-t.abs()).exp().log1p();
        out.col(0).array() += -sp_pos - sp_neg + remaining.log();
      } else {
        out.col(k) = (remaining * z.col(k).array()).matrix();
      }
      remaining -= remaining * z.col(k).array();
    }
    if (!log_det_) out.col(k1) = remaining.matrix();
  }
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& z = ctx.scratch[0];
    const Matrix& rest = ctx.scratch[1];
    const Index k1 = in[0].cols();
    if (log_det_) {
      // d/du_k of [log z_k + log(1 − z_k)] = 1 − 2 z_k; log rest_j (j > k) depends on u_k
      // through rest_j = rest_k Π (1 − z): d log rest_j / du_k = −z_k for every j > k.
      for (Index k = 0; k < k1; ++k) {
        const double later = static_cast<double>(k1 - 1 - k);
        din[0]->col(k).array() +=
            dout.col(0).array() * ((1.0 - 2.0 * z.col(k).array()) - later * z.col(k).array());
      }
      return;
    }
    // Reverse sweep: x_k = rest_k z_k, rest_{k+1} = rest_k (1 − z_k), x_{K−1} = rest_{K−1}.
    Eigen::ArrayXd d_rest = dout.col(k1).array();
    for (Index k = k1 - 1; k >= 0; --k) {
      const auto zk = z.col(k).array();
      const Eigen::ArrayXd dz = rest.col(k).array() * (dout.col(k).array() - d_rest);
      d_rest = d_rest * (1.0 - zk) + dout.col(k).array() * zk;
      din[0]->col(k).array() += dz * zk * (1.0 - zk);
    }
  }

 private:
  bool log_det_;
};

/// x₀ = u₀, x_k = x_{k−1} + exp(u_k), row by row.
class OrderedTransform final : public Op {
 public:
  std::string_view name() const override { return "ordered_transform"; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& u = in[0];
    out.col(0) = u.col(0);
    for (Index k = 1; k < u.cols(); ++k)
      out.col(k) = out.col(k - 1) + u.col(k).array().exp().matrix();
  }
  // x_k depends on u₀ (slope 1) and on u_j for 1 ≤ j ≤ k (slope exp(u_j)): a reverse
  // cumulative sum of the output gradient.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& u = in[0];
    ctx.scratch.resize(1);
    Matrix& tail = ctx.scratch[0];
    tail = dout.col(u.cols() - 1);
    for (Index k = u.cols() - 1; k >= 1; --k) {
      din[0]->col(k).array() += tail.array() * u.col(k).array().exp();
      tail += dout.col(k - 1);
    }
    din[0]->col(0) += tail;
  }
};

}  // namespace ops

namespace detail {
Tensor ordered_transform(const Tensor& u) {
  return make_op(std::make_shared<ops::OrderedTransform>(), {u});
}

Tensor stick_breaking(const Tensor& u, bool log_det) {
  return make_op(std::make_shared<ops::StickBreaking>(log_det), {u});
}
}  // namespace detail

Tensor constrain(const Support& support, const Tensor& u) { return support.set().constrain(u); }

Tensor log_det_jacobian(const Support& support, const Tensor& u) {
  return support.set().log_det_jacobian(u);
}

Matrix unconstrain(const Support& support, const Matrix& x) { return support.set().unconstrain(x); }

Shape unconstrained_shape(const Support& support, Shape constrained) {
  return support.set().unconstrained_shape(constrained);
}

}  // namespace ed
