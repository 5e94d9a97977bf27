// Sum and Mean over all elements or one axis; running sums.
#include "edpp/core/ops/reduce.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace detail {
void check_axis(std::string_view op, int axis) {
  if (axis != 0 && axis != 1) fail(op, "axis must be 0 or 1, got " + std::to_string(axis));
}
}  // namespace detail

namespace ops {

inline constexpr int kAllAxes = -1;

/// Sum (or, with `average`, mean) over all elements or one axis.
class Reduce : public Op {
 public:
  Reduce(int axis, bool average) : axis_(axis), average_(average) {}
  std::string_view name() const override { return average_ ? "mean" : "sum"; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return axis_ == 1; }
  bool sums_all_elements() const override { return axis_ == kAllAxes && !average_; }
  Shape shape(Shapes in) const override {
    if (axis_ == kAllAxes) return {1, 1};
    return axis_ == 0 ? Shape{1, in[0].cols} : Shape{in[0].rows, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    if (axis_ == kAllAxes) {
      out(0, 0) = x.sum();
    } else if (axis_ == 0) {
      out = x.colwise().sum();
    } else {
      out = x.rowwise().sum();
    }
    if (average_) out /= count(x);
  }
  // d Σx / dx = 1 for every reduced element: the gradient is dout broadcast back (÷ n for mean).
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    const double scale = average_ ? 1.0 / count(in[0]) : 1.0;
    Matrix& g = *din[0];
    if (axis_ == kAllAxes) {
      g.array() += scale * dout(0, 0);
    } else if (axis_ == 0) {
      g.rowwise() += scale * dout.row(0);
    } else {
      g.colwise() += scale * dout.col(0);
    }
  }

 private:
  double count(const Matrix& x) const {
    if (axis_ == kAllAxes) return static_cast<double>(x.size());
    return static_cast<double>(axis_ == 0 ? x.rows() : x.cols());
  }
  int axis_;
  bool average_;
};

// Note [Totals]: a model's log density is a sum of terms (each latent's log prior, each data
// binding's log-likelihood times its scale, factor terms, log Jacobians), each itself summed over
// its elements. Written as sum and add nodes that is two nodes per term, plus negations, and in
// a small model (eight schools: 10 parameters, 29 nodes run per gradient) every node costs about
// what its arithmetic does. Inference builds the total as one Total node instead
// (detail::weighted_total); it adds in the order the chain of adds did, so values are the same
// to the bit, except where Monte Carlo has two or more log Jacobians: those were summed apart
// and then added, and now join the chain one by one.

/// Σ_k w_k Σ x_k: the weighted sum of every element of several inputs (1×1), in input order.
class Total final : public Op {
 public:
  explicit Total(std::vector<double> weights) : weights_(std::move(weights)) {}
  std::string_view name() const override { return "total"; }
  Shape shape(Shapes) const override { return {1, 1}; }
  // Each input's own sum first, then the weighted sums in order: the same additions, in the
  // same order, as the chain of sums and adds it replaces.
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    double total = 0.0;
    for (std::size_t k = 0; k < in.size(); ++k) {
      const double s = in[k].sum();
      total = k == 0 ? weights_[k] * s : total + weights_[k] * s;
    }
    out(0, 0) = total;
  }
  bool assigns_gradient(Inputs, std::size_t) const override { return true; }
  // ∂/∂x_k = w_k everywhere.
  void backward(Inputs, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    for (std::size_t k = 0; k < din.size(); ++k) {
      if (!din[k]) continue;
      const double g = weights_[k] * dout(0, 0);
      if (ctx.assigns(k)) {
        din[k]->setConstant(g);
      } else {
        din[k]->array() += g;
      }
    }
  }

 private:
  std::vector<double> weights_;
};

