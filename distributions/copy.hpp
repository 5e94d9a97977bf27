// ed::copy for random variables: the same family with swapped ancestors (Edward's ed.copy).
#pragma once

#include "edpp/core/copy.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {

/// A new random variable of the same family whose parameters (and every density, moment and
/// draw built from them) see the nodes in `swap` replaced, as copy(Tensor, Swap) does. Its value
/// is: the replacement, when `x` itself is swapped; a new draw of the copied distribution, when
/// x's value was its own draw (so `copy(y, {{z, qz}})` is the posterior predictive of y, a
/// draw of y given a draw of qz); otherwise x's given value, copied. `x` is left unchanged.
/// Fused paths that recognise a family by its type (the normal mixture) see a copy as a
/// generic distribution: the values are the same, the speed may not be.
/// A swapped node that x does not depend on is a warning, as copy(Tensor, Swap)'s.
RandomVariable copy(const RandomVariable& x, const Swap& swap);

namespace detail {
/// copy() without the warning, for the library's own copies.
RandomVariable copy_quietly(const RandomVariable& x, const Swap& swap);
}  // namespace detail

}  // namespace ed
