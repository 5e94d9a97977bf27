// The supports: each set's membership test, error wording and bijector, in one place per set.
#include "edpp/distributions/support.hpp"

#include <Eigen/Core>

#include <cmath>
#include <limits>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"

namespace ed {

namespace extend {

std::optional<std::pair<Index, Index>> SupportSet::first_violation(const Matrix& x) const {
  for (Index j = 0; j < x.cols(); ++j) {
    for (Index i = 0; i < x.rows(); ++i) {
      if (!contains(x(i, j))) return std::make_pair(i, j);
    }
  }
  return std::nullopt;
}

void SupportSet::indicate(const Matrix& x, Matrix& out) const {
  for (Index k = 0; k < x.size(); ++k) out.data()[k] = contains(x.data()[k]) ? 1.0 : 0.0;
}

Tensor SupportSet::constrain(const Tensor&) const {
  throw ed::invalid_argument("bijector: the " + name() +
                             " support is discrete and has no map from the real line");
}
Tensor SupportSet::log_det_jacobian(const Tensor& u) const { return constrain(u); }
Matrix SupportSet::unconstrain(const Matrix&) const {
  constrain(Tensor());
  return {};
}

}  // namespace extend

namespace {

using extend::SupportSet;

std::string number(double x) {
  std::ostringstream out;
  out << x;
  return out.str();
}

void require_inside(bool inside, const SupportSet& set) {
  if (!inside) {
    throw ed::invalid_argument("bijector: the value is outside the " + set.name() + " support");
  }
}

/// ℝ, where NaN is the only number outside; with `finite`, ±inf are outside too (what
/// parameters such as Uniform's bounds must be). The identity is the bijector.
class RealLine final : public SupportSet {
 public:
  explicit RealLine(bool finite) : finite_(finite) {}
  std::string name() const override { return finite_ ? "finite" : "real"; }
  bool is_everything() const override { return !finite_; }
  bool contains(double x) const override { return finite_ ? std::isfinite(x) : !std::isnan(x); }
  bool contains_all(const Matrix& x) const override {
    return finite_ ? x.allFinite() : !x.hasNaN();
  }
  std::string requirement(Index, Index) const override {
    return finite_ ? "finite" : "a number (not NaN)";
  }
  Tensor constrain(const Tensor& u) const override { return u; }
  Tensor log_det_jacobian(const Tensor& u) const override { return broadcast_like(0.0, u); }
  Matrix unconstrain(const Matrix& x) const override {
    require_inside(contains_all(x), *this);
    return x;
  }

 private:
  bool finite_;
};

/// (0, ∞), or [0, ∞) when `closed`; both reached from ℝ by exp.
class PositiveReals final : public SupportSet {
 public:
  explicit PositiveReals(bool closed) : closed_(closed) {}
  std::string name() const override { return closed_ ? "nonnegative" : "positive"; }
  bool contains(double x) const override { return closed_ ? x >= 0.0 : x > 0.0; }
  bool contains_all(const Matrix& x) const override {
    return closed_ ? (x.array() >= 0.0).all() : (x.array() > 0.0).all();
  }
  std::string requirement(Index, Index) const override {
    return closed_ ? "non-negative" : "positive";
  }
  Tensor constrain(const Tensor& u) const override { return exp(u); }
  Tensor log_det_jacobian(const Tensor& u) const override { return u; }  // x = eᵘ
  Matrix unconstrain(const Matrix& x) const override {
    require_inside((x.array() > 0.0).all(), *this);
    return x.array().log().matrix();
  }

