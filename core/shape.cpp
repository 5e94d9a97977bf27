// Shape printing and broadcasting.
#include "edpp/core/shape.hpp"

#include "edpp/core/errors.hpp"

namespace ed {

std::string to_string(const Shape& shape) {
  auto dim = [](Index d) { return d == Dynamic ? std::string("?") : std::to_string(d); };
  return "[" + dim(shape.rows) + ", " + dim(shape.cols) + "]";
}

namespace detail {

namespace {
// One dimension of a broadcast; returns false when the two cannot combine.
bool broadcast_dim(Index a, Index b, Index& out) {
  if (a == b || b == 1) {
    out = a;
  } else if (a == 1) {
    out = b;
  } else if (a == Dynamic) {
    out = b;  // the fed size must turn out to be b (or 1): checked again at run time
  } else if (b == Dynamic) {
    out = a;
  } else {
    return false;
  }
  return true;
}
}  // namespace

std::optional<Shape> try_broadcast(const Shape& a, const Shape& b) {
  Shape out;
  if (!broadcast_dim(a.rows, b.rows, out.rows) || !broadcast_dim(a.cols, b.cols, out.cols)) {
    return std::nullopt;
  }
  return out;
}

Shape broadcast_shapes(std::string_view op, const Shape& a, const Shape& b) {
  const auto out = try_broadcast(a, b);
  if (!out) fail(op, "shapes " + to_string(a) + " and " + to_string(b) + " do not broadcast");
  return *out;
}

void fail(std::string_view op, const std::string& what) {
  throw ed::invalid_argument(std::string(op) + ": " + what);
}

}  // namespace detail
}  // namespace ed
