// Shape arithmetic shared by ops: broadcasting rules and the messages that report mismatches.
#pragma once

#include <optional>
#include <string_view>

#include "edpp/core/fwd.hpp"

namespace ed::detail {

/// The broadcast of two shapes (each dimension equal, or one of them 1).
/// A Dynamic dimension combines with anything; the check is repeated when the graph runs.
/// @throws ed::invalid_argument "<op>: shapes [3, 2] and [4, 2] do not broadcast"
Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b);

/// The broadcast of two shapes, or nothing when they do not combine.
std::optional<Shape> try_broadcast(const Shape& a, const Shape& b);

/// Throws ed::invalid_argument "<op>: <what>" — the single place op errors are formatted.
[[noreturn]] void fail(std::string_view op, const std::string& what);

}  // namespace ed::detail