 private:
  bool closed_;
};

/// [low, high]; the bijector low + (high − low)σ(u) reaches its inside.
class Interval final : public SupportSet {
 public:
  Interval(double low, double high, bool unit) : low_(low), high_(high), unit_(unit) {}
  std::string name() const override {
    return unit_ ? "unit_interval" : "interval(" + number(low_) + ", " + number(high_) + ")";
  }
  bool contains(double x) const override { return x >= low_ && x <= high_; }
  bool contains_all(const Matrix& x) const override {
    return (x.array() >= low_ && x.array() <= high_).all();
  }
  std::string requirement(Index, Index) const override {
    return "in [" + number(low_) + ", " + number(high_) + "]";
  }
  Tensor constrain(const Tensor& u) const override {
    return unit_ ? sigmoid(u) : low_ + (high_ - low_) * sigmoid(u);
  }
  Tensor log_det_jacobian(const Tensor& u) const override {
    const Tensor log_det = log_sigmoid(u) + log_sigmoid(-u);
    return unit_ ? log_det : std::log(high_ - low_) + log_det;
  }
  Matrix unconstrain(const Matrix& x) const override {
    const Matrix p = (x.array() - low_) / (high_ - low_);
    require_inside((p.array() > 0.0 && p.array() < 1.0).all(), *this);
    return (p.array().log() - (-p.array()).log1p()).matrix();
  }

 private:
  double low_, high_;
  bool unit_;
};

/// [low, ∞) (Pareto above its y_min); low + eᵘ reaches its inside.
class GreaterThan final : public SupportSet {
 public:
  explicit GreaterThan(double low) : low_(low) {}
  std::string name() const override { return "greater_than(" + number(low_) + ")"; }
  bool contains(double x) const override { return x >= low_; }
  bool contains_all(const Matrix& x) const override { return (x.array() >= low_).all(); }
  std::string requirement(Index, Index) const override { return "at least " + number(low_); }
  Tensor constrain(const Tensor& u) const override { return low_ + exp(u); }
  Tensor log_det_jacobian(const Tensor& u) const override { return u; }
  Matrix unconstrain(const Matrix& x) const override {
    require_inside((x.array() > low_).all(), *this);
    return (x.array() - low_).log().matrix();
  }

 private:
  double low_;
};

/// Rows of non-negative entries summing to 1 (to a few ulps per entry); stick-breaking maps
/// K − 1 free columns onto K.
class Simplex final : public SupportSet {
 public:
  std::string name() const override { return "simplex"; }
  bool per_row() const override { return true; }
  bool contains(double x) const override { return x >= 0.0 && x <= 1.0; }
  std::string requirement(Index, Index) const override {
    return "in a row of non-negative entries summing to 1";
  }
  std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const override {
    for (Index i = 0; i < x.rows(); ++i) {
      if (!row_inside(x, i)) {
        Index j = 0;
        while (j + 1 < x.cols() && x(i, j) >= 0.0) ++j;
        return std::make_pair(i, j);
      }
    }
    return std::nullopt;
  }
  void indicate(const Matrix& x, Matrix& out) const override {
    for (Index i = 0; i < x.rows(); ++i) out(i, 0) = row_inside(x, i) ? 1.0 : 0.0;
  }
  Tensor constrain(const Tensor& u) const override { return detail::stick_breaking(u, false); }
  Tensor log_det_jacobian(const Tensor& u) const override {
    return detail::stick_breaking(u, true);
  }
  Matrix unconstrain(const Matrix& x) const override {
    // Invert the breaks: z_k = x_k / rest_k, u_k = logit(z_k) + log(K−1−k).
    require_inside(x.cols() >= 2 && (x.array() > 0.0).all(), *this);
    const Index k1 = x.cols() - 1;
    Matrix u(x.rows(), k1);
    Eigen::ArrayXd rest = x.rowwise().sum().array();
    for (Index k = 0; k < k1; ++k) {
      const Eigen::ArrayXd z = x.col(k).array() / rest;
      u.col(k) = (z.log() - (-z).log1p() + std::log(static_cast<double>(k1 - k))).matrix();
      rest -= x.col(k).array();
    }
    return u;
  }
  Shape unconstrained_shape(Shape constrained) const override {
    if (constrained.cols == Dynamic) return constrained;
    return {constrained.rows, constrained.cols - 1};
  }

