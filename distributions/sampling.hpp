// Random draws as graph nodes: standard draws for reparameterised samplers, and draws whose
// parameters vary per element for the others. Boost.Random distributions on the Session's
// engine, so a seed reproduces a run on every platform.
#pragma once

#include <vector>

#include "core/tensor.hpp"

namespace ed::detail {

/// What one element is drawn from. The first group takes no parameters (standard forms, to be
/// shifted and scaled by the caller, which keeps gradients flowing to loc and scale); the second
/// takes the listed parameters, element by element.
enum class Draw {
  normal,             ///< N(0, 1)
  uniform,            ///< U(0, 1)
  exponential,        ///< Exp(1)
  laplace,            ///< Laplace(0, 1)
  logistic,           ///< Logistic(0, 1)
  gumbel,             ///< Gumbel(0, 1), the maximum-extreme-value law
  cauchy,             ///< Cauchy(0, 1)
  gamma,              ///< Gamma(shape α, scale 1)                  params: α
  beta,               ///< Beta(α, β)                                params: α, β
  poisson,            ///< Poisson(λ)                                params: λ
  binomial,           ///< Binomial(n, p)                            params: n, p
  geometric,          ///< failures before the first success         params: p
  negative_binomial,  ///< failures before the r-th success    params: r, p
  student_t,          ///< Student's t(ν), standard                  params: ν
  bernoulli,          ///< Bernoulli(p)                              params: p
};

/// A node drawing independently for every element of the broadcast shape of `params` and
/// `like` (whose values are not used) on each run. No gradient flows through it.
Tensor draw(Draw kind, const std::vector<Tensor>& params, const std::vector<Tensor>& like = {});

}  // namespace ed::detail
