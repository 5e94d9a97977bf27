// The Mixture Density Network of Edward's tutorial (Bishop 1994) as a gallery builder.
#pragma once

#include <vector>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/mixture.hpp"

namespace ed::models {

/// The network's heads and the mixture they parameterise.
struct Mdn {
  Tensor locs;    ///< n×K component means (linear head)
  Tensor scales;  ///< n×K component standard deviations (exp head)
  Tensor logits;  ///< n×K mixture logits (linear head)
  Categorical cat;
  Mixture y;  ///< y ~ Σ_k softmax(logits)_k N(locs_k, scales_k)
};

/// Dense ReLU layers of `hidden` sizes on X (n×d), then three heads of `components` units.
/// With hidden = {15, 15} and components = 20 this is the tutorial's network.
Mdn mdn(const Tensor& X, Index components = 20, const std::vector<Index>& hidden = {15, 15});

}  // namespace ed::models
