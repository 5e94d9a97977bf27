// Sums and means: over everything, or along one axis (numpy's convention).
#pragma once

#include <utility>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// The sum of all elements (1×1).
Tensor sum(const Tensor& x);
/// Sum along `axis`: 0 reduces the rows (→ 1×C), 1 reduces the columns (→ R×1).
/// @throws ed::invalid_argument "sum: axis must be 0 or 1, got 2"
Tensor sum(const Tensor& x, int axis);
/// The largest and the smallest element (1×1), as Stan's max and min of a container; the
/// gradient goes to that element (the first, column-major, at a tie). NaN if any element is.
/// @throws ed::invalid_argument, when run, for an empty value.
Tensor max(const Tensor& x);
Tensor min(const Tensor& x);
/// The same along `axis`: 0 reduces the rows (→ 1×C), 1 the columns (→ R×1). (Named apart
/// from max(x) so that max(a, b) of two numbers never becomes a graph node by conversion.)
Tensor max_along(const Tensor& x, int axis);
Tensor min_along(const Tensor& x, int axis);
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
/// Σ_k w_k Σ term_k over every element of each term (1×1), as one node: a model's log density
/// from its terms (Note [Totals]). A term made by sum(x) contributes x directly.
/// @throws ed::invalid_argument when `terms` is empty or a term is empty.
Tensor weighted_total(const std::vector<std::pair<Tensor, double>>& terms);
}  // namespace detail

}  // namespace ed
