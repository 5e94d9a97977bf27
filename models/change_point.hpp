// A Poisson change-point model with the discrete change point summed out (ed::factor).
#pragma once

#include <cstdint>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/distributions.hpp"

namespace ed::models {

/// Counts D_t, t = 0, …, T−1, Poisson with rate `early` before an unknown step s and `late`
/// from s on, early and late ~ Exponential(prior_rate), s uniform on {0, …, T−1}. s is summed
/// out: the builder adds log Σ_s exp(log_p_change[s]) to the model with ed::factor, so any
/// inference of {early, late} (NUTS with no data bindings) sees p(early, late | D).
struct ChangePoint {
  Exponential early, late;
  /// log p(D, s | early, late) up to a constant, T×1: one entry per change point s.
  Tensor log_p_change;
};
ChangePoint change_point(const Matrix& counts, double prior_rate = 1.0);

/// p(s | D) on {0, …, T−1} (T×1): the average over joint draws of (early, late) of each draw's
/// softmax of log_p_change.
Matrix change_point_posterior(const Matrix& counts, const Matrix& early_draws,
                              const Matrix& late_draws);

/// T counts, Poisson(early) before step `change` and Poisson(late) from it on.
Matrix simulate_change_point(Index years, Index change, double early, double late,
                             std::uint64_t seed);

}  // namespace ed::models
