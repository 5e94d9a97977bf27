// + - * / and unary minus on tensors, with broadcasting; a double on either side is a constant.
#pragma once

#include "edpp/core/tensor.hpp"

namespace ed {

/// Elementwise sum; shapes broadcast when each dimension is equal or 1.
/// @throws ed::invalid_argument "add: shapes [3, 2] and [4, 2] do not broadcast"
Tensor operator+(const Tensor& a, const Tensor& b);
/// Elementwise difference, broadcasting as `+`.
Tensor operator-(const Tensor& a, const Tensor& b);
/// Elementwise (Hadamard) product, broadcasting as `+`. For matrix products use matmul().
Tensor operator*(const Tensor& a, const Tensor& b);
/// Elementwise quotient, broadcasting as `+`.
Tensor operator/(const Tensor& a, const Tensor& b);
/// Elementwise negation.
Tensor operator-(const Tensor& a);

}  // namespace ed
