// RandomVariable and the Distribution defaults.
#include "edpp/distributions/random_variable.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/distributions/graph.hpp"

namespace ed {

Tensor Distribution::mean() const {
  throw ed::invalid_argument(std::string(name()) + ": the mean is not finite");
}
Tensor Distribution::variance() const {
  throw ed::invalid_argument(std::string(name()) + ": the variance is not finite");
}
Tensor Distribution::stddev() const { return sqrt(variance()); }

RandomVariable::RandomVariable(std::shared_ptr<const Distribution> distribution, Tensor value)
    : distribution_(std::move(distribution)), value_(std::move(value)) {
  if (!distribution_) throw ed::invalid_argument("RandomVariable: no distribution");
  if (value_) return;
  value_ = distribution_->sample();
  value_is_sample_ = true;
  // Mark the draw as this variable's value, so inference can name a random variable that the
  // model uses but nobody bound (an explicit sample() stays unmarked: a deliberate draw).
  // A deterministic family's "draw" is its own parameter (PointMass), no node of its own.
  if (distribution_->is_deterministic()) return;
  value_.node()->random_variable = std::string(distribution_->name());
  // Note [Random-variable graph]: the draw remembers its distribution, for the graph queries.
  if (value_.node()->distribution) return;  // a sample() that returned another's draw
  value_.node()->distribution = distribution_;
  detail::register_random_variable(value_);
}

std::string RandomVariable::describe() const {
  std::string text(distribution_->name());
  if (!value_.name().empty() && value_.is_placeholder()) text += " '" + value_.name() + "'";
  return text + " " + to_string(value_.shape());
}

}  // namespace ed
