// Seeded random matrices for the gallery's simulated data sets.
#pragma once

#include "edpp/core/fwd.hpp"
#include "edpp/core/rng.hpp"

namespace ed::models {

/// rows × cols draws from N(mean, sd²).
Matrix normal_matrix(Index rows, Index cols, Rng& rng, double mean = 0.0, double sd = 1.0);
/// rows × cols draws from U(low, high).
Matrix uniform_matrix(Index rows, Index cols, Rng& rng, double low = 0.0, double high = 1.0);
/// One draw per row from Categorical(row of probs) (the Gaussian mixture's component labels;
/// data the models can draw themselves come from ed::simulate).
Matrix categorical_draws(const Matrix& probs, Rng& rng);
/// Student's t(ν) draws.
Matrix student_t_matrix(Index rows, Index cols, double df, Rng& rng);

}  // namespace ed::models
