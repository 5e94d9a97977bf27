// Matrix product and transpose.
#pragma once

#include "core/tensor.hpp"

namespace ed {

/// The matrix product a·b (a: n×k, b: k×m → n×m).
/// @throws ed::invalid_argument "matmul: shapes [3, 2] and [4, 2] are not aligned"
Tensor matmul(const Tensor& a, const Tensor& b);
/// The transpose (n×m → m×n).
Tensor transpose(const Tensor& a);

}  // namespace ed
