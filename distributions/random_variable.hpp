// RandomVariable: a distribution plus a value node, composing with tensors as in Edward.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/support.hpp"

namespace ed {

/// A probability distribution over matrices whose rows are independent draws (the batch) and
/// whose columns are the event or further batch dimensions. Each family implements this.
class Distribution {
 public:
  Distribution() = default;
  Distribution(const Distribution&) = delete;
  Distribution& operator=(const Distribution&) = delete;
  virtual ~Distribution() = default;

  /// The family's name, used in every error ("Normal").
  virtual std::string_view name() const = 0;
  /// Elementwise log density (or mass) at x, x broadcast against the batch shape; multivariate
  /// families return one value per row. −inf outside the support.
  virtual Tensor log_prob(const Tensor& x) const = 0;
  /// A node that draws a fresh sample on every run. With `like`, the draw has the broadcast
  /// shape of the parameters and `like` (whose values are not used): independent draws for
  /// every row of a batch whose parameters are shared (a one-row loc under n-row logits).
  virtual Tensor sample(const Tensor& like = Tensor()) const = 0;
  /// @throws ed::invalid_argument when the family has no finite mean (Cauchy).
  virtual Tensor mean() const;
  /// @throws ed::invalid_argument when the family has no finite variance.
  virtual Tensor variance() const;
  virtual Tensor stddev() const;
  virtual Support support() const = 0;
  /// Where log_prob is finite, when that differs from the support (Gamma's density may be
  /// finite at 0): what data bound to this family must lie in.
  virtual Support domain() const { return support(); }
  /// Whether sample() is differentiable in the parameters (Edward's reparameterization_type):
  /// true for location-scale and inverse-CDF samplers and for Gamma-based families (implicit
  /// gradients); false for discrete families, whose draws refuse a gradient.
  virtual bool is_reparameterized() const = 0;
  /// The parameters in constructor order.
  virtual std::vector<Tensor> params() const = 0;
  /// The parameters (constructor order) when this is the family named `family`, nothing
  /// otherwise: how a consumer recognises a family it handles specially (a fused normal
  /// mixture, Laplace's Normal q, evaluate's classifiers) with no virtual of its own here.
  std::optional<std::vector<Tensor>> params_of(std::string_view family) const {
    if (name() != family) return std::nullopt;
    return params();
  }
  /// True for families without randomness (PointMass): their value is not a draw, so inference
  /// does not ask for them to be bound.
  virtual bool is_deterministic() const { return false; }
};

/// A distribution plus a value node (Edward's RandomVariable). The value is a sample by default;
/// inference substitutes it with data or a point mass. Converts implicitly to its value, so
/// random variables compose like tensors: `ed::Normal(ed::matmul(X, w) + b, 1.0)`.
class RandomVariable;
namespace detail {
std::optional<RandomVariable> random_variable_of(const Tensor& value);
}

class RandomVariable {
 public:
  /// A random variable whose value is `value`, or a fresh sample of `distribution` when empty.
  explicit RandomVariable(std::shared_ptr<const Distribution> distribution, Tensor value = {});

  /// True when the value is the variable's own draw (no value was given).
  bool value_is_sample() const { return value_is_sample_; }
  /// "Normal [3, 1]": the family and the value's shape, how inference errors name it.
  std::string describe() const;

  operator Tensor() const { return value_; }  // NOLINT(google-explicit-constructor): as Edward
  const Tensor& value() const { return value_; }
  Tensor log_prob(const Tensor& x) const { return distribution_->log_prob(x); }
  Tensor sample() const { return distribution_->sample(); }
  Tensor mean() const { return distribution_->mean(); }
  Tensor stddev() const { return distribution_->stddev(); }
  Tensor variance() const { return distribution_->variance(); }
  Support support() const { return distribution_->support(); }
  bool is_reparameterized() const { return distribution_->is_reparameterized(); }
  std::vector<Tensor> params() const { return distribution_->params(); }
  const Distribution& distribution() const { return *distribution_; }
  const std::shared_ptr<const Distribution>& distribution_ptr() const { return distribution_; }

  friend bool operator==(const RandomVariable& a, const RandomVariable& b) {
    return a.value_ == b.value_;
  }

 private:
  friend std::optional<RandomVariable> detail::random_variable_of(const Tensor& value);
  struct OwnDraw {};
  /// The random variable whose own draw `value` already is (found again by a graph query).
  RandomVariable(OwnDraw, std::shared_ptr<const Distribution> distribution, Tensor value)
      : distribution_(std::move(distribution)), value_(std::move(value)), value_is_sample_(true) {}

  std::shared_ptr<const Distribution> distribution_;
  Tensor value_;
  bool value_is_sample_ = false;
};

}  // namespace ed

template <>
struct std::hash<ed::RandomVariable> {
  std::size_t operator()(const ed::RandomVariable& rv) const noexcept {
    return std::hash<ed::Tensor>()(rv.value());
  }
};
