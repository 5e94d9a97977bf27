// Toy data sets of the gallery and a seeded train/test split.
#pragma once

#include <cstdint>

#include "edpp/core/fwd.hpp"

namespace ed::datasets {

/// Inputs and targets split into a training and a test part (rows are data points).
struct Split {
  Matrix X_train, X_test, y_train, y_test;
};

/// Edward's MDN toy data, reproduced draw for draw: with numpy's legacy generator seeded with
/// `seed`, y ~ U(−10.5, 10.5) (n draws), r ~ N(0, 1) (n draws), x = 7 sin(0.75 y) + 0.5 y + r;
/// then sklearn's train_test_split(x, y, random_state=42) (25% test, shuffled). The same seed
/// gives the same numbers as the tutorial's Python code.
Split toy_mdn(Index n, std::uint32_t seed);

/// Shuffles the rows of X and y together and splits them as sklearn's train_test_split with
/// random_state=seed: the first ⌈test_fraction·n⌉ rows of the permutation are the test part.
/// @throws ed::invalid_argument when X and y have different row counts or the fraction is not
/// in (0, 1).
Split train_test_split(const Matrix& X, const Matrix& y, double test_fraction, std::uint32_t seed);

}  // namespace ed::datasets
