// Stan's functions as compositions of ops: the gradients are the ops' own.
#include "edpp/core/ops/composite.hpp"

#include <string>

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops/arithmetic.hpp"
#include "edpp/core/ops/linalg.hpp"
#include "edpp/core/ops/matmul.hpp"
#include "edpp/core/ops/reduce.hpp"
#include "edpp/core/ops/select.hpp"
#include "edpp/core/ops/special.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

Tensor Phi_approx(const Tensor& x) { return sigmoid(0.07056 * x * square(x) + 1.5976 * x); }

Tensor log_sum_exp(const Tensor& a, const Tensor& b) {
  // m = max(a, b) held constant: its gradient would cancel exactly anyway, and holding it makes
  // the tie (a = b) give each ½. Bounded below so that two −inf terms give −inf, not NaN.
  const Tensor m = stop_gradient(maximum(maximum(a, b), Tensor(-1e300)));
  return m + log(exp(a - m) + exp(b - m));
}

Tensor log_mix(const Tensor& theta, const Tensor& a, const Tensor& b) {
  return log_sum_exp(log(theta) + a, log1m(theta) + b);
}

Tensor fma(const Tensor& a, const Tensor& b, const Tensor& c) { return a * b + c; }

Tensor dot_product(const Tensor& a, const Tensor& b) {
  const Shape sa = a.shape(), sb = b.shape();
  if (sa.is_known() && sb.is_known() && sa != sb) {
    throw ed::invalid_argument("dot_product: shapes " + to_string(sa) + " and " + to_string(sb) +
                               " differ");
  }
  return sum(a * b);
}

Tensor quad_form(const Tensor& a, const Tensor& x) {
  const Shape sa = a.shape(), sx = x.shape();
  if ((sa.rows != Dynamic && sa.cols != Dynamic && sa.rows != sa.cols) ||
      (sa.cols != Dynamic && sx.rows != Dynamic && sa.cols != sx.rows)) {
    throw ed::invalid_argument("quad_form: needs a square A and x with A's rows, got " +
                               to_string(sa) + " and " + to_string(sx));
  }
  return matmul(transpose(x), matmul(a, x));
}

Tensor tcrossprod(const Tensor& a) { return matmul(a, transpose(a)); }

Tensor diag_matrix(const Tensor& v) {
  const Shape s = v.shape();
  if (s.cols != 1 || s.rows == Dynamic) {
    throw ed::invalid_argument("diag_matrix: needs a column of known length, got " + to_string(s));
  }
  // v ⊙ I broadcasts v along each row of the identity: element (i, j) is vᵢ·δᵢⱼ.
  return v * constant(Matrix::Identity(s.rows, s.rows));
}

Tensor rep_matrix(const Tensor& x, Index rows, Index cols) {
  if (x.shape().rows != 1 || x.shape().cols != 1 || rows < 1 || cols < 1) {
    throw ed::invalid_argument("rep_matrix: needs a 1×1 value and counts of at least 1, got " +
                               to_string(x.shape()) + ", " + std::to_string(rows) + " × " +
                               std::to_string(cols));
  }
  return x * constant(Matrix::Ones(rows, cols));
}

Tensor mdivide_left(const Tensor& a, const Tensor& b) { return matmul(inverse(a), b); }
Tensor mdivide_right(const Tensor& b, const Tensor& a) { return matmul(b, inverse(a)); }

namespace {
// L⁻¹ for a lower-triangular L of known size (a triangular solve against the identity).
Tensor lower_inverse(const Tensor& l) {
  const Shape s = l.shape();
  if (!s.is_known() || s.rows != s.cols) {
    throw ed::invalid_argument("mdivide: needs a square matrix of known size, got " + to_string(s));
  }
  return triangular_solve(l, constant(Matrix::Identity(s.rows, s.rows)));
}
}  // namespace

Tensor mdivide_left_spd(const Tensor& a, const Tensor& b) {
  const Tensor l_inverse = lower_inverse(cholesky(a));
  return matmul(transpose(l_inverse), matmul(l_inverse, b));
}
Tensor mdivide_right_spd(const Tensor& b, const Tensor& a) {
  const Tensor l_inverse = lower_inverse(cholesky(a));
  return matmul(matmul(b, transpose(l_inverse)), l_inverse);
}
Tensor mdivide_left_tri_low(const Tensor& l, const Tensor& b) { return triangular_solve(l, b); }
Tensor mdivide_right_tri_low(const Tensor& b, const Tensor& l) {
  return matmul(b, lower_inverse(l));
}

Tensor fmin(const Tensor& a, const Tensor& b) { return minimum(a, b); }
Tensor fmax(const Tensor& a, const Tensor& b) { return maximum(a, b); }

Tensor binary_log_loss(const Tensor& y, const Tensor& y_hat) {
  return -(xmul(y, log(y_hat)) + xmul(1.0 - y, log1m(y_hat)));
}

Tensor rank(const Tensor& v) {
  const Shape s = v.shape();
  if (s.cols != 1) {
    throw ed::invalid_argument("rank: needs a column, got shape " + to_string(s));
  }
  // Element (i, j) of vᵀ − v is v_j − v_i, and 1 − step(v_j − v_i) is 1 exactly when v_j < v_i.
  return stop_gradient(sum(1.0 - step(transpose(v) - v), 1));
}

Tensor segment_sum(const Tensor& x, const std::vector<Index>& group, Index groups) {
  const Index n = x.shape().rows;
  if (n != Dynamic && static_cast<Index>(group.size()) != n) {
    throw ed::invalid_argument("segment_sum: " + std::to_string(group.size()) +
                               " group labels for " + std::to_string(n) + " rows");
  }
  // A one-hot matrix G (groups × n): G x sums the rows of each group in one product.
  Matrix one_hot = Matrix::Zero(groups, static_cast<Index>(group.size()));
  for (std::size_t i = 0; i < group.size(); ++i) {
    if (group[i] < 0 || group[i] >= groups) {
      throw ed::invalid_argument("segment_sum: group[" + std::to_string(i) + "] is " +
                                 std::to_string(group[i]) + ", outside [0, " +
                                 std::to_string(groups) + ")");
    }
    one_hot(group[i], static_cast<Index>(i)) = 1.0;
  }
  return matmul(constant(one_hot), x);
}

}  // namespace ed
