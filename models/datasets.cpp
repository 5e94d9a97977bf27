// toy_mdn and train_test_split.
#include "edpp/models/datasets.hpp"

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/models/numpy_random.hpp"

namespace ed::datasets {

Split train_test_split(const Matrix& X, const Matrix& y, double test_fraction, std::uint32_t seed) {
  if (X.rows() != y.rows()) {
    throw ed::invalid_argument("train_test_split: X has " + std::to_string(X.rows()) +
                               " rows but y has " + std::to_string(y.rows()));
  }
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw ed::invalid_argument("train_test_split: test_fraction must be in (0, 1)");
  }
  const auto n = static_cast<std::size_t>(X.rows());
  const auto n_test = static_cast<std::size_t>(std::ceil(test_fraction * static_cast<double>(n)));
  const std::size_t n_train = n - n_test;
  detail::NumpyRandomState rng(seed);
  const auto order = rng.permutation(n);
  Split s{Matrix(n_train, X.cols()), Matrix(n_test, X.cols()), Matrix(n_train, y.cols()),
          Matrix(n_test, y.cols())};
  for (std::size_t i = 0; i < n_test; ++i) {
    s.X_test.row(i) = X.row(order[i]);
    s.y_test.row(i) = y.row(order[i]);
  }
  for (std::size_t i = 0; i < n_train; ++i) {
    s.X_train.row(i) = X.row(order[n_test + i]);
    s.y_train.row(i) = y.row(order[n_test + i]);
  }
  return s;
}

Split toy_mdn(Index n, std::uint32_t seed) {
  if (n < 2)
    throw ed::invalid_argument("toy_mdn: needs at least 2 points, got " + std::to_string(n));
  detail::NumpyRandomState rng(seed);
  Matrix y(n, 1), x(n, 1);
  for (Index i = 0; i < n; ++i) y(i, 0) = rng.uniform(-10.5, 10.5);
  for (Index i = 0; i < n; ++i) {
    const double r = rng.standard_normal();
    x(i, 0) = std::sin(0.75 * y(i, 0)) * 7.0 + y(i, 0) * 0.5 + r * 1.0;
  }
  // The tutorial splits with a fixed random_state=42, whatever seed made the data.
  return train_test_split(x, y, 0.25, 42);
}

}  // namespace ed::datasets
