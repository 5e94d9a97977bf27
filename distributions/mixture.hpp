// Finite mixtures: Edward's list-of-components form and the same-family form.
#pragma once

#include <vector>

#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// p(x) = Σ_k π_k p_k(x) with π = softmax(cat.logits), evaluated as
/// logsumexp_k(log π_k + log p_k(x)): finite even far from every component. A mixture of
/// normals uses one fused op with an analytic gradient.
class Mixture : public RandomVariable {
 public:
  /// Edward's form: K components, each with batch shape n×1 (or 1×1), and cat with K columns.
  /// @throws ed::invalid_argument when the number of components differs from cat's columns.
  Mixture(const Categorical& cat, const std::vector<RandomVariable>& components);
  /// Same family, components in columns: e.g. Normal(locs, scales) with locs, scales n×K.
  Mixture(const Categorical& cat, const RandomVariable& components);
};

namespace detail {
class MixtureDistribution final : public Distribution {
 public:
  MixtureDistribution(std::shared_ptr<const CategoricalDistribution> cat,
                      std::vector<std::shared_ptr<const Distribution>> components,
                      bool components_in_columns);
  std::string_view name() const override { return "Mixture"; }
  Tensor log_prob(const Tensor& x) const override;
  Tensor sample(const Tensor& like = Tensor()) const override;
  Tensor mean() const override;
  Tensor variance() const override;
  Support support() const override { return components_.front()->support(); }
  // The component a draw comes from is a discrete choice.
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override;

 private:
  // Component means (or second moments) as an n×K matrix, one column per component.
  Tensor component_columns(Tensor (Distribution::*moment)() const) const;
  std::shared_ptr<const CategoricalDistribution> cat_;
  std::vector<std::shared_ptr<const Distribution>> components_;
  bool in_columns_;
};
}  // namespace detail

}  // namespace ed
