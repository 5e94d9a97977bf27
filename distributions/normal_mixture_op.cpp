// NormalMixtureLogProb: forward and analytic backward on whole R×K matrices.
#include "edpp/distributions/normal_mixture_op.hpp"

#include <cmath>

#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/simd/kernels.hpp"
#include "edpp/distributions/checks.hpp"

namespace ed {
namespace ops {

namespace {
enum Input { kLogits, kLocs, kScales, kLogScales, kX, kNumInputs };
// Scratch layout (Note [Buffer reuse]). The full-shape copies and gradients are used only for
// inputs that are not already R×K (R×1 for x).
enum Scratch {
  kZ,
  kInverseScales,
  kWeights,
  kResp,
  kExpanded,                            // full-shape copies of broadcast inputs
  kFullGrads = kExpanded + kNumInputs,  // full-shape gradients of broadcast inputs
  kNumScratch = kFullGrads + kNumInputs
};
}  // namespace

// Two forms: inputs (logits, locs, scales, log scales, x), or, for scales made as exp(u),
// (logits, locs, u, x) where the scale is never formed nor checked and 1/σ is e^−u. The enum
// above names the first form's slots; slot() maps them onto the node's inputs.
class NormalMixtureLogProb final : public Op {
 public:
  explicit NormalMixtureLogProb(bool scale_from_log) : scale_from_log_(scale_from_log) {}
  std::string_view name() const override { return "normal_mixture_log_prob"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }

  Shape shape(Shapes in) const override {
    Shape full = in[kLogits];
    for (int i : {kLocs, kLogScales}) full = detail::broadcast_shapes(name(), full, in[slot(i)]);
    if (!scale_from_log_) full = detail::broadcast_shapes(name(), full, in[kScales]);
    const Shape& x = in[slot(kX)];
    if (x.cols != Dynamic && x.cols != 1) {
      detail::fail(name(), "x must have one column, got shape " + to_string(x));
    }
    const Shape rows = detail::broadcast_shapes(name(), {full.rows, 1}, {x.rows, 1});
    return {rows.rows, 1};
  }

  // With a = log_softmax(L) + log N(x | M, S) (R×K) and r = softmax_k(a) the responsibilities:
  // out = logsumexp_k(a).
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    ctx.scratch.resize(kNumScratch);
    const Index rows = out.rows(), k = columns(in);
    const Matrix& L = full(in, kLogits, rows, k, ctx);
    const Matrix& M = full(in, kLocs, rows, k, ctx);
    const Matrix* S = scale_from_log_ ? nullptr : &full(in, kScales, rows, k, ctx);
    const Matrix& logS = full(in, kLogScales, rows, k, ctx);
    const Matrix& x = full(in, kX, rows, 1, ctx);
    if (S) check_scales(*S);
    Matrix& z = ctx.scratch[kZ];
    Matrix& inverse_S = ctx.scratch[kInverseScales];
    Matrix& w = ctx.scratch[kWeights];
    Matrix& r = ctx.scratch[kResp];
    // Note [4K aliasing]: the kept values' columns padded.
    const Index ld = simd::unaliased_leading_dimension(rows);
    for (Matrix* kept : {&z, &inverse_S, &w, &r}) kept->resize(ld, k);
    out.resize(rows, 1);
    // Note [SIMD dispatch]: the kernel of the CPU's level.
    simd::kernels().normal_mixture_forward(rows, k, L.data(), M.data(), S ? S->data() : nullptr,
                                           logS.data(), x.data(), ld, z.data(), inverse_S.data(),
                                           w.data(), r.data(), out.data());
  }

