// Random draws as graph nodes (part of the extension API, ed::extend). Each scalar law is a
// Sampler: how to draw one element and, when
// draws are differentiable in the law's parameters, the derivative of a draw (implicit
// reparameterisation, Figurnov et al. 2018). Boost.Random on the Session's engine, so a seed
// reproduces a run on every platform.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "edpp/core/rng.hpp"
#include "edpp/core/tensor.hpp"

namespace ed {

namespace extend {

/// One scalar law that the Draw op samples element by element.
struct Sampler {
  std::string_view name;  ///< "gamma": the node is "draw 'gamma'" in errors
  int num_params = 0;
  /// One draw given this element's parameters.
  double (*draw)(const double* params, Rng::Engine& engine) = nullptr;
  /// ∂draw/∂params[k] at the drawn value, or null for laws whose draws are not differentiable
  /// in their parameters (discrete laws): a gradient asked through such a draw is an error
  /// naming it, never a silent zero.
  double (*derivative)(const double* params, double value, int k) = nullptr;
};

namespace samplers {
// Standard forms without parameters, shifted and scaled in the graph by the families (which
// keeps gradients flowing to loc and scale).
extern const Sampler normal;       ///< N(0, 1)
extern const Sampler uniform;      ///< U(0, 1)
extern const Sampler exponential;  ///< Exp(1)
extern const Sampler laplace;      ///< Laplace(0, 1)
extern const Sampler logistic;     ///< Logistic(0, 1)
extern const Sampler gumbel;       ///< Gumbel(0, 1), the maximum-extreme-value law
extern const Sampler cauchy;       ///< Cauchy(0, 1)
/// log G with G ~ Gamma(α, 1), params α; differentiable in α. In log space so that tiny shapes,
/// whose draws underflow to 0, keep finite values and gradients (Beta, Dirichlet use it).
extern const Sampler log_gamma;
// Discrete laws: not differentiable.
extern const Sampler poisson;            ///< Poisson(λ), params λ
extern const Sampler binomial;           ///< Binomial(n, p), params n, p
extern const Sampler geometric;          ///< failures before the first success, params p
extern const Sampler negative_binomial;  ///< failures before the r-th success, params r, p
extern const Sampler bernoulli;          ///< Bernoulli(p), params p
/// von Mises(μ, κ) wrapped into [−π, π), params μ, κ: not differentiable (rejection sampling).
extern const Sampler von_mises;
}  // namespace samplers

/// A node drawing independently for every element of the broadcast shape of `params` and
/// `like` (whose values only set the shape) on each run. Its gradient reaches `params` through
/// `law.derivative`; a law without one throws when a gradient is asked through the node.
Tensor draw(const Sampler& law, const std::vector<Tensor>& params,
            const std::vector<Tensor>& like = {});

}  // namespace extend

namespace detail {

/// Throws the error of a gradient asked through a discrete draw, naming the node `what`
/// ("draw 'poisson'", "categorical_sample").
[[noreturn]] void fail_discrete_gradient(const std::string& what);

/// d log G / dα for G ~ Gamma(α, 1) at log G = `log_g`: −(∂P(α, g)/∂α) / (g · p(g; α)), with P
/// the regularised lower incomplete gamma function. Exposed for tests.
double log_gamma_derivative(double alpha, double log_g);

}  // namespace detail

}  // namespace ed
