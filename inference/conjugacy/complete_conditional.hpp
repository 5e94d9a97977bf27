// complete_conditional (Edward's ed.complete_conditional): a latent's distribution given the
// rest of the model, in closed form when its children are conjugate to its prior.
#pragma once

#include <vector>

#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// The conditional distribution of `rv` given the random variables of `blanket` (default: its
/// Markov blanket, ed::get_blanket), as a random variable whose parameters are tensors of the
/// blanket's values: substitute them (ed::copy, or inference's bindings) to evaluate it.
/// Only `rv`'s children within the blanket enter. Recognised (Note [Conjugacy by probing]):
///  - Normal prior, children Normal in its mean (known or random scale), regressions on it
///    (children's means linear in it: a multivariate normal over rv flattened column-major,
///    1 × size, when its elements interact; Normal otherwise);
///  - Gamma, Exponential or Chi2 prior (→ Gamma), InverseGamma prior (→ InverseGamma), for a
///    precision, rate, or scale: Normal, Poisson, Exponential, Gamma children …;
///  - Beta prior with Bernoulli, Binomial, Geometric children (→ Beta);
///  - Dirichlet prior with Categorical or Multinomial children (→ Dirichlet, row by row);
///  - Categorical and Bernoulli latents, such as a mixture's assignments, by enumerating the
///    labels row by row (→ Categorical / Bernoulli logits) — any children whose rows follow
///    rv's rows.
/// @throws ed::invalid_argument for another prior family, a discrete latent whose children mix
/// its rows, and — when the conditional is evaluated — a child that is not conjugate (naming
/// it) or an improper result.
RandomVariable complete_conditional(const RandomVariable& rv,
                                    const std::vector<RandomVariable>& blanket = {});

}  // namespace ed
