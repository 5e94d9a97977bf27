// Classification models of the gallery: logistic and softmax (multinomial logistic) regression.
#pragma once

#include <cstdint>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/distributions.hpp"

namespace ed::models {

/// Labelled points with the parameters that made them.
struct ClassificationData {
  Matrix X, y;  ///< y: labels 0..K−1 (n×1)
  Matrix W;     ///< true weights (d×1 for logistic, d×K for softmax)
  Matrix b;     ///< true intercepts (1×1 or 1×K)
};

/// y ~ Bernoulli(logits = Xw + b), w ~ N(0, 3) (d×1), b ~ N(0, 3).
struct LogisticRegression {
  Normal w, b;
  Bernoulli y;
};
LogisticRegression logistic_regression(const Tensor& X, Index features);
ClassificationData simulate_logistic(Index n, std::uint64_t seed);

/// y ~ Categorical(logits = XW + b), W ~ N(0, 3) (d×K), b ~ N(0, 3) (1×K).
struct SoftmaxRegression {
  Normal W, b;
  Categorical y;
};
SoftmaxRegression softmax_regression(const Tensor& X, Index features, Index classes);
/// Three classes in 2-D.
ClassificationData simulate_softmax(Index n, std::uint64_t seed);

}  // namespace ed::models
