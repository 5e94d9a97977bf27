// Seeded random matrices for the gallery's simulated data sets.
#pragma once

#include "core/fwd.hpp"
#include "core/rng.hpp"

namespace ed::models {

/// rows × cols draws from N(mean, sd²).
Matrix normal_matrix(Index rows, Index cols, Rng& rng, double mean = 0.0, double sd = 1.0);
/// rows × cols draws from U(low, high).
Matrix uniform_matrix(Index rows, Index cols, Rng& rng, double low = 0.0, double high = 1.0);
/// One draw per element from Poisson(rate), Bernoulli(p) or Categorical(row of probs).
Matrix poisson_draws(const Matrix& rate, Rng& rng);
Matrix bernoulli_draws(const Matrix& p, Rng& rng);
Matrix categorical_draws(const Matrix& probs, Rng& rng);
/// Student's t(ν) draws.
Matrix student_t_matrix(Index rows, Index cols, double df, Rng& rng);

}  // namespace ed::models
