// Sums and means: over everything, or along one axis (numpy's convention).
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// The sum of all elements (1×1).
Tensor sum(const Tensor& x);
/// Sum along `axis`: 0 reduces the rows (→ 1×C), 1 reduces the columns (→ R×1).
/// @throws ed::invalid_argument "sum: axis must be 0 or 1, got 2"
Tensor sum(const Tensor& x, int axis);
/// The mean of all elements (1×1).
Tensor mean(const Tensor& x);
/// Mean along `axis`, as sum(x, axis).
Tensor mean(const Tensor& x, int axis);
/// Running sums (Stan's cumulative_sum): along a row vector's length (1×n), otherwise down
/// each column (a column vector's length).
Tensor cumulative_sum(const Tensor& x);

namespace detail {
/// Rejects an axis other than 0 or 1, naming the op.
void check_axis(std::string_view op, int axis);
}  // namespace detail

}  // namespace ed
