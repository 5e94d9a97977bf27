// The MDN gallery entry: numpy-exact toy data, the split, and an end-to-end fit.
#include <doctest/doctest.h>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;

TEST_CASE("toy_mdn reproduces the tutorial's numpy/sklearn data exactly") {
  // Reference: np.random.seed(42); uniform, normal; train_test_split(random_state=42).
  const auto [X_train, X_test, y_train, y_test] = ed::datasets::toy_mdn(5000, 42);
  CHECK(X_train.rows() == 3750);
  CHECK(X_test.rows() == 1250);
  CHECK(X_train(0, 0) == doctest::Approx(-4.21124377).epsilon(1e-8));
  CHECK(X_train(2, 0) == doctest::Approx(-4.73990459).epsilon(1e-8));
  CHECK(y_train(1, 0) == doctest::Approx(0.0552561).epsilon(1e-7));
  CHECK(X_test(1, 0) == doctest::Approx(-7.59282936).epsilon(1e-8));
  CHECK(y_test(2, 0) == doctest::Approx(-9.40054458).epsilon(1e-8));
  CHECK(X_train.sum() == doctest::Approx(87.88982579617613).epsilon(1e-12));
  CHECK(y_test.sum() == doctest::Approx(-297.4018609934004).epsilon(1e-12));
}

TEST_CASE("train_test_split keeps rows paired and rejects mismatched inputs") {
  Matrix X(10, 2), y(10, 1);
  for (int i = 0; i < 10; ++i) {
    X.row(i) << i, 10 * i;
    y(i, 0) = 100 * i;
  }
  const auto s = ed::datasets::train_test_split(X, y, 0.3, 1);
  CHECK(s.X_test.rows() == 3);
  CHECK(s.X_train.rows() == 7);
  CHECK(s.X_train.col(0).sum() + s.X_test.col(0).sum() == 45.0);
  for (int i = 0; i < 3; ++i) CHECK(s.y_test(i, 0) == 100 * s.X_test(i, 0));
  CHECK_THROWS_WITH_AS(ed::datasets::train_test_split(X, Matrix(9, 1), 0.3, 1),
                       "train_test_split: X has 10 rows but y has 9", ed::invalid_argument);
}

TEST_CASE("the MDN fits the toy data: test log-likelihood per point beats -1.6 in 300 epochs") {
  ed::set_seed(42);
  const auto data = ed::datasets::toy_mdn(5000, 42);
  const auto X = ed::placeholder({ed::Dynamic, 1}, "X");
  const auto y = ed::placeholder({ed::Dynamic, 1}, "y");
  const auto model = ed::models::mdn(X, 20, {15, 15});
  ed::MAP inference({}, {{model.y, y}});
  inference.initialize({.optimizer = ed::Adam(5e-3)});
  const ed::Feed train = {{X, data.X_train}, {y, data.y_train}};
  const ed::Feed test = {{X, data.X_test}, {y, data.y_test}};
  const double initial = -inference.loss(test) / 1250.0;
  for (int i = 0; i < 300; ++i) inference.update(train);
  const double final_ll = -inference.loss(test) / 1250.0;
  MESSAGE("test log-likelihood per point: " << initial << " -> " << final_ll);
  CHECK(final_ll > -1.6);
  CHECK(final_ll > initial + 1.0);
}
