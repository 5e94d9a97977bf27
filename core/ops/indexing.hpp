// Picking and joining: one column, concatenation, and a per-row pick by integer label.
#pragma once

#include <string_view>
#include <vector>

#include "edpp/core/tensor.hpp"

namespace ed {

/// Column k of x (R×1). @throws ed::invalid_argument when k is outside [0, cols).
Tensor col(const Tensor& x, Index k);
/// Row k of x (1×C). @throws ed::invalid_argument when k is outside [0, rows).
Tensor row(const Tensor& x, Index k);
/// Rows begin, …, begin + count − 1 of x (count×C).
/// @throws ed::invalid_argument when they are outside x.
Tensor slice_rows(const Tensor& x, Index begin, Index count);
/// The same numbers in column-major order, as a rows×cols matrix.
/// @throws ed::invalid_argument when the sizes differ.
Tensor reshape(const Tensor& x, Index rows, Index cols);
/// The rows of x picked by integer indices stored as doubles (indices: n×1) → n×C; an index may
/// repeat (its gradients add up). @throws ed::invalid_argument at run time for an index that is
/// not an integer in [0, rows).
Tensor gather_rows(const Tensor& x, const Tensor& indices);
/// x broadcast to the broadcast shape of x and `like` (whose values are not read): the shape of
/// a result without the `x + 0·like` trick, which would turn an inf in `like` into NaN. The
/// gradient folds back to x's shape.
Tensor broadcast_like(const Tensor& x, const Tensor& like);
/// Joins tensors along `axis`: 0 stacks rows (column counts must agree), 1 stacks columns
/// (row counts must agree). @throws ed::invalid_argument naming both shapes on a mismatch.
Tensor concat(const std::vector<Tensor>& parts, int axis);
/// out[i] = x[i, label[i]] (R×1): the per-row pick of a column by an integer label stored as a
/// double (x: R×K or 1×K, labels: R×1 or 1×1). Not differentiable in the labels.
/// @throws ed::invalid_argument at run time for a label that is not an integer in [0, K).
Tensor gather(const Tensor& x, const Tensor& labels);
/// gather() where a label that is not an integer in [0, columns) picks `outside` (no gradient)
/// instead of throwing: a log mass that is −inf off its support.
Tensor gather_or(const Tensor& x, const Tensor& labels, double outside);

namespace detail {
/// gather() whose label errors name a distribution's value instead of the op:
/// "Categorical: value[1, 0] is 4, but must be an integer in [0, 4)".
Tensor gather(const Tensor& x, const Tensor& labels, std::string_view who, std::string_view what);
}  // namespace detail

}  // namespace ed
