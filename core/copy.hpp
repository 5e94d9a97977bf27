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
/// checked again as nodes are rebuilt. A swapped node that is not an ancestor of `x` changes
/// nothing; as Edward's copy allows it, it is a warning (through the warning sink) naming the
/// node, not an error: it is usually the wrong variable.
/// @throws ed::invalid_argument for an empty tensor, or a replacement whose shape an op rejects.
Tensor copy(const Tensor& x, const Swap& swap);

namespace detail {
/// copy() without the warning, for the library's own copies (which swap every latent into
/// each term, whether the term depends on it or not).
Tensor copy_graph(const Tensor& x, const Swap& swap);
/// copy()'s warning for every entry of `swap` whose node is not an ancestor of one of `roots`
/// (a root itself counts).
void warn_unreached_swaps(const std::vector<Tensor>& roots, const Swap& swap);
}  // namespace detail

/// The identity in the forward pass that stops gradients in the backward pass: the output is
/// treated as a constant (for score-function estimators and baselines).
Tensor stop_gradient(const Tensor& x);

}  // namespace ed
