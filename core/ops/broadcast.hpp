// Column-wise broadcasting helpers shared by the op implementations (include from .cpp only).
//
// Every broadcast in edpp combines shapes whose dimensions are equal or 1, so column j of an
// operand is either its own column j or its only column, and within that column it is either a
// full column or a single value. The helpers below walk the output column by column and hand
// each operand to a generic lambda as an Eigen array column or as a double: one vectorised loop
// per column, no temporaries, no replicated copies.
#pragma once

#include <type_traits>

#include "edpp/core/fwd.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed::detail {

/// True for the double that visit_col passes for a broadcast one-row operand.
template <class T>
constexpr bool is_scalar = std::is_arithmetic_v<std::decay_t<T>>;

/// The column of `m` that broadcasts to output column j.
inline Index broadcast_col(const Matrix& m, Index j) { return m.cols() == 1 ? 0 : j; }

/// The column-major index of the element of an operand of shape `m` that broadcasts to output
/// element (i, j).
inline Index broadcast_index(Shape m, Index i, Index j) {
  return (m.cols == 1 ? 0 : j) * m.rows + (m.rows == 1 ? 0 : i);
}
inline Index broadcast_index(const Matrix& m, Index i, Index j) {
  return broadcast_index(Shape{m.rows(), m.cols()}, i, j);
}

/// Calls f with column j of `m` as seen by an output with `rows` rows: an array column, or a
/// double when `m` has one row that broadcasts.
template <class F>
void visit_col(const Matrix& m, Index j, Index rows, F&& f) {
  if (m.rows() == rows) {
    f(m.col(broadcast_col(m, j)).array());
  } else {
    f(m(0, broadcast_col(m, j)));
  }
}

/// out = f(a, b) elementwise with broadcasting; `out` already has the broadcast shape.
template <class F>
void broadcast_apply(const Matrix& a, const Matrix& b, Matrix& out, F&& f) {
  if (a.rows() == out.rows() && a.cols() == out.cols() && b.rows() == out.rows() &&
      b.cols() == out.cols()) {
    out.array() = f(a.array(), b.array());
    return;
  }
  for (Index j = 0; j < out.cols(); ++j) {
    visit_col(a, j, out.rows(), [&](const auto& x) {
      visit_col(b, j, out.rows(), [&](const auto& y) {
        // Both operands are single values only when the output has one row, which the
        // same-shape path above or full-height columns already cover.
        if constexpr (!(is_scalar<decltype(x)> && is_scalar<decltype(y)>)) {
          out.col(j).array() = f(x, y);
        }
      });
    });
  }
}

/// g += e folded to g's shape, where e is output column j (an array expression over all rows):
/// a full-height g takes it elementwise, a one-row g takes its sum.
template <class Expr>
void accumulate_col(Matrix& g, Index j, const Expr& e) {
  if (g.rows() == e.rows()) {
    g.col(broadcast_col(g, j)).array() += e;
  } else {
    g(0, broadcast_col(g, j)) += e.sum();
  }
}

/// g += d folded to g's shape (the gradient of a broadcast input whose value is passed through).
inline void accumulate(Matrix& g, const Matrix& d) {
  if (g.rows() == d.rows() && g.cols() == d.cols()) {
    g += d;
  } else if (g.rows() == d.rows()) {
    g.col(0) += d.rowwise().sum();
  } else if (g.cols() == d.cols()) {
    g.row(0) += d.colwise().sum();
  } else {
    g(0, 0) += d.sum();
  }
}

}  // namespace ed::detail
