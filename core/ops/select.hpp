// Elementwise choices: minimum, maximum, clip and where.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// Elementwise minimum with broadcasting; at a tie the gradient goes to `a`.
Tensor minimum(const Tensor& a, const Tensor& b);
/// Elementwise maximum with broadcasting; at a tie the gradient goes to `a`.
Tensor maximum(const Tensor& a, const Tensor& b);
/// x limited to [low, high]; the gradient is 1 inside the interval (ends included), 0 outside.
/// @throws ed::invalid_argument when low > high.
Tensor clip(const Tensor& x, double low, double high);
/// Elementwise `condition ? a : b` (condition: nonzero means true), all three broadcasting.
/// Not differentiable in the condition.
Tensor where(const Tensor& condition, const Tensor& a, const Tensor& b);

}  // namespace ed
