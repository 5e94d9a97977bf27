// ParamMixture (Edward's ed.ParamMixture): a mixture whose components share one family, with
// the assignments as a random variable of their own (for Gibbs), or collapsed.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// How a ParamMixture builds its components: the family's constructor on its parameters,
/// `[](const std::vector<Tensor>& p) { return RandomVariable(ed::Normal(p[0], p[1])); }`.
using ComponentFamily = std::function<RandomVariable(const std::vector<Tensor>& params)>;

/// A built-in family by name, parameters in constructor order: "Normal", "LogNormal",
/// "StudentT", "Cauchy", "Laplace", "Logistic", "Gamma", "InverseGamma", "Exponential", "Beta",
/// "Bernoulli", "Binomial", "Poisson", "Categorical", "Multinomial", "MultivariateNormalDiag".
/// @throws ed::invalid_argument naming the family when it is not one of these.
ComponentFamily component_family(std::string_view name);

/// n draws from a mixture of K components of one family (Edward's ParamMixture): row i has an
/// assignment z_i ~ Categorical(mixing_weights) (cat(), n×1) and x_i from component z_i, whose
/// parameters are row z_i of each of `component_params` (K×D each: row k is component k's).
/// mixing_weights are probabilities, 1×K (shared) or n×K.
///
/// As Edward's, log_prob is the density given the assignments (x_i under component z_i), so
/// that Gibbs can draw z and each component's parameters from their conditionals; with
/// `collapsed`, the assignments are summed out instead: log_prob is
/// logsumexp_k(log w_k + log p_k(x_i)), per row, and cat() is not part of the model.
/// marginal_log_prob() is that sum either way.
class ParamMixture : public RandomVariable {
 public:
  ParamMixture(const Tensor& mixing_weights, const std::vector<Tensor>& component_params,
               const ComponentFamily& family, Index n = 1, bool collapsed = false);
  /// The family by name (component_family).
  ParamMixture(const Tensor& mixing_weights, const std::vector<Tensor>& component_params,
               std::string_view family, Index n = 1, bool collapsed = false);

  /// The assignments, n×1 labels in 0..K−1.
  const Categorical& cat() const { return cat_; }
  /// The K components, one per row (the family on component_params).
  const RandomVariable& components() const { return components_; }
  Index num_components() const { return num_components_; }
  /// Per row, log Σ_k w_k p_k(x_i) (n×1).
  Tensor marginal_log_prob(const Tensor& x) const;

 private:
  ParamMixture(std::shared_ptr<const Distribution> distribution, Categorical cat,
               RandomVariable components, Index k);
  Categorical cat_;
  RandomVariable components_;
  Index num_components_;
};

}  // namespace ed
