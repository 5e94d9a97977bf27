// The supports whose values are whole matrices: symmetric positive-definite matrices and
// Cholesky factors of correlation matrices, each with its bijector from free numbers (as
// Stan's cov_matrix and cholesky_factor_corr transforms) and the ops those bijectors run on.
#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/support.hpp"

namespace ed {

namespace {

// d for m free numbers: m = d(d+1)/2 (with the diagonal) or d(d−1)/2 (without).
Index side_of(Index m, bool with_diagonal) {
  const double root = std::sqrt(1.0 + 8.0 * static_cast<double>(m));
  const Index d =
      static_cast<Index>(std::llround(with_diagonal ? (root - 1.0) / 2.0 : (root + 1.0) / 2.0));
  if (d * (d + (with_diagonal ? 1 : -1)) / 2 != m) {
    throw ed::invalid_argument("bijector: " + std::to_string(m) +
                               " free numbers do not fill a triangular matrix");
  }
  return d;
}

Shape free_shape(const char* support, Shape constrained, bool with_diagonal) {
  if (!constrained.is_known()) return {1, Dynamic};
  if (constrained.rows != constrained.cols) {
    throw ed::invalid_argument(std::string("bijector: a ") + support +
                               " value must be square, got shape " + to_string(constrained));
  }
  const Index d = constrained.rows;
  return {1, d * (d + (with_diagonal ? 1 : -1)) / 2};
}

void require_free_row(const char* op, const Matrix& u) {
  if (u.rows() != 1) {
    throw ed::invalid_argument(std::string(op) + ": the free numbers must be one row, got shape " +
                               to_string(shape_of(u)));
  }
}

// log(1 − tanh²u) = 2 log sech u = 2(log 2 − |u| − log1p(e^(−2|u|))): finite for any u.
double log1m_tanh_squared(double u) {
  const double a = std::abs(u);
  return 2.0 * (std::numbers::ln2 - a - std::log1p(std::exp(-2.0 * a)));
}

}  // namespace

namespace ops {

/// A row of d(d+1)/2 free numbers onto a lower-triangular L with a positive diagonal, filled
/// row by row (L₀₀, L₁₀, L₁₁, L₂₀, …), the diagonal entries exponentiated.
class CovarianceFactor final : public Op {
 public:
  std::string_view name() const override { return "covariance_factor"; }
  Shape shape(Shapes in) const override {
    if (in[0].cols == Dynamic) return {Dynamic, Dynamic};
    const Index d = side_of(in[0].cols, true);
    return {d, d};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    require_free_row("covariance_factor", in[0]);
    const Index d = side_of(in[0].cols(), true);
    out.setZero(d, d);
    Index k = 0;
    for (Index i = 0; i < d; ++i) {
      for (Index j = 0; j < i; ++j) out(i, j) = in[0](0, k++);
      out(i, i) = std::exp(in[0](0, k++));
    }
  }
  void backward(Inputs, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    Index k = 0;
    for (Index i = 0; i < out.rows(); ++i) {
      for (Index j = 0; j < i; ++j) (*din[0])(0, k++) += dout(i, j);
      (*din[0])(0, k++) += dout(i, i) * out(i, i);
    }
  }
};

/// A row of d(d−1)/2 free numbers onto the Cholesky factor of a correlation matrix (Stan's
/// cholesky_factor_corr): z = tanh(u) are the canonical partial correlations, and row i is
/// L_ij = z_ij √(1 − s_ij), s_ij = Σ_{k<j} L_ik², L_ii = √(1 − s_ii), so every row has unit
/// length. With `log_det`, the output is log |det J| (1×1) = Σ log(1 − z²) + Σ_{j≥1} ½ log(1 −
/// s_ij); as 1 − s_ij = Π_{k<j} (1 − z_ik²), that is Σ_ij (1 + (i − 1 − j)/2) log(1 − z_ij²),
/// each term finite however far u goes (log(1 − tanh²u) is formed without the subtraction).
class CorrelationFactor final : public Op {
 public:
  explicit CorrelationFactor(bool log_det) : log_det_(log_det) {}
  std::string_view name() const override {
    return log_det_ ? "correlation_factor_log_det" : "correlation_factor";
  }
  Shape shape(Shapes in) const override {
    if (log_det_) return {1, 1};
    if (in[0].cols == Dynamic) return {Dynamic, Dynamic};
    const Index d = side_of(in[0].cols, false);
    return {d, d};
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    require_free_row(name().data(), in[0]);
    const Matrix& u = in[0];
    const Index d = side_of(u.cols(), false);
    if (log_det_) {
      double log_det = 0.0;
      for_each_entry(d, [&](Index i, Index j, Index k) {
        log_det += weight(i, j) * log1m_tanh_squared(u(0, k));
      });
      out.setConstant(1, 1, log_det);
      return;
    }
    // √(1 − s_ij) as exp(½ Σ_{k<j} log(1 − z_ik²)): far out, where z rounds to ±1, the
    // diagonal stays positive instead of cancelling to 0.
    out.setZero(d, d);
    out(0, 0) = 1.0;
    for (Index i = 1, k = 0; i < d; ++i) {
      double half_log_rest = 0.0;
      for (Index j = 0; j < i; ++j, ++k) {
        out(i, j) = std::tanh(u(0, k)) * std::exp(half_log_rest);
        half_log_rest += 0.5 * log1m_tanh_squared(u(0, k));
      }
      out(i, i) = std::exp(half_log_rest);
    }
  }
  // The log-det: d/du of log(1 − tanh²u) is −2 tanh u. The factor: row by row in reverse through
  // s_{j+1} = s_j + L_j² and L_j = z_j √(1 − s_j), carrying the adjoint of s down the row.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    const Matrix& u = in[0];
    const Index d = side_of(u.cols(), false);
    if (log_det_) {
      for_each_entry(d, [&](Index i, Index j, Index k) {
        (*din[0])(0, k) += dout(0, 0) * weight(i, j) * (-2.0 * std::tanh(u(0, k)));
      });
      return;
    }
    Index row_start = 0;
    for (Index i = 1; i < d; ++i) {
      Eigen::ArrayXd z(i), s(i + 1), l(i);
      s(0) = 0.0;
      for (Index j = 0; j < i; ++j) {
        z(j) = std::tanh(u(0, row_start + j));
        l(j) = z(j) * std::sqrt(1.0 - s(j));
        s(j + 1) = s(j) + l(j) * l(j);
      }
      double g_s = out(i, i) > 0.0 ? -dout(i, i) / (2.0 * out(i, i)) : 0.0;  // adjoint of s_i
      for (Index j = i - 1; j >= 0; --j) {
        const double g_l = dout(i, j) + 2.0 * l(j) * g_s;
        const double root = std::sqrt(1.0 - s(j));
        if (root > 0.0) g_s -= g_l * z(j) / (2.0 * root);
        (*din[0])(0, row_start + j) += g_l * root * (1.0 - z(j) * z(j));
      }
      row_start += i;
    }
  }

