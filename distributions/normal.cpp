// Normal: log density in log space and a reparameterised sampler.
#include "edpp/distributions/normal.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <numbers>
#include <unordered_set>
#include <vector>

#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/simd/kernels.hpp"
#include "edpp/distributions/checks.hpp"

namespace ed {

namespace ops {

/// μ + σ·ε with ε ~ N(0, 1) drawn on every run; ε is kept for the backward pass.
class NormalSample final : public Op {
 public:
  std::string_view name() const override { return "normal_sample"; }
  // Inputs: loc, scale and optionally a tensor whose shape the draw also broadcasts to.
  Shape shape(Shapes in) const override {
    const Shape s = detail::broadcast_shapes(name(), in[0], in[1]);
    return in.size() == 3 ? detail::broadcast_shapes(name(), s, in[2]) : s;
  }
  bool is_random() const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    ctx.scratch.resize(1);
    Matrix& eps = ctx.scratch[0];
    eps.resize(out.rows(), out.cols());
    boost::random::normal_distribution<double> standard;
    for (Index k = 0; k < eps.size(); ++k) eps.data()[k] = standard(ctx.rng.engine());
    detail::broadcast_apply(in[1], eps, out, [](const auto& s, const auto& e) { return s * e; });
    detail::broadcast_apply(in[0], out, out, [](const auto& m, const auto& v) { return m + v; });
  }
  // d(μ + σε)/dμ = 1, d(μ + σε)/dσ = ε.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    if (din[0]) detail::accumulate(*din[0], dout);
    if (din[1]) {
      const Matrix& eps = ctx.scratch[0];
      for (Index j = 0; j < dout.cols(); ++j) {
        detail::accumulate_col(*din[1], j, dout.col(j).array() * eps.col(j).array());
      }
    }
  }
};

namespace {
// Column j of an operand as output column j sees it: its own column (or its only one), a
// single broadcast value when it has one row.
simd::Operand column_operand(const Matrix& m, Index j, Index rows) {
  return {m.data() + detail::broadcast_col(m, j) * m.rows(), m.rows() != rows};
}
// Where output column j's gradient goes for input gradient g (null: not wanted).
simd::Accumulator column_accumulator(Matrix* g, Index j, Index rows) {
  if (!g) return {};
  return {g->data() + detail::broadcast_col(*g, j) * g->rows(), g->rows() != rows};
}
}  // namespace

/// What both fused Normal log densities share: x, μ and a scale (σ or its logarithm) as the
/// first three inputs, broadcast against each other column by column, row-local.
class NormalLogProbBase : public Op {
 public:
  std::string_view name() const override { return "normal_log_prob"; }
  Shape shape(Shapes in) const override {
    return detail::broadcast_shapes(name(), detail::broadcast_shapes(name(), in[0], in[1]), in[2]);
  }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
};

/// log N(x | μ, σ) = −½ z² − log σ − ½ log 2π with z = (x − μ)/σ, in one pass over memory with
/// x, μ and σ broadcast against each other column by column (Normal.log_prob; the composite
/// of eight nodes it replaces made eight passes). Inputs x, μ, σ and, for a scale fixed by
/// constants, log σ as a fourth (computed once), so no logarithm is taken per run.
class NormalLogProb final : public NormalLogProbBase {
 public:
  // Column by column through the dispatched kernel (Note [SIMD dispatch]), each operand's
  // column either full-height or one broadcast value.
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Index rows = out.rows();
    const simd::Kernels& k = simd::kernels();
    for (Index j = 0; j < out.cols(); ++j) {
      k.normal_log_prob(rows, column_operand(in[0], j, rows), column_operand(in[1], j, rows),
                        column_operand(in[2], j, rows),
                        in.size() == 4 ? column_operand(in[3], j, rows) : simd::Operand{},
                        out.data() + j * rows);
    }
  }
  // With z = (x − μ)/σ: ∂/∂x = −z/σ, ∂/∂μ = z/σ, ∂/∂σ = (z² − 1)/σ, or, when log σ is its own
  // input, ∂/∂σ = z²/σ through z and ∂/∂log σ = −1.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    const bool separate_log = in.size() == 4;
    const simd::Kernels& k = simd::kernels();
    for (Index j = 0; j < dout.cols(); ++j) {
      k.normal_log_prob_backward(
          rows, column_operand(in[0], j, rows), column_operand(in[1], j, rows),
          column_operand(in[2], j, rows), dout.data() + j * rows, separate_log,
          column_accumulator(din[0], j, rows), column_accumulator(din[1], j, rows),
          column_accumulator(din[2], j, rows),
          separate_log ? column_accumulator(din[3], j, rows) : simd::Accumulator{});
    }
  }
};

