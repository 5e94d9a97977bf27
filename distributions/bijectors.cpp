// constrain / unconstrain for every continuous support.
#include "distributions/bijectors.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/op.hpp"
#include "core/ops.hpp"

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

}  // namespace ops

namespace {
Tensor stick_breaking(const Tensor& u, bool log_det) {
  return make_op(std::make_shared<ops::StickBreaking>(log_det), {u});
}

[[noreturn]] void no_bijector(const Support& support) {
  throw ed::invalid_argument("bijector: the " + to_string(support) +
                             " support is discrete and has no map from the real line");
}
}  // namespace

Tensor constrain(const Support& support, const Tensor& u) {
  switch (support.kind) {
    case Support::Kind::real:
      return u;
    case Support::Kind::positive:
      return exp(u);
    case Support::Kind::unit_interval:
      return sigmoid(u);
    case Support::Kind::interval:
      return support.low + (support.high - support.low) * sigmoid(u);
    case Support::Kind::simplex:
      return stick_breaking(u, false);
    default:
      no_bijector(support);
  }
}

Tensor log_det_jacobian(const Support& support, const Tensor& u) {
  switch (support.kind) {
    case Support::Kind::real:
      return broadcast_like(0.0, u);
    case Support::Kind::positive:
      return u;  // x = eᵘ
    case Support::Kind::unit_interval:
      return log_sigmoid(u) + log_sigmoid(-u);
    case Support::Kind::interval:
      return std::log(support.high - support.low) + log_sigmoid(u) + log_sigmoid(-u);
    case Support::Kind::simplex:
      return stick_breaking(u, true);
    default:
      no_bijector(support);
  }
}

Matrix unconstrain(const Support& support, const Matrix& x) {
  auto require = [&](bool ok) {
    if (!ok) {
      throw ed::invalid_argument("bijector: the value is outside the " + to_string(support) +
                                 " support");
    }
  };
  switch (support.kind) {
    case Support::Kind::real:
      return x;
    case Support::Kind::positive:
      require((x.array() > 0.0).all());
      return x.array().log().matrix();
    case Support::Kind::unit_interval:
    case Support::Kind::interval: {
      const Matrix p = (x.array() - support.low) / (support.high - support.low);
      require((p.array() > 0.0 && p.array() < 1.0).all());
      return (p.array().log() - (-p.array()).log1p()).matrix();
    }
    case Support::Kind::simplex: {
      // Invert the breaks: z_k = x_k / rest_k, u_k = logit(z_k) + log(K−1−k).
      require(x.cols() >= 2 && (x.array() > 0.0).all());
      const Index k1 = x.cols() - 1;
      Matrix u(x.rows(), k1);
      Eigen::ArrayXd rest = x.rowwise().sum().array();
      for (Index k = 0; k < k1; ++k) {
        const Eigen::ArrayXd z = x.col(k).array() / rest;
        u.col(k) = (z.log() - (-z).log1p() + std::log(static_cast<double>(k1 - k))).matrix();
        rest -= x.col(k).array();
      }
      return u;
    }
    default:
      no_bijector(support);
  }
}

Shape unconstrained_shape(const Support& support, Shape constrained) {
  if (support.kind == Support::Kind::simplex && constrained.cols != Dynamic) {
    return {constrained.rows, constrained.cols - 1};
  }
  return constrained;
}

}  // namespace ed
