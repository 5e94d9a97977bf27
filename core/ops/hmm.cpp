// hmm_marginal: the scaled forward algorithm, and its gradient by the backward pass.
#include "edpp/core/ops/hmm.hpp"

#include <cmath>
#include <limits>

#include <Eigen/Core>

#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace ops {

namespace {
constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
}  // namespace

/// Inputs: log_omega (K×N), Gamma (K×K), rho (K×1). The forward algorithm with Rabiner's
/// scaling instead of log space: each step's emissions are exponentiated once relative to their
/// largest (w_t = exp(log ω_t − m_t)), the messages renormalised to sum to 1 (α̂_t, with the sum
/// c_t), and log p(y) = Σ_t (log c_t + m_t): N·K exponentials and N logarithms in all, where the
/// log-space recursion took N·K² of each (hmm_example's gradient: 29 µs, most of it exp and log).
/// Scratch: [0] α̂ (K×N), [1] w (K×N), [2] c (1×N).
class HmmMarginal final : public Op {
 public:
  std::string_view name() const override { return "hmm_marginal"; }
  Shape shape(Shapes in) const override {
    const Shape& omega = in[0];
    const Shape& gamma = in[1];
    const Shape& rho = in[2];
    auto known = [](Index a, Index b) { return a == Dynamic || b == Dynamic || a == b; };
    if (!known(gamma.rows, gamma.cols) || !known(gamma.rows, omega.rows) ||
        !known(rho.rows, omega.rows) || (rho.cols != Dynamic && rho.cols != 1)) {
      detail::fail(name(), "needs log_omega K×N, Gamma K×K and rho K×1, got " + to_string(omega) +
                               ", " + to_string(gamma) + " and " + to_string(rho));
    }
    return {1, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Matrix& log_omega = in[0];
    const Matrix& gamma = in[1];
    const Index k = log_omega.rows(), n = log_omega.cols();
    ctx.scratch.resize(3);
    Matrix& alpha = ctx.scratch[0];
    Matrix& w = ctx.scratch[1];
    Matrix& c = ctx.scratch[2];
    alpha.resize(k, n);
    w.resize(k, n);
    c.resize(1, n);
    out.resize(1, 1);
    double total = 0.0;  // Σ_t (log c_t + m_t)
    for (Index t = 0; t < n; ++t) {
      const double m = log_omega.col(t).maxCoeff();
      if (!std::isfinite(m)) {  // an observation no state can emit (or a NaN)
        out(0, 0) = std::isnan(m) ? m : kMinusInf;
        return;
      }
      w.col(t) = (log_omega.col(t).array() - m).exp();
      if (t == 0) {
        alpha.col(0) = in[2].col(0).cwiseProduct(w.col(0));
      } else {
        alpha.col(t).noalias() = gamma.transpose() * alpha.col(t - 1);
        alpha.col(t).array() *= w.col(t).array();
      }
      c(0, t) = alpha.col(t).sum();
      if (!(c(0, t) > 0.0)) {  // p(y) = 0 (or NaN parameters)
        out(0, 0) = std::isnan(c(0, t)) ? c(0, t) : kMinusInf;
        return;
      }
      alpha.col(t) /= c(0, t);
      total += std::log(c(0, t)) + m;
    }
    out(0, 0) = n == 0 ? 0.0 : total;  // no observations: probability 1
  }
  // With the scaled backward messages β̂_{N−1} = 1, β̂_{t−1} = Γ (w_t ∘ β̂_t) / c_t:
  //   ∂L/∂log ω(k, t) = α̂_t(k) β̂_t(k), the posterior marginal;
  //   ∂L/∂Γ(i, j) = Σ_t α̂_{t−1}(i) w_t(j) β̂_t(j) / c_t, the expected transitions over Γ(i, j);
  //   ∂L/∂ρ(k) = w_0(k) β̂_0(k) / c_0.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& gamma = in[1];
    const Index k = in[0].rows(), n = in[0].cols();
    if (n == 0 || !std::isfinite(out(0, 0))) return;  // p(y) = 0: no direction helps
    const Matrix& alpha = ctx.scratch[0];
    const Matrix& w = ctx.scratch[1];
    const Matrix& c = ctx.scratch[2];
    const double g = dout(0, 0);
    Eigen::VectorXd beta = Eigen::VectorXd::Ones(k), into(k);
    for (Index t = n - 1; t >= 0; --t) {
      if (din[0]) din[0]->col(t) += g * alpha.col(t).cwiseProduct(beta);
      into = w.col(t).cwiseProduct(beta) / c(0, t);  // w_t ∘ β̂_t / c_t
      if (t == 0) break;
      if (din[1]) din[1]->noalias() += g * alpha.col(t - 1) * into.transpose();
      beta.noalias() = gamma * into;
    }
    if (din[2]) *din[2] += g * into;
  }
};

}  // namespace ops

Tensor hmm_marginal(const Tensor& log_omega, const Tensor& Gamma, const Tensor& rho) {
  return make_op(std::make_shared<ops::HmmMarginal>(), {log_omega, Gamma, rho});
}

}  // namespace ed
