// NormalMixtureLogProb: forward and analytic backward on whole R×K matrices.
#include "distributions/normal_mixture_op.hpp"

#include <cmath>
#include <numbers>

#include "core/op.hpp"
#include "core/ops/broadcast.hpp"
#include "distributions/checks.hpp"

namespace ed {
namespace ops {

namespace {
enum Input { kLogits, kLocs, kScales, kLogScales, kX, kNumInputs };
// Scratch layout (Note [Buffer reuse]): the full-shape copies of broadcast inputs come last and
// are used only when some input is not already R×K (or R×1 for x).
enum Scratch {
  kZ,
  kWeights,
  kResp,
  kRowMax,
  kRowSum,
  kExpanded,
  kNumScratch = kExpanded + kNumInputs
};
}  // namespace

class NormalMixtureLogProb final : public Op {
 public:
  std::string_view name() const override { return "normal_mixture_log_prob"; }

  Shape shape(Shapes in) const override {
    Shape full = in[kLogits];
    for (int i : {kLocs, kScales, kLogScales}) full = detail::broadcast_shapes(name(), full, in[i]);
    if (in[kX].cols != Dynamic && in[kX].cols != 1) {
      detail::fail(name(), "x must have one column, got shape " + to_string(in[kX]));
    }
    const Shape rows = detail::broadcast_shapes(name(), {full.rows, 1}, {in[kX].rows, 1});
    return {rows.rows, 1};
  }

  // With a = log_softmax(L) + log N(x | M, S) (R×K) and r = softmax_k(a) the responsibilities:
  // out = logsumexp_k(a).
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    ctx.scratch.resize(kNumScratch);
    const Index rows = out.rows(), k = columns(in);
    const Matrix& L = full(in, kLogits, rows, k, ctx);
    const Matrix& M = full(in, kLocs, rows, k, ctx);
    const Matrix& S = full(in, kScales, rows, k, ctx);
    const Matrix& logS = full(in, kLogScales, rows, k, ctx);
    const Matrix& x = full(in, kX, rows, 1, ctx);
    check_scales(S);
    Matrix& z = ctx.scratch[kZ];
    Matrix& w = ctx.scratch[kWeights];
    Matrix& r = ctx.scratch[kResp];
    Matrix& row_max = ctx.scratch[kRowMax];
    Matrix& row_sum = ctx.scratch[kRowSum];

    // Mixture weights: w = softmax(L), log w = L − lse(L).
    row_max = L.rowwise().maxCoeff();
    w = (L.colwise() - row_max.col(0)).array().exp();
    row_sum = w.rowwise().sum();
    w.array().colwise() /= row_sum.col(0).array();
    row_max.array() += row_sum.array().log();  // now lse(L)

    // a = log w − ½ z² − log σ − ½ log 2π, kept in r.
    const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
    z = ((-M).colwise() + x.col(0)).cwiseQuotient(S);
    r = (L.colwise() - row_max.col(0)).array() - 0.5 * z.array().square() - logS.array() -
        half_log_2pi;

    // out = lse(a); r = exp(a − out).
    row_max = r.rowwise().maxCoeff();
    r = (r.colwise() - row_max.col(0)).array().exp();
    row_sum = r.rowwise().sum();
    r.array().colwise() /= row_sum.col(0).array();
    out = row_max.array() + row_sum.array().log();
  }

  // ∂out/∂L = r − w,  ∂out/∂μ = r z / σ,  ∂out/∂σ (through z) = r z² / σ,  ∂out/∂log σ = −r,
  // ∂out/∂x = −Σ_k r z / σ; each row scaled by dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Index rows = dout.rows(), k = columns(in);
    const Matrix& S = full(in, kScales, rows, k, ctx);
    const Matrix& z = ctx.scratch[kZ];
    const Matrix& w = ctx.scratch[kWeights];
    Matrix& r = ctx.scratch[kResp];
    r.array().colwise() *= dout.col(0).array();  // r·dout from here on
    if (din[kLogits]) {
      accumulate_full(*din[kLogits], r - w.cwiseProduct(dout.col(0).replicate(1, k)));
    }
    if (din[kLogScales]) accumulate_full(*din[kLogScales], -r);
    if (din[kLocs] || din[kScales] || din[kX]) {
      // Reuse z's slot for r z / σ once z is no longer needed.
      Matrix& rz_over_s = ctx.scratch[kWeights];
      rz_over_s = r.cwiseProduct(z).cwiseQuotient(S);
      if (din[kScales]) accumulate_full(*din[kScales], rz_over_s.cwiseProduct(z));
      if (din[kLocs]) accumulate_full(*din[kLocs], rz_over_s);
      if (din[kX]) accumulate_full(*din[kX], -rz_over_s.rowwise().sum());
    }
  }

 private:
  static Index columns(Inputs in) {
    Index k = 1;
    for (int i : {kLogits, kLocs, kScales, kLogScales}) k = std::max(k, in[i].cols());
    return k;
  }

  // Input i at its full shape: itself when it already has it, else a broadcast copy in scratch.
  static const Matrix& full(Inputs in, int i, Index rows, Index cols, OpContext& ctx) {
    const Matrix& m = in[i];
    if (m.rows() == rows && m.cols() == cols) return m;
    Matrix& copy = ctx.scratch[kExpanded + i];
    copy = m.replicate(m.rows() == 1 ? rows : 1, m.cols() == 1 ? cols : 1);
    return copy;
  }

  // Folds a full-shape gradient into an input that may have been broadcast.
  template <class Expr>
  static void accumulate_full(Matrix& g, const Expr& e) {
    if (g.rows() == e.rows() && g.cols() == e.cols()) {
      g += e;
    } else {
      detail::accumulate(g, e.eval());
    }
  }

  static void check_scales(const Matrix& s) {
    if ((s.array() > 0.0).all()) return;
    for (Index j = 0; j < s.cols(); ++j) {
      for (Index i = 0; i < s.rows(); ++i) {
        if (!(s(i, j) > 0.0)) detail::fail_constraint("Normal", "scale", i, j, s(i, j), "positive");
      }
    }
  }
};

}  // namespace ops

namespace detail {
Tensor normal_mixture_log_prob(const Tensor& logits, const Tensor& locs, const Tensor& scales,
                               const Tensor& log_scales, const Tensor& x) {
  return make_op(std::make_shared<ops::NormalMixtureLogProb>(),
                 {logits, locs, scales, log_scales, x});
}
}  // namespace detail

}  // namespace ed
