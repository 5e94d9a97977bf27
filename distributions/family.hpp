// A distribution family described as data (part of the extension API, ed::extend): its
// parameters and their constraints, its support, and its log density, sampler and moments
// written as graph expressions. Most built-in families are one such description
// (distributions/location_scale.cpp, positive.cpp, bounded.cpp, discrete.cpp, multivariate.cpp),
// and a user's family is one too (docs/design.md, "How to add a family").
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "edpp/distributions/checks.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/pointwise.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {

namespace extend {

/// One parameter of a family: its name (in errors) and the set its values must lie in.
struct FamilyParameter {
  std::string name;
  std::optional<Support> constraint;  ///< the set its values must lie in, checked when run
};

/// A family: parameters, support, and its log density, sampler and moments as graph
/// expressions of the (checked) parameter tensors. Families are compared by `name`, which the
/// KL registry (ed::extend::register_kl) and typed queries (Distribution::params_of) key on.
struct Family {
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
  /// Instead of `log_prob`, for a family whose density is a short formula of a value and
  /// parameters that broadcast elementwise: its value and partial derivatives at one element,
  /// run as one node with the domain check inside (Note [Pointwise densities]).
  const PointwiseDensity* pointwise = nullptr;
  /// A sampling node; `like` (possibly empty) only widens its shape.
  std::function<Tensor(const Params&, const Tensor& like)> sample;
  std::function<Tensor(const Params&)> mean;      ///< empty: the family has no finite mean
  std::function<Tensor(const Params&)> variance;  ///< empty: no finite variance
  /// Whether the parameters must broadcast against each other (not for MVN's loc and matrix).
  bool params_broadcast = true;
};

/// The tensors a draw's shape broadcasts over: the parameters, and `like` when it is given.
std::vector<Tensor> with_like(std::vector<Tensor> params, const Tensor& like);

/// A family on the counts 0, 1, 2, … whose draws carry no gradient (integers), with these
/// parameters: the start of every count family's description.
std::shared_ptr<Family> count_family(std::string name, std::vector<FamilyParameter> params);

/// The distribution of family `family` with these parameter tensors (constructor order), for
/// a RandomVariable: `RandomVariable(make_distribution(family, {loc, scale}), value)`.
/// @throws ed::invalid_argument when a parameter is empty or they do not broadcast.
std::shared_ptr<const Distribution> make_distribution(const std::shared_ptr<const Family>& family,
                                                      std::vector<Tensor> params);

}  // namespace extend

namespace detail {

/// The Distribution for a Family and its parameter tensors.
class FamilyDistribution final : public Distribution {
 public:
  /// @throws ed::invalid_argument when parameters are empty or do not broadcast.
  FamilyDistribution(std::shared_ptr<const extend::Family> spec, std::vector<Tensor> params);
  std::string_view name() const override { return spec_->name; }
  Tensor log_prob(const Tensor& x) const override;
  Tensor sample(const Tensor& like = Tensor()) const override;
  Tensor mean() const override;
  Tensor variance() const override;
  Support support() const override;
  Support domain() const override { return spec_->domain ? *spec_->domain : spec_->support; }
  bool is_reparameterized() const override { return spec_->reparameterized; }
  std::vector<Tensor> params() const override { return params_; }

 private:
  // The parameters behind their run-time check nodes.
  std::vector<Tensor> checked() const;
  std::shared_ptr<const extend::Family> spec_;
  std::vector<Tensor> params_;
};

}  // namespace detail

}  // namespace ed
