// Terms added to a model by hand: to its log density (Stan's `target +=`, PyMC's Potential),
// and derived quantities recorded with each draw (Stan's generated quantities, PyMC's
// Deterministic).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// Adds Σ log_weight to the log density of the model it belongs to: every inference whose
/// latent variables the term depends on includes it (MAP, the KLqp family, Laplace, and every
/// Monte Carlo kernel), with the latents' values (a point mass, a draw of q, the chain's
/// position) and the data bound as usual swapped in. The way to write a marginalised discrete
/// variable, a soft constraint or a Jacobian of one's own:
///   const ed::Tensor lp = …;                 // log p(s, y | e, l) for every change point s
///   ed::factor(ed::logsumexp(lp));           // s summed out
///   ed::NUTS nuts({e, l}, {});
/// A term that depends on no latent of an inference is left out of it (it is a constant
/// there). Terms are kept until ed::clear_factors(); factor is safe from any thread.
void factor(const Tensor& log_weight);

/// Forgets every term added by factor() and every quantity named by deterministic() (for a
/// program that builds one model after another).
void clear_factors();

/// Records `value`, a function of the model's latent variables, under `name` with each draw of
/// every Monte Carlo inference whose latents it depends on (PyMC's Deterministic): the chain's
/// latent values and the data are swapped in, and MonteCarlo::draws(name) reads its draws,
/// which summary() and write_draws_csv() list after the latents. Returns `value`, so the model
/// can use it. @throws ed::invalid_argument for an empty name or tensor, a name already used,
/// or a value whose shape is not known.
Tensor deterministic(std::string name, Tensor value);

namespace detail {
/// The terms added by factor(), oldest first.
std::vector<Tensor> factors();
/// The quantities named by deterministic(), oldest first.
std::vector<std::pair<std::string, Tensor>> deterministics();
}  // namespace detail

}  // namespace ed
