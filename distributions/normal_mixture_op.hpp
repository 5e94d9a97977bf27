// The fused log density of a mixture of normals: one op instead of a dozen, with an analytic
// gradient, because this is the MDN's whole likelihood.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed::detail {

/// log Σ_k softmax(logits)_k · N(x | loc_k, scale_k), one value per row (R×1).
/// logits, locs, scales and log_scales broadcast to R×K; x is R×1 or 1×1. `log_scales` must
/// equal log(scales): it is passed separately so that scales built as exp(s) need no log
/// (see log_of_positive). Computed as logsumexp(log_softmax(logits) + log N), finite however far
/// x lies from every component.
/// @throws ed::invalid_argument at run time for a non-positive scale, named as the Normal's.
Tensor normal_mixture_log_prob(const Tensor& logits, const Tensor& locs, const Tensor& scales,
                               const Tensor& log_scales, const Tensor& x);

/// The same for scales made as exp(log_scales): the scales are never formed (nor checked: e^u is
/// positive), 1/σ is e^−u, and the gradient reaches log_scales alone.
Tensor normal_mixture_log_prob_log_scale(const Tensor& logits, const Tensor& locs,
                                         const Tensor& log_scales, const Tensor& x);

}  // namespace ed::detail
