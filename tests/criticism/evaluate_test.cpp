// ed::evaluate and its metrics: hand-computed values, the posterior predictive, clear errors.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;

namespace {
Matrix column(std::initializer_list<double> v) {
  Matrix m(static_cast<ed::Index>(v.size()), 1);
  ed::Index i = 0;
  for (double x : v) m(i++, 0) = x;
  return m;
}
}  // namespace

TEST_CASE("every metric matches its value computed by hand") {
  namespace m = ed::metrics;
  const Matrix labels = column({1, 0, 1, 1}), p = column({0.9, 0.4, 0.6, 0.2});
  CHECK(m::binary_accuracy(labels, p) == doctest::Approx(0.75));
  CHECK(m::binary_crossentropy(labels, p) ==
        doctest::Approx(-(std::log(0.9) + std::log(0.6) + std::log(0.6) + std::log(0.2)) / 4));

  const Matrix y = column({1, 2, 3}), f = column({1.5, 2, 2});
  CHECK(m::mean_squared_error(y, f) == doctest::Approx((0.25 + 0 + 1) / 3));
  CHECK(m::mean_absolute_error(y, f) == doctest::Approx(0.5));
  CHECK(m::mean_absolute_percentage_error(y, f) == doctest::Approx(100 * (0.5 + 0 + 1.0 / 3) / 3));
  const double l1 = std::log(2.5) - std::log(2.0), l3 = std::log(3.0) - std::log(4.0);
  CHECK(m::mean_squared_logarithmic_error(y, f) == doctest::Approx((l1 * l1 + l3 * l3) / 3));
  CHECK(m::poisson(y, f) ==
        doctest::Approx((1.5 - std::log(1.5) + 2 - 2 * std::log(2.0) + 2 - 3 * std::log(2.0)) / 3)
            .epsilon(1e-7));
  const Matrix signs = column({1, -1, 1}), scores = column({0.5, -2, -0.5});
  CHECK(m::hinge(signs, scores) == doctest::Approx((0.5 + 0 + 1.5) / 3));
  CHECK(m::squared_hinge(signs, scores) == doctest::Approx((0.25 + 0 + 2.25) / 3));

  const Matrix t = (Matrix(1, 2) << 0.2, 0.8).finished(), q = (Matrix(1, 2) << 0.5, 0.5).finished();
  CHECK(m::kl_divergence(t, q) == doctest::Approx(0.2 * std::log(0.4) + 0.8 * std::log(1.6)));
  const Matrix a = (Matrix(2, 2) << 1, 0, 0, 2).finished(),
               b = (Matrix(2, 2) << 1, 1, 0, 3).finished();
  CHECK(m::cosine_proximity(a, b) == doctest::Approx(1 / std::sqrt(2.0) + 1));

  const Matrix one_hot = Matrix::Identity(3, 3);
  const Matrix probs = (Matrix(3, 3) << 0.7, 0.2, 0.1, 0.5, 0.3, 0.2, 0.1, 0.1, 0.8).finished();
  const Matrix classes = column({0, 1, 2});
  CHECK(m::categorical_accuracy(one_hot, probs) == doctest::Approx(2.0 / 3));
  CHECK(m::sparse_categorical_accuracy(classes, probs) == doctest::Approx(2.0 / 3));
  CHECK(m::sparse_categorical_accuracy(classes, column({0, 1, 1})) == doctest::Approx(2.0 / 3));
  const double xent = -(std::log(0.7) + std::log(0.3) + std::log(0.8)) / 3;
  CHECK(m::categorical_crossentropy(one_hot, probs) == doctest::Approx(xent));
  CHECK(m::sparse_categorical_crossentropy(classes, probs) == doctest::Approx(xent));
}

