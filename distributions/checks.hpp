// Run-time parameter checks shared by every family: one helper per constraint, one message.
#pragma once

#include <string_view>

#include "core/tensor.hpp"

namespace ed::detail {

/// The constraints a parameter can be checked against.
enum class Constraint {
  positive,        ///< x > 0
  nonnegative,     ///< x ≥ 0
  probability,     ///< 0 ≤ x ≤ 1
  finite,          ///< not NaN, not ±inf
  count,           ///< an integer ≥ 0
  lower_cholesky,  ///< a square matrix: zero above the diagonal, positive on it
};

/// A node that passes `x` through unchanged (gradient included) after checking every element
/// when the graph runs. The first violation throws ed::invalid_argument in Stan's form, with
/// 0-based indices: "Normal: scale[2, 0] is -0.5, but must be positive". The hot path is one
/// vectorised test; the message is built only on failure.
Tensor check(const Tensor& x, Constraint constraint, std::string_view family,
             std::string_view param);

inline Tensor check_positive(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Constraint::positive, family, param);
}
inline Tensor check_probability(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Constraint::probability, family, param);
}
inline Tensor check_finite(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Constraint::finite, family, param);
}
inline Tensor check_count(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Constraint::count, family, param);
}

/// Throws ed::invalid_argument in the same form for a value found by a fused op.
[[noreturn]] void fail_constraint(std::string_view family, std::string_view param, Index row,
                                  Index col, double value, std::string_view requirement);

/// Static shape check at construction: "Normal: loc [3, 1] and scale [4, 1] do not broadcast".
Shape broadcast_params(std::string_view family, std::string_view name_a, const Tensor& a,
                       std::string_view name_b, const Tensor& b);

}  // namespace ed::detail
