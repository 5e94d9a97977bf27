// Graph surgery: ed::copy (Edward's ed.copy) and ed::stop_gradient.
#pragma once

#include <utility>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// Node → replacement pairs for copy(): `{{z, qz}, {x, x_data}}` (random variables convert to
/// their value tensors).
using Swap = std::vector<std::pair<Tensor, Tensor>>;

/// A new tensor computing what `x` computes, with every node in `swap` replaced by its partner
/// (Edward's ed.copy). Nodes downstream of a replaced node are rebuilt with the same ops (so a
/// random variable's draw that depended on a swapped node becomes a new draw, given the new
/// value: ancestral sampling for posterior and prior predictive checks); nodes that depend on
/// no replaced node are shared with the original graph, which is left unchanged. Shapes are
/// checked again as nodes are rebuilt.
/// @throws ed::invalid_argument for an empty tensor, or a replacement whose shape an op rejects.
Tensor copy(const Tensor& x, const Swap& swap);

/// The identity in the forward pass that stops gradients in the backward pass: the output is
/// treated as a constant (for score-function estimators and baselines).
Tensor stop_gradient(const Tensor& x);

}  // namespace ed
