// The categorical distribution over labels 0..K−1, one draw per row.
#pragma once

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Categorical(logits): logits n×K (or 1×K), one label in {0, …, K−1} per row, stored as a
/// double; P(k) = softmax(logits)_k. log_prob(x) is n×1.
/// @throws ed::invalid_argument at run time for a value that is not an integer label in [0, K):
/// "Categorical: value[1, 0] is 4, but must be an integer in [0, 4)".
class Categorical : public RandomVariable {
 public:
  explicit Categorical(const Tensor& logits);
  Categorical(const Tensor& logits, const Tensor& value);
  /// From probabilities (rows are normalised; each entry must be in [0, 1]).
  static Categorical from_probs(const Tensor& probs);
  Tensor logits() const;
  /// softmax(logits), n×K.
  Tensor probs() const;
};

namespace detail {
class CategoricalDistribution final : public Distribution {
 public:
  explicit CategoricalDistribution(Tensor logits);
  std::string_view name() const override { return "Categorical"; }
  Tensor log_prob(const Tensor& x) const override;
  Tensor sample(const Tensor& like = Tensor()) const override;
  Support support() const override;
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override { return {logits_}; }
  const Tensor& logits() const { return logits_; }

 private:
  Tensor logits_;
};
}  // namespace detail

}  // namespace ed
