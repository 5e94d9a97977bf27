// log-sum-exp, softmax and log-softmax along an axis (default 1: across each row's columns).
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// log Σ exp(x) along `axis`, computed as m + log Σ exp(x − m) with m the maximum, so it is
/// finite whenever one term is; a row of −inf gives −inf. axis 1 → R×1, axis 0 → 1×C.
Tensor logsumexp(const Tensor& x, int axis = 1);
/// exp(x − logsumexp(x)) along `axis`; each row (axis 1) sums to one.
Tensor softmax(const Tensor& x, int axis = 1);
/// x − logsumexp(x) along `axis`: finite for finite logits of any size (±1e3 included).
Tensor log_softmax(const Tensor& x, int axis = 1);

}  // namespace ed
