// Terms added to a model's log density by hand (Stan's `target +=`, PyMC's Potential).
#pragma once

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

/// Forgets every term added by factor() (for a program that builds one model after another).
void clear_factors();

namespace detail {
/// The terms added by factor(), oldest first.
std::vector<Tensor> factors();
}  // namespace detail

}  // namespace ed
