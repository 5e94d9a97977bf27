// Normal: log density in log space and a reparameterised sampler.
#include "distributions/normal.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <numbers>

#include "core/node.hpp"
#include "core/op.hpp"
#include "core/ops.hpp"
#include "core/ops/broadcast.hpp"
#include "core/rng.hpp"
#include "distributions/checks.hpp"

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

}  // namespace ops

namespace detail {

Tensor log_of_positive(const Tensor& scale) {
  const auto& node = scale.node();
  if (node && node->kind == NodeKind::op) {
    if (auto k = node->op->exp_of_input()) return Tensor(node->inputs[*k]);
  }
  return log(scale);
}

NormalDistribution::NormalDistribution(Tensor loc, Tensor scale)
    : loc_(std::move(loc)), scale_(std::move(scale)) {
  broadcast_params(name(), "loc", loc_, "scale", scale_);
}

Tensor NormalDistribution::log_prob(const Tensor& x) const {
  // log N(x | μ, σ) = −½ z² − log σ − ½ log 2π,   z = (x − μ) / σ
  const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  const Tensor sigma = check_positive(scale_, "Normal", "scale");
  const Tensor z = (x - loc_) / sigma;
  return -0.5 * square(z) - log(sigma) - half_log_2pi;
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
