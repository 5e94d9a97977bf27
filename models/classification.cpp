// Builders and simulators of the classification models.
#include "edpp/models/classification.hpp"

#include "edpp/core/ops.hpp"
#include "edpp/criticism/ppc.hpp"
#include "edpp/models/simulate.hpp"

namespace ed::models {

LogisticRegression logistic_regression(const Tensor& X, Index features) {
  Normal w(Matrix::Zero(features, 1), 3.0);
  Normal b(0.0, 3.0);
  Bernoulli y(matmul(X, w) + b);
  return {w, b, y};
}

ClassificationData simulate_logistic(Index n, std::uint64_t seed) {
  Rng rng(seed);
  ClassificationData d;
  d.X = normal_matrix(n, 2, rng, 0.0, 1.5);
  d.W = (Matrix(2, 1) << 2.0, -1.5).finished();
  d.b = Matrix::Constant(1, 1, 0.5);
  const LogisticRegression m = logistic_regression(constant(d.X), 2);
  d.y = simulate(m.y, {{m.w, d.W}, {m.b, d.b}}, rng.engine()());
  return d;
}

SoftmaxRegression softmax_regression(const Tensor& X, Index features, Index classes) {
  Normal W(Matrix::Zero(features, classes), 3.0);
  Normal b(Matrix::Zero(1, classes), 3.0);
  Categorical y(matmul(X, W) + b);
  return {W, b, y};
}

ClassificationData simulate_softmax(Index n, std::uint64_t seed) {
  Rng rng(seed);
  ClassificationData d;
  d.X = normal_matrix(n, 2, rng, 0.0, 2.0);
  d.W = (Matrix(2, 3) << 2.0, -1.0, -1.0, 0.0, 1.5, -1.5).finished();
  d.b = (Matrix(1, 3) << 0.0, 0.5, -0.5).finished();
  const SoftmaxRegression m = softmax_regression(constant(d.X), 2, 3);
  d.y = simulate(m.y, {{m.W, d.W}, {m.b, d.b}}, rng.engine()());
  return d;
}

}  // namespace ed::models