 private:
  static bool row_inside(const Matrix& x, Index i) {
    const double tolerance = 1e-12 * static_cast<double>(std::max<Index>(1, x.cols()));
    const auto row = x.row(i).array();
    return (row >= 0.0).all() && std::abs(row.sum() - 1.0) <= tolerance;
  }
};

/// 0, 1, 2, … (counts).
class NonnegativeIntegers final : public SupportSet {
 public:
  std::string name() const override { return "nonnegative_integer"; }
  bool is_discrete() const override { return true; }
  bool contains(double x) const override { return is_count(x); }
  bool contains_all(const Matrix& x) const override {
    bool inside = true;
    for (const double v : x.reshaped()) inside &= is_count(v);
    return inside;
  }
  std::string requirement(Index, Index) const override { return "a non-negative integer"; }

 private:
  // Without floor, which SSE2 has no instruction for (a libm call per element, and counts are
  // checked at every run of a likelihood): below 2⁵², adding 2⁵² rounds x to a whole number,
  // and subtracting it gives x back only when x was one; from 2⁵² up every double is whole.
  static bool is_count(double x) {
    constexpr double kWhole = 4503599627370496.0;  // 2⁵²
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    return x >= 0.0 && x < kInfinity && (x >= kWhole || (x + kWhole) - kWhole == x);
  }
};

/// low, low + 1, …, high (labels; binary outcomes).
class IntegerInterval final : public SupportSet {
 public:
  IntegerInterval(double low, double high) : low_(low), high_(high) {}
  std::string name() const override {
    return "integer_interval(" + number(low_) + ", " + number(high_) + ")";
  }
  bool is_discrete() const override { return true; }
  bool contains(double x) const override { return x >= low_ && x <= high_ && x == std::floor(x); }
  bool contains_all(const Matrix& x) const override {
    const auto a = x.array();
    return (a >= low_ && a <= high_ && a == a.floor()).all();
  }
  std::string requirement(Index, Index) const override {
    return "an integer in [" + number(low_) + ", " + number(high_) + "]";
  }

 private:
  double low_, high_;
};

/// Square lower-triangular matrices with a positive diagonal (a Cholesky factor).
class LowerCholesky final : public SupportSet {
 public:
  std::string name() const override { return "lower_cholesky"; }
  bool is_row_local() const override { return false; }
  bool contains(double x) const override { return std::isfinite(x); }
  bool contains_all(const Matrix& x) const override {
    return x.rows() == x.cols() &&
           x.triangularView<Eigen::StrictlyUpper>().toDenseMatrix().isZero(0.0) &&
           (x.diagonal().array() > 0.0).all() && x.allFinite();
  }
  std::string requirement(Index i, Index j) const override {
    return j > i ? "0 (the matrix must be lower-triangular)" : (i == j ? "positive" : "finite");
  }
  std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const override {
    if (x.rows() != x.cols()) {
      throw ed::invalid_argument("must be square, got shape " + to_string(shape_of(x)));
    }
    for (Index j = 0; j < x.cols(); ++j) {
      for (Index i = 0; i < x.rows(); ++i) {
        const double v = x(i, j);
        const bool ok = j > i ? v == 0.0 : (i == j ? v > 0.0 : std::isfinite(v));
        if (!ok) return std::make_pair(i, j);
      }
    }
    return std::nullopt;
  }
};

/// Rows x₀ < x₁ < … (Stan's ordered vectors): x₀ = u₀, x_k = x_{k−1} + exp(u_k), so
/// log |det J| = Σ_{k≥1} u_k per row. With `positive` (Stan's positive_ordered), 0 < x₀ too:
/// x₀ = exp(u₀), so x = cumulative sums of exp(u) and log |det J| = Σ_k u_k.
class Ordered final : public SupportSet {
 public:
  explicit Ordered(bool positive) : positive_(positive) {}
  std::string name() const override { return positive_ ? "positive_ordered" : "ordered"; }
  bool per_row() const override { return true; }
  bool contains(double x) const override { return !std::isnan(x); }
  std::string requirement(Index, Index j) const override {
    if (j == 0 && positive_) return "positive (rows must be positive and strictly increasing)";
    return "greater than the entry before it (rows must be strictly increasing)";
  }
  std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const override {
    for (Index i = 0; i < x.rows(); ++i) {
      for (Index j = 0; j < x.cols(); ++j) {
        if (std::isnan(x(i, j)) || (j > 0 && !(x(i, j) > x(i, j - 1))) ||
            (j == 0 && positive_ && !(x(i, 0) > 0.0))) {
          return std::make_pair(i, j);
        }
      }
    }
    return std::nullopt;
  }
  void indicate(const Matrix& x, Matrix& out) const override {
    for (Index i = 0; i < x.rows(); ++i) {
      bool ok = positive_ ? x(i, 0) > 0.0 : !std::isnan(x(i, 0));
      for (Index j = 1; j < x.cols(); ++j) ok = ok && x(i, j) > x(i, j - 1);
      out(i, 0) = ok ? 1.0 : 0.0;
    }
  }
  Tensor constrain(const Tensor& u) const override {
    if (!positive_) return detail::ordered_transform(u);
    // Cumulative sums of exp(u) along each row: exp(u) times the upper-triangular ones.
    const Index k = known_columns(u);
    return matmul(exp(u), Matrix(Matrix::Ones(k, k).triangularView<Eigen::Upper>()));
  }
  Tensor log_det_jacobian(const Tensor& u) const override {
    // Σ_{k≥1} u_k per row (Σ_k u_k when positive): the sum over columns of u, masked.
    Matrix mask = Matrix::Ones(known_columns(u), 1);
    if (!positive_) mask(0, 0) = 0.0;
    return matmul(u, mask);
  }
  Matrix unconstrain(const Matrix& x) const override {
    require_inside(!first_violation(x), *this);
    Matrix u(x.rows(), x.cols());
    u.col(0) = positive_ ? Matrix(x.col(0).array().log().matrix()) : Matrix(x.col(0));
    for (Index k = 1; k < x.cols(); ++k)
      u.col(k) = (x.col(k) - x.col(k - 1)).array().log().matrix();
    return u;
  }

