// Log densities computed element by element in one op, for families whose log density is a
// short formula of the value and a parameter or two (Note [Pointwise densities]).
#pragma once

#include <string>
#include <vector>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/support.hpp"

namespace ed::extend {

/// One family's log density at one element, with its partial derivatives. `theta` holds the
/// family's parameters at that element, in constructor order. Only called for values inside
/// the family's domain: the op gives −∞ and no gradient outside it.
struct PointwiseDensity {
  /// log p(x | θ).
  double (*log_density)(double x, const double* theta);
  /// Writes ∂/∂x to d[0] and ∂/∂θ_k to d[1 + k]. (A costly partial, a digamma, belongs in a
  /// `precomputed` term, whose node a Program skips when no gradient needs it.)
  void (*partials)(double x, const double* theta, double* d);
  /// Optional: terms of the value alone or of the parameters alone (Poisson's lgamma(k + 1),
  /// Gamma's lgamma(α)), made as graph nodes and passed to the formula as further parameters
  /// after the family's own. A term of data or of constant parameters is then computed once
  /// by a Program (Note [Static nodes]) instead of once per element per run, and its gradient
  /// reaches x or θ through its node: `partials` leaves it out of theirs.
  std::vector<Tensor> (*precomputed)(const Tensor& x, const std::vector<Tensor>& params) = nullptr;
  /// Optional: log p(x | θ) with its partials written to d as `partials` writes them, for a
  /// formula whose value and partials share a costly term (PoissonLog's e^η). The op then
  /// computes both in its forward pass and keeps the partials for the backward pass.
  double (*log_density_and_partials)(double x, const double* theta, double* d) = nullptr;
};

}  // namespace ed::extend

namespace ed::detail {

/// The log density of `family` at x, elementwise over x and `params` broadcast together, as one
/// node: −∞ where x is outside `domain` (an elementwise support).
/// @throws ed::invalid_argument when the shapes do not broadcast, naming the family.
Tensor pointwise_log_prob(const std::string& family, const extend::PointwiseDensity& density,
                          const Support& domain, const Tensor& x,
                          const std::vector<Tensor>& params);

}  // namespace ed::detail
