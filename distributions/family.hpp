// A distribution family described as data: its parameters and their constraints, its support,
// and its log density, sampler and moments written as graph expressions. Most families are one
// such description (distributions/location_scale.cpp, positive.cpp, bounded.cpp, discrete.cpp,
// multivariate.cpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edpp/distributions/checks.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed::detail {

struct FamilyParameter {
  std::string name;
  std::optional<Support> constraint;  ///< the set its values must lie in, checked when run
};

struct FamilySpec {
  using Params = std::vector<Tensor>;
  std::string name;
  std::vector<FamilyParameter> params;
  Support support = Support::real();
  /// A support that depends on the parameters (Uniform with constant bounds: the interval), or
  /// nullopt for `support`. Only the latent's bijector reads it; the data domain stays `domain`
  /// or `support`.
  std::function<std::optional<Support>(const Params&)> support_of;
  /// Where log_prob is finite when it differs from the support (Gamma's density is defined at
  /// 0); outside, log_prob is −inf. Row sets (the simplex) test whole rows.
  std::optional<Support> domain;
  /// Whether samples are differentiable in the parameters (location-scale and inverse-CDF
  /// samplers, implicit gradients through Gamma draws); false for discrete families.
  bool reparameterized = true;
  /// Elementwise log density at x (params already checked). Multivariate families return n×1.
  std::function<Tensor(const Params&, const Tensor& x)> log_prob;
  /// A sampling node; `like` (possibly empty) only widens its shape.
  std::function<Tensor(const Params&, const Tensor& like)> sample;
  std::function<Tensor(const Params&)> mean;      ///< empty: the family has no finite mean
  std::function<Tensor(const Params&)> variance;  ///< empty: no finite variance
  /// For MultivariateNormalTriL: its loc and scale_tril (Distribution::normal_tril_parameters).
  std::function<std::optional<NormalParameters>(const Params&)> normal_tril_parameters;
  /// For Bernoulli: P(x = 1) (Distribution::class_probabilities); empty for other families.
  std::function<Tensor(const Params&)> probability_of_one;
  /// Whether the parameters must broadcast against each other (not for MVN's loc and matrix).
  bool params_broadcast = true;
};

/// The Distribution for a FamilySpec and its parameter tensors.
class FamilyDistribution final : public Distribution {
 public:
  /// @throws ed::invalid_argument when parameters are empty or do not broadcast.
  FamilyDistribution(std::shared_ptr<const FamilySpec> spec, std::vector<Tensor> params);
  std::string_view name() const override { return spec_->name; }
  Tensor log_prob(const Tensor& x) const override;
  Tensor sample(const Tensor& like = Tensor()) const override;
  Tensor mean() const override;
  Tensor variance() const override;
  Support support() const override;
  std::optional<NormalParameters> normal_tril_parameters() const override {
    if (!spec_->normal_tril_parameters) return std::nullopt;
    return spec_->normal_tril_parameters(params_);
  }
  Support domain() const override { return spec_->domain ? *spec_->domain : spec_->support; }
  std::optional<ClassProbabilities> class_probabilities() const override {
    if (!spec_->probability_of_one) return std::nullopt;
    return ClassProbabilities{spec_->probability_of_one(params_), true};
  }
  bool is_reparameterized() const override { return spec_->reparameterized; }
  std::vector<Tensor> params() const override { return params_; }

 private:
  // The parameters behind their run-time check nodes.
  std::vector<Tensor> checked() const;
  std::shared_ptr<const FamilySpec> spec_;
  std::vector<Tensor> params_;
};

/// The tensors a draw's shape broadcasts over: the parameters, and `like` when it is given.
std::vector<Tensor> with_like(std::vector<Tensor> params, const Tensor& like);

/// The distribution pointer for a RandomVariable of family `spec`.
std::shared_ptr<const Distribution> make_family(const std::shared_ptr<const FamilySpec>& spec,
                                                std::vector<Tensor> params);

}  // namespace ed::detail
