// hmm_marginal: the forward algorithm in log space, and its gradient by the backward pass.
#include "edpp/core/ops/hmm.hpp"

#include <cmath>
#include <limits>

#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace ops {

namespace {

constexpr double kMinusInf = -std::numeric_limits<double>::infinity();

// log Σ exp(v), −inf for an empty or all −inf v.
double log_sum_exp(const Eigen::Ref<const Eigen::VectorXd>& v) {
  const double m = v.maxCoeff();
  if (!std::isfinite(m)) return m;
  return m + std::log((v.array() - m).exp().sum());
}

}  // namespace

/// Inputs: log_omega (K×N), Gamma (K×K), rho (K×1). Scratch: [0] log α (K×N), [1] log Γ.
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
    const Index k = log_omega.rows(), n = log_omega.cols();
    ctx.scratch.resize(2);
    Matrix& log_alpha = ctx.scratch[0];
    Matrix& log_gamma = ctx.scratch[1];
    log_gamma = in[1].array().log();
    log_alpha.resize(k, n);
    out.resize(1, 1);
    if (n == 0) {
      out(0, 0) = 0.0;  // no observations: probability 1
      return;
    }
    log_alpha.col(0) = in[2].array().log() + log_omega.col(0).array();
    Eigen::VectorXd terms(k);
    for (Index t = 1; t < n; ++t) {
      for (Index j = 0; j < k; ++j) {
        terms = log_alpha.col(t - 1) + log_gamma.col(j);
        log_alpha(j, t) = log_sum_exp(terms) + log_omega(j, t);
      }
    }
    out(0, 0) = log_sum_exp(log_alpha.col(n - 1));
  }
  // With log β the backward messages (log β_{N−1} = 0) and L the result:
  //   ∂L/∂log ω(k, t) = exp(log α(k, t) + log β(k, t) − L), the posterior marginal;
  //   ∂L/∂Γ(i, j) = Σ_t exp(log α(i, t−1) + log ω(j, t) + log β(j, t) − L), expected transitions;
  //   ∂L/∂ρ(k) = exp(log ω(k, 0) + log β(k, 0) − L).
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& log_omega = in[0];
    const Index k = log_omega.rows(), n = log_omega.cols();
    if (n == 0) return;
    const Matrix& log_alpha = ctx.scratch[0];
    const Matrix& log_gamma = ctx.scratch[1];
    const double total = out(0, 0), g = dout(0, 0);
    if (!std::isfinite(total)) return;  // p(y) = 0: no direction helps
    Eigen::VectorXd log_beta = Eigen::VectorXd::Zero(k), next(k), terms(k);
    for (Index t = n - 1; t >= 0; --t) {
      if (din[0]) {
        din[0]->col(t).array() +=
            g * (log_alpha.col(t) + log_beta - Eigen::VectorXd::Constant(k, total)).array().exp();
      }
      if (t == 0) break;
      // Expected transitions into step t, then the message to step t − 1.
      const Eigen::VectorXd into = log_omega.col(t) + log_beta;
      if (din[1]) {
        for (Index j = 0; j < k; ++j) {
          din[1]->col(j).array() += g * (log_alpha.col(t - 1).array() + into(j) - total).exp();
        }
      }
      for (Index i = 0; i < k; ++i) {
        terms = log_gamma.row(i).transpose() + into;
        next(i) = log_sum_exp(terms);
      }
      log_beta = next;
    }
    if (din[2]) {
      din[2]->array() +=
          g * (log_omega.col(0) + log_beta - Eigen::VectorXd::Constant(k, total)).array().exp();
    }
  }
};

}  // namespace ops

Tensor hmm_marginal(const Tensor& log_omega, const Tensor& Gamma, const Tensor& rho) {
  return make_op(std::make_shared<ops::HmmMarginal>(), {log_omega, Gamma, rho});
}

}  // namespace ed