/// log N(x | μ, e^u) from the log scale u itself, for a scale made as exp(u): σ is never formed
/// (nor checked: e^u > 0), which saves the exp node's pass over memory and its backward.
/// Inputs x, μ, u.
class NormalLogProbLogScale final : public NormalLogProbBase {
 public:
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Index rows = out.rows();
    const simd::Kernels& k = simd::kernels();
    for (Index j = 0; j < out.cols(); ++j) {
      k.normal_log_prob_log_scale(rows, column_operand(in[0], j, rows),
                                  column_operand(in[1], j, rows), column_operand(in[2], j, rows),
                                  out.data() + j * rows);
    }
  }
  // ∂/∂x = −z e^−u, ∂/∂μ = z e^−u, ∂/∂u = z² − 1.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Index rows = dout.rows();
    const simd::Kernels& k = simd::kernels();
    for (Index j = 0; j < dout.cols(); ++j) {
      k.normal_log_prob_log_scale_backward(
          rows, column_operand(in[0], j, rows), column_operand(in[1], j, rows),
          column_operand(in[2], j, rows), dout.data() + j * rows,
          column_accumulator(din[0], j, rows), column_accumulator(din[1], j, rows),
          column_accumulator(din[2], j, rows));
    }
  }
};

}  // namespace ops

namespace detail {

std::optional<Tensor> exponent_of(const Tensor& t) {
  const auto& node = t.node();
  if (node && node->kind == NodeKind::op) {
    if (auto k = node->op->exp_of_input()) return Tensor(node->inputs[*k]);
  }
  return std::nullopt;
}

Tensor log_of_positive(const Tensor& scale) {
  if (auto s = exponent_of(scale)) return *s;
  return log(scale);
}

NormalDistribution::NormalDistribution(Tensor loc, Tensor scale)
    : loc_(std::move(loc)), scale_(std::move(scale)) {
  broadcast_params(name(), "loc", loc_, "scale", scale_);
}

namespace {
// True when `t` depends on constants only — no variable, placeholder or draw — so that a
// Program computes it once (Note [Static nodes]). Looks at 64 nodes at most.
bool depends_on_constants_only(const Tensor& t) {
  std::vector<const Node*> stack = {t.node().get()};
  std::unordered_set<const Node*> seen;
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (!seen.insert(node).second) continue;
    if (seen.size() > 64) return false;
    if (node->kind == NodeKind::constant) continue;
    if (node->kind != NodeKind::op || node->op->is_random()) return false;
    for (const auto& input : node->inputs) stack.push_back(input.get());
  }
  return true;
}
}  // namespace

Tensor NormalDistribution::log_prob(const Tensor& x) const {
  // log N(x | μ, σ) = −½ z² − log σ − ½ log 2π,   z = (x − μ) / σ
  // A scale made as exp(u) has log scale u exactly, and needs neither forming nor checking.
  if (auto u = detail::exponent_of(scale_)) {
    return make_op(std::make_shared<ops::NormalLogProbLogScale>(), {x, loc_, *u});
  }
  const Tensor sigma = check_positive(scale_, "Normal", "scale");
  // A scale fixed by constants (known measurement errors, a prior's scale): its logarithm is
  // its own node, which a Program computes once, instead of once per element per run.
  if (depends_on_constants_only(scale_)) {
    return make_op(std::make_shared<ops::NormalLogProb>(), {x, loc_, sigma, log(sigma)});
  }
  return make_op(std::make_shared<ops::NormalLogProb>(), {x, loc_, sigma});
}

Tensor NormalDistribution::sample(const Tensor& like) const {
  std::vector<Tensor> inputs = {loc_, check_positive(scale_, "Normal", "scale")};
  if (like) inputs.push_back(like);
  return make_op(std::make_shared<ops::NormalSample>(), inputs);
}

Tensor NormalDistribution::mean() const { return broadcast_like(loc_, scale_); }
Tensor NormalDistribution::variance() const { return square(stddev()); }
Tensor NormalDistribution::stddev() const { return broadcast_like(scale_, loc_); }

}  // namespace detail

Normal::Normal(const Tensor& loc, const Tensor& scale)
    : RandomVariable(std::make_shared<detail::NormalDistribution>(loc, scale)) {}
Normal::Normal(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(std::make_shared<detail::NormalDistribution>(loc, scale), value) {}

Tensor Normal::loc() const {
  return static_cast<const detail::NormalDistribution&>(distribution()).loc();
}
Tensor Normal::scale() const {
  return static_cast<const detail::NormalDistribution&>(distribution()).scale();
}

}  // namespace ed
