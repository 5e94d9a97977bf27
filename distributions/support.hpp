// The set a random variable's values live in: one object that owns its membership test (for
// parameter checks, data checks and the −inf of a log density outside it) and, for continuous
// sets, its bijector from the real line.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "edpp/core/fwd.hpp"

namespace ed {

namespace extend {

/// One set of values. Adding a support (an ordered vector, a Cholesky factor) is one subclass:
/// its membership test, the words of its error message and, when continuous, its bijector.
/// Elementwise sets test one number at a time; a set whose elements are whole rows (the
/// simplex) or whole matrices (a Cholesky factor) overrides `first_violation` and `indicate`.
class SupportSet {
 public:
  SupportSet() = default;
  SupportSet(const SupportSet&) = delete;
  SupportSet& operator=(const SupportSet&) = delete;
  virtual ~SupportSet() = default;

  /// "positive", "interval(0, 1)"; also how two supports compare.
  virtual std::string name() const = 0;
  virtual bool is_discrete() const { return false; }
  /// True for the real line, where a log density needs no restriction.
  virtual bool is_everything() const { return false; }

  /// Whether one number belongs to the set (elementwise sets). NaN never does.
  virtual bool contains(double x) const = 0;
  /// What element (i, j) of a value must be, for messages: "positive", "in [0, 1]".
  virtual std::string requirement(Index i, Index j) const = 0;
  /// Whether every element is in the set: the hot path of checks, one vectorised pass where
  /// a set overrides it (the default asks `first_violation`).
  virtual bool contains_all(const Matrix& x) const { return !first_violation(x); }
  /// The first element (column-major) that is not in the set; nothing when all are.
  virtual std::optional<std::pair<Index, Index>> first_violation(const Matrix& x) const;
  /// Whether membership is decided per row (the simplex): the indicator is then R×1.
  virtual bool per_row() const { return false; }
  /// Whether the membership of row i depends on row i alone (not for a whole-matrix set).
  virtual bool is_row_local() const { return true; }
  /// Writes 1 where x is in the set and 0 elsewhere into `out` (x's shape, or R×1 per row).
  virtual void indicate(const Matrix& x, Matrix& out) const;

  /// The point of the set that the unconstrained `u` maps to. The default throws: a discrete
  /// set has no bijector.
  virtual Tensor constrain(const Tensor& u) const;
  /// log |det ∂constrain(u)/∂u|, per element (per row for row sets).
  virtual Tensor log_det_jacobian(const Tensor& u) const;
  /// The inverse of constrain at a concrete point of the set.
  virtual Matrix unconstrain(const Matrix& x) const;
  /// The shape of u for a value of shape `constrained`.
  virtual Shape unconstrained_shape(Shape constrained) const { return constrained; }
};

}  // namespace extend

/// Where a distribution's values live: a cheap handle to a shared extend::SupportSet. Continuous
/// supports have a bijector from the real line (distributions/bijectors.hpp) that inference
/// works through; every support checks membership, so parameters and data are validated, and
/// log densities are −inf outside, by the same object.
class Support {
 public:
  explicit Support(std::shared_ptr<const extend::SupportSet> set) : set_(std::move(set)) {}

  static Support real();           ///< ℝ (NaN excluded)
  static Support finite();         ///< ℝ without ±inf (for parameters that must be finite)
  static Support positive();       ///< (0, ∞)
  static Support nonnegative();    ///< [0, ∞)
  static Support unit_interval();  ///< [0, 1]; the bijector maps onto (0, 1)
  static Support interval(double low, double high);  ///< [low, high]; bijector onto the inside
  static Support greater_than(double low);           ///< [low, ∞); the bijector low + eᵘ
  static Support simplex();                          ///< rows on the probability simplex
  static Support nonnegative_integer();              ///< 0, 1, 2, …
  static Support integer_interval(double low, double high);  ///< low, …, high
  static Support lower_cholesky();  ///< square, lower-triangular, positive diagonal
  /// Symmetric positive-definite d×d matrices (covariances, Wishart draws), one matrix per value;
  /// reached from d(d+1)/2 free numbers (a 1×d(d+1)/2 row) through a Cholesky factor with a
  /// log diagonal, as Stan's cov_matrix. Distributions/matrix_supports.cpp.
  static Support positive_definite();
  /// Cholesky factors of d×d correlation matrices (lower-triangular, positive diagonal, rows of
  /// unit length), one matrix per value; reached from d(d−1)/2 free numbers through tanh and
  /// the rows' remaining length, as Stan's cholesky_factor_corr.
  static Support cholesky_correlation();
  /// Rows in strictly increasing order (cutpoints); x₀ = u₀, x_k = x_{k−1} + exp(u_k).
  static Support ordered();
  /// Rows of positive, strictly increasing numbers (Stan's positive_ordered): x₀ = e^(u₀),
  /// x_k = x_{k−1} + e^(u_k).
  static Support positive_ordered();

  const extend::SupportSet& set() const { return *set_; }
  bool is_discrete() const { return set_->is_discrete(); }
  std::string name() const { return set_->name(); }
  friend bool operator==(const Support& a, const Support& b) { return a.name() == b.name(); }

 private:
  std::shared_ptr<const extend::SupportSet> set_;
};

/// "positive", "interval(0, 1)", …
inline std::string to_string(const Support& support) { return support.name(); }

}  // namespace ed
