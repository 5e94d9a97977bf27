// Categorical: log mass by gather on log_softmax, sampling by inverse CDF.
#include "edpp/distributions/categorical.hpp"

#include <boost/random/uniform_01.hpp>

#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/distributions/checks.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace ops {

/// One label per row: the first k with u < Σ_{j≤k} softmax(logits)_j, u ~ U(0, 1).
class CategoricalSample final : public Op {
 public:
  std::string_view name() const override { return "categorical_sample"; }
  Shape shape(Shapes in) const override { return {in[0].rows, 1}; }
  bool is_random() const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    const Matrix& logits = in[0];
    boost::random::uniform_01<double> uniform;
    for (Index i = 0; i < logits.rows(); ++i) {
      const double m = logits.row(i).maxCoeff();
      const double total = (logits.row(i).array() - m).exp().sum();
      const double u = uniform(ctx.rng.engine()) * total;
      double cumulative = 0.0;
      Index k = 0;
      for (; k + 1 < logits.cols(); ++k) {
        cumulative += std::exp(logits(i, k) - m);
        if (u < cumulative) break;
      }
      out(i, 0) = static_cast<double>(k);
    }
  }
  // Labels are a discrete choice: no gradient reaches the logits through them.
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {
    detail::fail_discrete_gradient("categorical_sample");
  }
};

}  // namespace ops

namespace detail {

CategoricalDistribution::CategoricalDistribution(Tensor logits) : logits_(std::move(logits)) {
  if (!logits_) throw ed::invalid_argument("Categorical: logits Tensor is empty");
  if (logits_.shape().cols == 0) {
    throw ed::invalid_argument("Categorical: logits must have at least one column");
  }
}

Tensor CategoricalDistribution::log_prob(const Tensor& x) const {
  // log P(x = k) = logits_k − logsumexp(logits); −inf off {0, …, K − 1}, as every family.
  return gather_or(log_softmax(logits_), x, -std::numeric_limits<double>::infinity());
}

Tensor CategoricalDistribution::sample(const Tensor& like) const {
  // One label per row: `like` can only add rows.
  const Tensor logits = like ? broadcast_like(logits_, col(like, 0)) : logits_;
  return make_op(std::make_shared<ops::CategoricalSample>(), {logits});
}

Support CategoricalDistribution::support() const {
  const Index k = logits_.shape().cols;
  if (k == Dynamic) return Support::nonnegative_integer();
  return Support::integer_interval(0.0, static_cast<double>(k - 1));
}

}  // namespace detail

Categorical::Categorical(const Tensor& logits)
    : RandomVariable(std::make_shared<detail::CategoricalDistribution>(logits)) {}
Categorical::Categorical(const Tensor& logits, const Tensor& value)
    : RandomVariable(std::make_shared<detail::CategoricalDistribution>(logits), value) {}

Categorical Categorical::from_probs(const Tensor& probs) {
  return Categorical(log(detail::check_probability(probs, "Categorical", "probs")));
}

Tensor Categorical::logits() const {
  return static_cast<const detail::CategoricalDistribution&>(distribution()).logits();
}
Tensor Categorical::probs() const { return softmax(logits()); }

}  // namespace ed