  // ∂out/∂L = r − w,  ∂out/∂μ = r z / σ,  ∂out/∂σ (through z) = r z² / σ,  ∂out/∂log σ = −r,
  // ∂out/∂x = −Σ_k r z / σ; each row scaled by dout.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Index rows = dout.rows(), k = columns(in);
    const Matrix& z = ctx.scratch[kZ];
    const Matrix& inverse_S = ctx.scratch[kInverseScales];
    const Matrix& w = ctx.scratch[kWeights];
    const Matrix& r = ctx.scratch[kResp];
    Matrix* g[kNumInputs] = {};
    for (int i = 0; i < kNumInputs; ++i) {
      if (slot(i) >= 0) g[i] = full_gradient(in, din, i, rows, i == kX ? 1 : k, ctx);
    }
    auto data = [](Matrix* m) { return m ? m->data() : nullptr; };
    // Note [Assigned gradients]: full-shape inputs the Program left unzeroed are written.
    unsigned assign = 0;
    const unsigned bits[kNumInputs] = {simd::kAssignL, simd::kAssignM, simd::kAssignS,
                                       simd::kAssignLogS, simd::kAssignX};
    for (int i = 0; i < kNumInputs; ++i) {
      if (g[i] && g[i] == din[slot(i)] && ctx.assigns(slot(i))) assign |= bits[i];
    }
    simd::kernels().normal_mixture_backward(rows, k, dout.data(), z.rows(), inverse_S.data(),
                                            z.data(), w.data(), r.data(), scale_from_log_, assign,
                                            data(g[kLogits]), data(g[kLocs]), data(g[kScales]),
                                            data(g[kLogScales]), data(g[kX]));
    for (int i = 0; i < kNumInputs; ++i) {
      if (g[i] && g[i] != din[slot(i)]) detail::accumulate(*din[slot(i)], *g[i]);
    }
  }

  // Note [Assigned gradients]: the kernel writes every entry of a full-shape input's gradient
  // (a broadcast input's goes through a zeroed full-shape buffer, then is added).
  bool assigns_gradient(Inputs in, std::size_t input) const override {
    const Index k = columns(in);
    Index rows = 1;
    for (std::size_t i = 0; i < in.size(); ++i) rows = std::max(rows, in[i].rows());
    const bool is_x = static_cast<int>(input) == slot(kX);
    return in[input].rows() == rows && in[input].cols() == (is_x ? 1 : k);
  }

 private:
  // Where slot i is among the node's inputs; −1 for the scales of the log-scale form.
  int slot(int i) const {
    if (!scale_from_log_ || i < kScales) return i;
    return i == kScales ? -1 : i - 1;
  }

  Index columns(Inputs in) const {
    Index k = 1;
    for (int i : {kLogits, kLocs, kScales, kLogScales}) {
      if (slot(i) >= 0) k = std::max(k, in[slot(i)].cols());
    }
    return k;
  }

  // Input i at its full shape: itself when it already has it, else a broadcast copy in scratch.
  const Matrix& full(Inputs in, int i, Index rows, Index cols, OpContext& ctx) const {
    const Matrix& m = in[slot(i)];
    if (m.rows() == rows && m.cols() == cols) return m;
    Matrix& copy = ctx.scratch[kExpanded + i];
    copy = m.replicate(m.rows() == 1 ? rows : 1, m.cols() == 1 ? cols : 1);
    return copy;
  }

  // Where input i's gradient is accumulated: din[i] itself when the input has the full shape,
  // else a zeroed full-shape buffer that backward folds into din[i] at the end.
  Matrix* full_gradient(Inputs in, Grads din, int i, Index rows, Index cols, OpContext& ctx) const {
    if (!din[slot(i)]) return nullptr;
    if (in[slot(i)].rows() == rows && in[slot(i)].cols() == cols) return din[slot(i)];
    Matrix& buffer = ctx.scratch[kFullGrads + i];
    buffer.setZero(rows, cols);
    return &buffer;
  }

  static void check_scales(const Matrix& s) {
    if ((s.array() > 0.0).all()) return;
    for (Index j = 0; j < s.cols(); ++j) {
      for (Index i = 0; i < s.rows(); ++i) {
        if (!(s(i, j) > 0.0)) detail::fail_constraint("Normal", "scale", i, j, s(i, j), "positive");
      }
    }
  }

  bool scale_from_log_;
};

}  // namespace ops

namespace detail {
Tensor normal_mixture_log_prob(const Tensor& logits, const Tensor& locs, const Tensor& scales,
                               const Tensor& log_scales, const Tensor& x) {
  return make_op(std::make_shared<ops::NormalMixtureLogProb>(false),
                 {logits, locs, scales, log_scales, x});
}
Tensor normal_mixture_log_prob_log_scale(const Tensor& logits, const Tensor& locs,
                                         const Tensor& log_scales, const Tensor& x) {
  return make_op(std::make_shared<ops::NormalMixtureLogProb>(true), {logits, locs, log_scales, x});
}
}  // namespace detail

}  // namespace ed
