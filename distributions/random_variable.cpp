// RandomVariable and the Distribution defaults.
#include "distributions/random_variable.hpp"

#include "core/errors.hpp"
#include "core/ops/unary.hpp"

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
  if (!value_) value_ = distribution_->sample();
}

}  // namespace ed
