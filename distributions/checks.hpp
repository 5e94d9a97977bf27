// Run-time checks of parameters and data against a support: one op, one message.
#pragma once

#include <string_view>

#include "edpp/core/tensor.hpp"
#include "edpp/distributions/support.hpp"

namespace ed::detail {

/// A node that passes `x` through unchanged (gradient included) after checking, when the graph
/// runs, that every element lies in `support`. The first violation throws ed::invalid_argument
/// in Stan's form, with 0-based indices: "Normal: scale[2, 0] is -0.5, but must be positive".
/// The hot path is one vectorised membership test; the message is built only on failure.
Tensor check(const Tensor& x, const Support& support, std::string_view family,
             std::string_view param);

inline Tensor check_positive(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Support::positive(), family, param);
}
inline Tensor check_probability(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Support::unit_interval(), family, param);
}
inline Tensor check_finite(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Support::finite(), family, param);
}
inline Tensor check_count(const Tensor& x, std::string_view family, std::string_view param) {
  return check(x, Support::nonnegative_integer(), family, param);
}

/// Throws ed::invalid_argument in the same form for a value found by a fused op.
[[noreturn]] void fail_constraint(std::string_view family, std::string_view param, Index row,
                                  Index col, double value, std::string_view requirement);

/// Static shape check at construction: "Normal: loc [3, 1] and scale [4, 1] do not broadcast".
Shape broadcast_params(std::string_view family, std::string_view name_a, const Tensor& a,
                       std::string_view name_b, const Tensor& b);

}  // namespace ed::detail