 private:
  // Entry (i, j) below the diagonal, and k its place among the free numbers (row by row).
  template <class F>
  static void for_each_entry(Index d, F&& f) {
    for (Index i = 1, k = 0; i < d; ++i)
      for (Index j = 0; j < i; ++j, ++k) f(i, j, k);
  }
  static double weight(Index i, Index j) { return 1.0 + 0.5 * double(i - 1 - j); }
  bool log_det_;
};

}  // namespace ops

namespace {

using extend::SupportSet;

/// Symmetric positive-definite matrices: X = L Lᵀ with L from CovarianceFactor. For Stan's
/// transform, log |det J| = d log 2 + Σ_k (d − k + 1) u_kk (0-based k): d log 2 + Σ (d − k) log
/// L_kk from X = L Lᵀ, and Σ log L_kk from the exponentiated diagonal.
class PositiveDefinite final : public SupportSet {
 public:
  std::string name() const override { return "positive_definite"; }
  bool is_row_local() const override { return false; }
  bool contains(double x) const override { return std::isfinite(x); }
  bool contains_all(const Matrix& x) const override { return !first_violation(x); }
  std::string requirement(Index i, Index j) const override {
    if (i != j)
      return "equal to element [" + std::to_string(j) + ", " + std::to_string(i) +
             "] (the matrix must be symmetric)";
    return "such that the matrix is positive definite (its Cholesky factorisation fails at "
           "this pivot)";
  }
  std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const override {
    if (x.rows() != x.cols()) {
      throw ed::invalid_argument("must be square, got shape " + to_string(shape_of(x)));
    }
    if (!x.allFinite()) {
      for (Index j = 0; j < x.cols(); ++j)
        for (Index i = 0; i < x.rows(); ++i)
          if (!std::isfinite(x(i, j))) return std::make_pair(i, j);
    }
    const double tolerance = 1e-8 * std::max(1.0, x.cwiseAbs().maxCoeff());
    for (Index j = 0; j < x.cols(); ++j)
      for (Index i = j + 1; i < x.rows(); ++i)
        if (std::abs(x(i, j) - x(j, i)) > tolerance) return std::make_pair(i, j);
    // Cholesky by hand to name the failing pivot.
    Matrix l = Matrix::Zero(x.rows(), x.cols());
    for (Index k = 0; k < x.rows(); ++k) {
      const double pivot = x(k, k) - l.row(k).head(k).squaredNorm();
      if (!(pivot > 0.0)) return std::make_pair(k, k);
      l(k, k) = std::sqrt(pivot);
      for (Index i = k + 1; i < x.rows(); ++i)
        l(i, k) = (x(i, k) - l.row(i).head(k).dot(l.row(k).head(k))) / l(k, k);
    }
    return std::nullopt;
  }
  Tensor constrain(const Tensor& u) const override {
    const Tensor l = make_op(std::make_shared<ops::CovarianceFactor>(), {u});
    return matmul(l, transpose(l));
  }
  Tensor log_det_jacobian(const Tensor& u) const override {
    const Index m = u.shape().cols;
    if (m == Dynamic) {
      throw ed::invalid_argument("bijector: a positive_definite support needs a known size");
    }
    const Index d = side_of(m, true);
    Matrix weights = Matrix::Zero(m, 1);
    Index k = 0;
    for (Index i = 0; i < d; ++i) {
      k += i;  // past row i's off-diagonal numbers
      weights(k++, 0) = static_cast<double>(d - i + 1);
    }
    return static_cast<double>(d) * std::numbers::ln2 + matmul(u, weights);
  }
  Matrix unconstrain(const Matrix& x) const override {
    const Eigen::LLT<Matrix> llt(x);
    if (x.rows() != x.cols() || llt.info() != Eigen::Success) {
      throw ed::invalid_argument("bijector: the value is outside the positive_definite support");
    }
    const Matrix l = llt.matrixL();
    const Index d = x.rows();
    Matrix u(1, d * (d + 1) / 2);
    Index k = 0;
    for (Index i = 0; i < d; ++i) {
      for (Index j = 0; j < i; ++j) u(0, k++) = l(i, j);
      u(0, k++) = std::log(l(i, i));
    }
    return u;
  }
  Shape unconstrained_shape(Shape constrained) const override {
    return free_shape("positive_definite", constrained, true);
  }
};

/// Cholesky factors of correlation matrices: lower-triangular, positive diagonal, unit rows.
class CholeskyCorrelation final : public SupportSet {
 public:
  std::string name() const override { return "cholesky_correlation"; }
  bool is_row_local() const override { return false; }
  bool contains(double x) const override { return std::isfinite(x); }
  bool contains_all(const Matrix& x) const override { return !first_violation(x); }
  std::string requirement(Index i, Index j) const override {
    if (j > i) return "0 (the matrix must be lower-triangular)";
    if (i == j) return "positive, with row " + std::to_string(i) + " of unit length";
    return "such that row " + std::to_string(i) + " has unit length";
  }
  std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const override {
    if (x.rows() != x.cols()) {
      throw ed::invalid_argument("must be square, got shape " + to_string(shape_of(x)));
    }
    for (Index i = 0; i < x.rows(); ++i) {
      for (Index j = i + 1; j < x.cols(); ++j)
        if (x(i, j) != 0.0) return std::make_pair(i, j);
      if (!(x(i, i) > 0.0)) return std::make_pair(i, i);
      if (!(std::abs(x.row(i).squaredNorm() - 1.0) <= 1e-8)) return std::make_pair(i, i);
    }
    return std::nullopt;
  }
  Tensor constrain(const Tensor& u) const override {
    return make_op(std::make_shared<ops::CorrelationFactor>(false), {u});
  }
  Tensor log_det_jacobian(const Tensor& u) const override {
    return make_op(std::make_shared<ops::CorrelationFactor>(true), {u});
  }
  Matrix unconstrain(const Matrix& x) const override {
    if (first_violation(x)) {
      throw ed::invalid_argument("bijector: the value is outside the cholesky_correlation support");
    }
    const Index d = x.rows();
    Matrix u(1, d * (d - 1) / 2);
    Index k = 0;
    for (Index i = 1; i < d; ++i) {
      double s = 0.0;
      for (Index j = 0; j < i; ++j) {
        const double z = x(i, j) / std::sqrt(1.0 - s);
        u(0, k++) = std::atanh(std::clamp(z, -1.0 + 1e-16, 1.0 - 1e-16));
        s += x(i, j) * x(i, j);
      }
    }
    return u;
  }
  Shape unconstrained_shape(Shape constrained) const override {
    return free_shape("cholesky_correlation", constrained, false);
  }
};

}  // namespace

Support Support::positive_definite() {
  static const Support s(std::make_shared<PositiveDefinite>());
  return s;
}
Support Support::cholesky_correlation() {
  static const Support s(std::make_shared<CholeskyCorrelation>());
  return s;
}

}  // namespace ed
