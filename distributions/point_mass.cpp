// PointMass distribution.
#include "edpp/distributions/point_mass.hpp"

#include <limits>

#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/ops/broadcast.hpp"

namespace ed {

namespace ops {
/// 0 where x equals the point, −inf elsewhere; no gradient (it is flat almost everywhere).
class PointMassLogProb final : public Op {
 public:
  std::string_view name() const override { return "point_mass_log_prob"; }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    const double inf = std::numeric_limits<double>::infinity();
    detail::broadcast_apply(in[0], in[1], out, [inf](const auto& x, const auto& v) {
      if constexpr (detail::is_scalar<decltype(x)>) {
        return (v == x).select(Eigen::ArrayXd::Zero(v.size()), -inf);
      } else {
        return (x == v).select(Eigen::ArrayXXd::Zero(x.rows(), x.cols()), -inf);
      }
    });
  }
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}
};
}  // namespace ops

namespace {
class PointMassDistribution final : public Distribution {
 public:
  explicit PointMassDistribution(Tensor value) : value_(std::move(value)) {}
  std::string_view name() const override { return "PointMass"; }
  Tensor log_prob(const Tensor& x) const override {
    return make_op(std::make_shared<ops::PointMassLogProb>(), {x, value_});
  }
  Tensor sample(const Tensor& like = Tensor()) const override {
    return like ? broadcast_like(value_, like) : value_;
  }
  Tensor mean() const override { return value_; }
  Tensor variance() const override { return broadcast_like(0.0, value_); }
  Support support() const override { return Support::real(); }
  bool is_reparameterized() const override { return true; }
  bool is_deterministic() const override { return true; }
  std::vector<Tensor> params() const override { return {value_}; }
  const Tensor& value() const { return value_; }

 private:
  Tensor value_;
};
}  // namespace

PointMass::PointMass(const Tensor& value)
    : RandomVariable(std::make_shared<PointMassDistribution>(value)) {}

Tensor PointMass::params_value() const { return distribution().params().front(); }

}  // namespace ed
