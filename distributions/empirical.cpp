// Empirical: picking, averaging and spreading stored draws.
#include "edpp/distributions/empirical.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/shape.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace ops {

/// One row of the draws (T × K) picked at random, reshaped to the event; or, with `moment`,
/// the draws' column means (1) or population standard deviations (2) in the event's shape.
class EmpiricalReduce final : public Op {
 public:
  EmpiricalReduce(Shape event, int moment) : event_(event), moment_(moment) {}
  std::string_view name() const override {
    return moment_ == 0 ? "empirical_sample" : moment_ == 1 ? "empirical_mean" : "empirical_stddev";
  }
  bool is_random() const override { return moment_ == 0; }
  Shape shape(Shapes in) const override {
    if (in[0].cols != Dynamic && in[0].cols != event_.rows * event_.cols) {
      detail::fail(name(), "draws of shape " + to_string(in[0]) + " do not hold values of shape " +
                               to_string(event_));
    }
    return event_;
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Matrix& draws = in[0];
    if (draws.rows() == 0) detail::fail(name(), "there are no draws yet");
    Eigen::Map<Eigen::RowVectorXd> flat(out.data(), out.size());
    if (moment_ == 0) {
      boost::random::uniform_int_distribution<Index> pick(0, draws.rows() - 1);
      flat = draws.row(pick(ctx.rng.engine()));
    } else {
      const Eigen::RowVectorXd mean = draws.colwise().mean();
      if (moment_ == 1) {
        flat = mean;
      } else {
        flat = ((draws.rowwise() - mean).array().square().colwise().sum() /
                static_cast<double>(draws.rows()))
                   .sqrt()
                   .matrix();
      }
    }
  }
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {
    detail::fail_discrete_gradient(std::string(name()));
  }

 private:
  Shape event_;
  int moment_;
};

}  // namespace ops

namespace {

class EmpiricalDistribution final : public Distribution {
 public:
  EmpiricalDistribution(Tensor params, Shape event) : params_(std::move(params)), event_(event) {
    if (!params_) throw ed::invalid_argument("Empirical: params Tensor is empty");
    const Index k = params_.shape().cols;
    if (k != Dynamic && k != event_.rows * event_.cols) {
      throw ed::invalid_argument("Empirical: params " + to_string(params_.shape()) +
                                 " hold draws of " + std::to_string(k) + " numbers, not of shape " +
                                 to_string(event_));
    }
  }
  std::string_view name() const override { return "Empirical"; }
  Tensor log_prob(const Tensor&) const override {
    throw ed::invalid_argument("Empirical: stored draws have no density (log_prob)");
  }
  Tensor sample(const Tensor& = Tensor()) const override { return reduce(0); }
  Tensor mean() const override { return reduce(1); }
  Tensor stddev() const override { return reduce(2); }
  Tensor variance() const override { return square(stddev()); }
  Support support() const override { return Support::real(); }
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override { return {params_}; }
  Shape event() const { return event_; }

 private:
  Tensor reduce(int moment) const {
    return make_op(std::make_shared<ops::EmpiricalReduce>(event_, moment), {params_});
  }
  Tensor params_;
  Shape event_;
};

Shape row_event(const Tensor& params) {
  if (!params) throw ed::invalid_argument("Empirical: params Tensor is empty");
  return {1, params.shape().cols};
}

}  // namespace

Empirical::Empirical(const Tensor& params)
    : RandomVariable(std::make_shared<EmpiricalDistribution>(params, row_event(params))) {}

Empirical::Empirical(const Tensor& params, Shape event)
    : RandomVariable(std::make_shared<EmpiricalDistribution>(params, event)) {}

Shape Empirical::event() const {
  return static_cast<const EmpiricalDistribution&>(distribution()).event();
}

}  // namespace ed
