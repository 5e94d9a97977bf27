// Empirical: a random variable that holds draws (the q of every Monte Carlo algorithm).
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Empirical(params): the distribution of stored draws, Edward's ed.models.Empirical. Row t of
/// `params` (T × K) is draw t of a value of shape `event` (K = rows · cols), flattened
/// column-major; by default the event is one row of K. sample() is a stored draw picked
/// uniformly at random; mean() and stddev() are the draws' (population) moments in the event's
/// shape. It has no density: log_prob throws. Monte Carlo algorithms write their draws into
/// `params` (a variable), which they resize to the number of draws they made.
/// @throws ed::invalid_argument when K does not match the event's size.
class Empirical : public RandomVariable {
 public:
  explicit Empirical(const Tensor& params);
  Empirical(const Tensor& params, Shape event);
  /// The event shape of one draw.
  Shape event() const;
};

}  // namespace ed
