// PointMass: all probability on one value (MAP's approximating family).
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// PointMass(value): a distribution concentrated at `value`. Its sample is the value itself;
/// log_prob is 0 at the value and −inf elsewhere; mean = value, variance = 0.
class PointMass : public RandomVariable {
 public:
  explicit PointMass(const Tensor& value);
  /// The tensor the mass sits on (for MAP, the trainable parameter).
  Tensor params_value() const;
};

}  // namespace ed
