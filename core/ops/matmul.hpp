// Matrix product and transpose.
#pragma once

#include <optional>

#include "edpp/core/tensor.hpp"

namespace ed {

/// The matrix product a·b (a: n×k, b: k×m → n×m).
/// @throws ed::invalid_argument "matmul: shapes [3, 2] and [4, 2] are not aligned"
Tensor matmul(const Tensor& a, const Tensor& b);
/// x·w + b with a one-row bias b (1×m) added to every row: matmul and add in one op, one
/// buffer and one pass (what dense() builds). @throws ed::invalid_argument on misaligned shapes.
Tensor affine(const Tensor& x, const Tensor& w, const Tensor& b);
/// The transpose (n×m → m×n).
Tensor transpose(const Tensor& a);

namespace detail {
/// relu(x) as one fused op when x is an affine(…) node (what relu() builds then), else nothing.
std::optional<Tensor> relu_of_affine(const Tensor& x);
}  // namespace detail

}  // namespace ed
