// The normal (Gaussian) distribution.
#pragma once

#include <optional>

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// Normal(loc, scale): density exp(−½((x − μ)/σ)²) / (σ√(2π)), support ℝ. loc and scale
/// broadcast against each other; samples are reparameterised (μ + σ·ε), so gradients reach both.
/// @throws ed::invalid_argument when loc and scale do not broadcast (at construction) or a scale
/// is not positive (when the graph runs): "Normal: scale[2, 0] is -0.5, but must be positive".
class Normal : public RandomVariable {
 public:
  Normal(const Tensor& loc, const Tensor& scale);
  /// Binds the value to `value` instead of a fresh sample.
  Normal(const Tensor& loc, const Tensor& scale, const Tensor& value);
  Tensor loc() const;
  Tensor scale() const;
};

namespace detail {
/// The distribution behind ed::Normal, visible to fused ops such as the normal mixture.
class NormalDistribution final : public Distribution {
 public:
  NormalDistribution(Tensor loc, Tensor scale);
  std::string_view name() const override { return "Normal"; }
  Tensor log_prob(const Tensor& x) const override;
  Tensor sample(const Tensor& like = Tensor()) const override;
  Tensor mean() const override;
  Tensor variance() const override;
  Tensor stddev() const override;
  Support support() const override { return Support::real(); }
  bool is_reparameterized() const override { return true; }
  std::vector<Tensor> params() const override { return {loc_, scale_}; }
  const Tensor& loc() const { return loc_; }
  const Tensor& scale() const { return scale_; }

 private:
  Tensor loc_, scale_;
};

/// s when `t` was built as exp(s) (Op::exp_of_input), nothing otherwise.
std::optional<Tensor> exponent_of(const Tensor& t);
/// log σ without an extra log when σ was built as exp(s): returns s itself in that case.
Tensor log_of_positive(const Tensor& scale);
}  // namespace detail

}  // namespace ed