/// Running sums along a vector's length, or down each column of a matrix (Stan's
/// cumulative_sum). The gradient is the reversed running sum of dout.
/// The largest (or smallest) element over all elements or one axis. The gradient goes to the
/// element that won (the first, column-major, at a tie), as Stan's max and min; NaN wins.
class ReduceExtreme final : public Op {
 public:
  ReduceExtreme(int axis, bool largest) : axis_(axis), largest_(largest) {}
  std::string_view name() const override { return largest_ ? "max" : "min"; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return axis_ == 1; }
  Shape shape(Shapes in) const override {
    if (axis_ == kAllAxes) return {1, 1};
    return axis_ == 0 ? Shape{1, in[0].cols} : Shape{in[0].rows, 1};
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Matrix& x = in[0];
    if (x.size() == 0)
      detail::fail(name(), "the value is empty, which has no " + std::string(name()));
    ctx.scratch.resize(1);
    Matrix& winner = ctx.scratch[0];  // the linear index (column-major) of each output's winner
    winner.resize(out.rows(), out.cols());
    out.setConstant(largest_ ? -std::numeric_limits<double>::infinity()
                             : std::numeric_limits<double>::infinity());
    winner.setConstant(-1.0);
    for (Index j = 0; j < x.cols(); ++j) {
      for (Index i = 0; i < x.rows(); ++i) {
        const Index oi = axis_ == 1 ? i : 0, oj = axis_ == 0 ? j : 0;
        const double v = x(i, j), best = out(oi, oj);
        if (std::isnan(best)) continue;
        if (winner(oi, oj) < 0 || std::isnan(v) || (largest_ ? v > best : v < best)) {
          out(oi, oj) = v;
          winner(oi, oj) = static_cast<double>(i + j * x.rows());
        }
      }
    }
  }
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    const Matrix& winner = ctx.scratch[0];
    for (Index k = 0; k < dout.size(); ++k) {
      const Index w = static_cast<Index>(winner.data()[k]);
      din[0]->data()[w] += dout.data()[k];
    }
    (void)in;
  }

 private:
  int axis_;
  bool largest_;
};

class CumulativeSum final : public Op {
 public:
  std::string_view name() const override { return "cumulative_sum"; }
  Shape shape(Shapes in) const override { return in[0]; }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const Matrix& x = in[0];
    out = x;
    if (x.rows() == 1) {
      for (Index j = 1; j < x.cols(); ++j) out(0, j) += out(0, j - 1);
    } else {
      for (Index i = 1; i < x.rows(); ++i) out.row(i) += out.row(i - 1);
    }
  }
  // out_k = Σ_{i ≤ k} x_i, so ∂L/∂x_i = Σ_{k ≥ i} dout_k.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext& ctx) const override {
    ctx.scratch.resize(1);
    Matrix& tail = ctx.scratch[0];
    tail = dout;
    if (in[0].rows() == 1) {
      for (Index j = tail.cols() - 2; j >= 0; --j) tail(0, j) += tail(0, j + 1);
    } else {
      for (Index i = tail.rows() - 2; i >= 0; --i) tail.row(i) += tail.row(i + 1);
    }
    *din[0] += tail;
  }
};

}  // namespace ops

namespace {
Tensor reduce(const Tensor& x, int axis, bool average) {
  if (axis != ops::kAllAxes) detail::check_axis(average ? "mean" : "sum", axis);
  return make_op(std::make_shared<ops::Reduce>(axis, average), {x});
}
}  // namespace

Tensor sum(const Tensor& x) { return reduce(x, ops::kAllAxes, false); }
Tensor sum(const Tensor& x, int axis) { return reduce(x, axis, false); }
Tensor mean(const Tensor& x) { return reduce(x, ops::kAllAxes, true); }
Tensor mean(const Tensor& x, int axis) { return reduce(x, axis, true); }
Tensor max(const Tensor& x) {
  return make_op(std::make_shared<ops::ReduceExtreme>(ops::kAllAxes, true), {x});
}
Tensor max_along(const Tensor& x, int axis) {
  detail::check_axis("max_along", axis);
  return make_op(std::make_shared<ops::ReduceExtreme>(axis, true), {x});
}
Tensor min(const Tensor& x) {
  return make_op(std::make_shared<ops::ReduceExtreme>(ops::kAllAxes, false), {x});
}
Tensor min_along(const Tensor& x, int axis) {
  detail::check_axis("min_along", axis);
  return make_op(std::make_shared<ops::ReduceExtreme>(axis, false), {x});
}
Tensor cumulative_sum(const Tensor& x) {
  return make_op(std::make_shared<ops::CumulativeSum>(), {x});
}

namespace detail {
Tensor weighted_total(const std::vector<std::pair<Tensor, double>>& terms) {
  if (terms.empty()) throw ed::invalid_argument("total: no terms");
  std::vector<Tensor> inputs;
  std::vector<double> weights;
  for (const auto& [term, weight] : terms) {
    if (!term) throw ed::invalid_argument("total: a term Tensor is empty");
    // A term that is already sum(x) contributes x's elements directly.
    const auto& node = term.node();
    const bool summed = node->kind == NodeKind::op && node->op->sums_all_elements();
    inputs.push_back(summed ? Tensor(node->inputs[0]) : term);
    weights.push_back(weight);
  }
  return make_op(std::make_shared<ops::Total>(std::move(weights)), inputs);
}
}  // namespace detail

}  // namespace ed