TEST_CASE("metrics name the metric and what is wrong with the data") {
  namespace m = ed::metrics;
  CHECK_THROWS_WITH_AS(m::mean_squared_error(column({1, 2}), column({1, 2, 3})),
                       "mean_squared_error: y_true has shape [2, 1] but y_pred [3, 1]; they must "
                       "be equal and non-empty",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(m::binary_accuracy(column({1, 2}), column({1, 0})),
                       "binary_accuracy: y_true[1, 0] is 2, but must be 0 or 1",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(
      m::sparse_categorical_crossentropy(column({0, 3}), Matrix::Constant(2, 3, 1.0 / 3)),
      "sparse_categorical_crossentropy: y_true[1, 0] is 3, but must be a class label in [0, 2]",
      ed::invalid_argument);
}

TEST_CASE("evaluate scores a Bernoulli and a Categorical predictive by their probabilities") {
  ed::set_seed(3);
  const Matrix logits = column({2.0, -1.0, 0.3, -0.2});
  const ed::Bernoulli y(logits);
  const Matrix y_true = column({1, 0, 0, 1});
  const Matrix p = (1.0 / (1.0 + (-logits.array()).exp())).matrix();
  const std::vector<double> scores =
      ed::evaluate({"binary_accuracy", "binary_crossentropy", "accuracy", "log_likelihood"},
                   {{y, y_true}}, {.n_samples = 20});
  CHECK(scores[0] == doctest::Approx(0.5));  // predictions 1, 0, 1, 0
  CHECK(scores[1] == doctest::Approx(ed::metrics::binary_crossentropy(y_true, p)));
  CHECK(scores[2] == scores[0]);  // "accuracy" on 0/1 labels is binary
  // Edward's log_likelihood: the mean log p(y_true) (the parameters are fixed here).
  CHECK(scores[3] == doctest::Approx(-ed::metrics::binary_crossentropy(y_true, p)));

  const Matrix class_logits = (Matrix(3, 3) << 2, 0, 0, 0, 0, 1, 0, 3, 0).finished();
  const ed::Categorical c(class_logits);
  const Matrix labels = column({0, 1, 1});
  CHECK(ed::evaluate("sparse_categorical_accuracy", {{c, labels}}, {.n_samples = 5}) ==
        doctest::Approx(2.0 / 3));
  const Matrix probs = ed::eval(ed::softmax(ed::constant(class_logits)));
  CHECK(ed::evaluate("crossentropy", {{c, labels}}, {.n_samples = 5}) ==
        doctest::Approx(ed::metrics::sparse_categorical_crossentropy(labels, probs)));
}

TEST_CASE("evaluate averages posterior predictive draws made by copy") {
  // z ~ N(0, 1), y ~ N(z · 1 + x, 0.1); the approximation q(z) = N(2, 0.05) is swapped in.
  ed::set_seed(4);
  const auto x = ed::placeholder({ed::Dynamic, 1}, "x");
  const ed::Normal z(0.0, 1.0);
  const ed::Normal y(z * Matrix(Matrix::Ones(5, 1)) + x, 0.1);
  const ed::Normal qz(ed::variable(Matrix::Constant(1, 1, 2.0)), 0.05);
  const ed::RandomVariable y_post = ed::copy(y, {{z, qz}});
  const Matrix x_test = column({0, 1, 2, 3, 4});
  const Matrix y_test = (x_test.array() + 2.1).matrix();
  const std::vector<double> scores = ed::evaluate(
      {"mean_squared_error", "mean_absolute_error",
       ed::Metric("largest error",
                  [](const Matrix& t, const Matrix& f) { return (t - f).cwiseAbs().maxCoeff(); })},
      {{y_post, y_test}}, {.n_samples = 2000, .seed = 5, .feed = {{x, x_test}}});
  // The predictive mean is 2 + x up to Monte Carlo error (sd √(0.05² + 0.1²/... ) / √2000).
  CHECK(scores[0] == doctest::Approx(0.01).epsilon(0.05));
  CHECK(scores[1] == doctest::Approx(0.1).epsilon(0.03));
  CHECK(scores[2] == doctest::Approx(0.1).epsilon(0.05));
  // One seed reproduces the scores.
  CHECK(ed::evaluate("mean_squared_error", {{y_post, y_test}},
                     {.n_samples = 2000, .seed = 5, .feed = {{x, x_test}}}) == scores[0]);
}

TEST_CASE("evaluate names unknown metrics and misuse") {
  const ed::Normal y(Matrix(Matrix::Zero(3, 1)), 1.0);
  const Matrix y_true = column({0, 1, 2});
  CHECK_THROWS_WITH_AS(ed::evaluate("mse", {{y, y_true}}),
                       doctest::Contains("evaluate: unknown metric 'mse'; known: accuracy, "),
                       ed::invalid_argument);
  // A classifier's metric on a continuous predictive: refused, not a meaningless score.
  CHECK_THROWS_WITH_AS(ed::evaluate("binary_accuracy", {{y, column({0, 1, 1})}}, {.n_samples = 2}),
                       "evaluate: 'binary_accuracy' needs a Bernoulli or Categorical predictive, "
                       "but y_post is a Normal",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::evaluate("accuracy", {{y, column({0, 1, 1})}}, {.n_samples = 2}),
                       doctest::Contains("needs a Bernoulli or Categorical predictive"),
                       ed::invalid_argument);
  const ed::Bernoulli b(Matrix(Matrix::Zero(3, 1)));
  CHECK_THROWS_WITH_AS(ed::evaluate("binary_accuracy", {{b, y_true}}, {.n_samples = 2}),
                       doctest::Contains("evaluate: metric 'binary_accuracy' on the predictive "
                                         "Bernoulli"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::evaluate("binary_accuracy", {{b, y_true}}, {.n_samples = 2}),
                       doctest::Contains("y_true[2, 0] is 2, but must be 0 or 1"),
                       ed::invalid_argument);
  // y_true transposed against the predictive's draws: refused, not broadcast.
  CHECK_THROWS_WITH_AS(ed::evaluate("log_likelihood", {{y, Matrix(y_true.transpose())}}),
                       "evaluate: y_true has shape [1, 3], but the predictive Normal [3, 1] "
                       "draws that shape only: pass y_true in it (transposed?)",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::evaluate("mean_squared_error", {{y, y_true}}, {.n_samples = 0}),
                       "evaluate: n_samples must be at least 1, got 0", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::evaluate("mean_squared_error", {}),
                       doctest::Contains("evaluate: data must bind one random variable"),
                       ed::invalid_argument);
}

TEST_CASE("evaluate says what it was doing when an error comes from deep inside") {
  const auto x = ed::placeholder({4, 1}, "x_test");
  const ed::Normal y(x * 2.0, 1.0);
  // The predictive needs a feed that was not given: the feed's error, after evaluate's context.
  CHECK_THROWS_WITH_AS(ed::evaluate("mean_squared_error", {{y, Matrix::Zero(4, 1)}}),
                       doctest::Contains("evaluate: drawing from the predictive Normal"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::evaluate("mean_squared_error", {{y, Matrix::Zero(4, 1)}}),
                       doctest::Contains("x_test"), ed::invalid_argument);
}