 private:
  static Index known_columns(const Tensor& u) {
    const Index k = u.shape().cols;
    if (k == Dynamic) {
      throw ed::invalid_argument("bijector: an ordered support needs a known number of columns");
    }
    return k;
  }
  bool positive_;
};

template <class Set, class... Args>
Support make(Args... args) {
  return Support(std::make_shared<const Set>(args...));
}

}  // namespace

Support Support::real() {
  static const Support s = make<RealLine>(false);
  return s;
}
Support Support::finite() {
  static const Support s = make<RealLine>(true);
  return s;
}
Support Support::positive() {
  static const Support s = make<PositiveReals>(false);
  return s;
}
Support Support::nonnegative() {
  static const Support s = make<PositiveReals>(true);
  return s;
}
Support Support::unit_interval() {
  static const Support s = make<Interval>(0.0, 1.0, true);
  return s;
}
Support Support::interval(double low, double high) {
  if (!(low < high)) {
    throw ed::invalid_argument("Support::interval: low " + number(low) + " must be below high " +
                               number(high));
  }
  return make<Interval>(low, high, false);
}
Support Support::greater_than(double low) {
  if (!std::isfinite(low)) {
    throw ed::invalid_argument("Support::greater_than: low " + number(low) + " must be finite");
  }
  return make<GreaterThan>(low);
}
Support Support::simplex() {
  static const Support s = make<Simplex>();
  return s;
}
Support Support::nonnegative_integer() {
  static const Support s = make<NonnegativeIntegers>();
  return s;
}
Support Support::integer_interval(double low, double high) {
  return make<IntegerInterval>(low, high);
}
Support Support::ordered() {
  static const Support s = make<Ordered>(false);
  return s;
}
Support Support::positive_ordered() {
  static const Support s = make<Ordered>(true);
  return s;
}

Support Support::lower_cholesky() {
  static const Support s = make<LowerCholesky>();
  return s;
}

}  // namespace ed
