// The Euclidean metric of Hamiltonian samplers: diagonal or dense, with its warm-up estimate.
#pragma once

#include "edpp/core/fwd.hpp"  // Eigen, with GCC 12's AVX-512 warnings silenced

#include "edpp/core/rng.hpp"
#include "edpp/core/tensor.hpp"

namespace ed {

/// The shape of the mass matrix NUTS adapts during warm-up (Stan's `diag_e` and `dense_e`).
enum class MassMatrix {
  diagonal,  ///< M⁻¹ is the diagonal of the posterior covariance: cheap, ignores correlation
  dense,  ///< M⁻¹ is the whole posterior covariance: removes linear correlation, O(d²) a step
};

namespace detail {

/// The kinetic energy K(p) = ½ pᵀ M⁻¹ p of a Euclidean-Gaussian momentum p ~ N(0, M), and the
/// windowed estimate of M⁻¹ from warm-up positions (Welford's running mean and (co)variance,
/// shrunk towards 1e-3 · I by n / (n + 5) as Stan does). The dense form keeps the upper
/// Cholesky factor U of M⁻¹ = UᵀU so that momenta are drawn as p = U⁻¹ u with u ~ N(0, I).
class EuclideanMetric {
 public:
  EuclideanMetric() = default;
  EuclideanMetric(MassMatrix kind, Index dimension);

  MassMatrix kind() const { return kind_; }
  /// velocity = M⁻¹ p (the gradient of K in p); `velocity` must not alias `p`.
  void velocity(const Eigen::VectorXd& p, Eigen::VectorXd& velocity) const;
  /// q += eps · M⁻¹ p, the position half of a leapfrog step.
  void move(double eps, const Eigen::VectorXd& p, Eigen::VectorXd& q);
  /// ½ pᵀ M⁻¹ p (non-const: the dense form uses the scratch vector, allocating nothing).
  double kinetic_energy(const Eigen::VectorXd& p);
  /// Draws p ~ N(0, M) into `p` (resized to the dimension).
  void sample_momentum(Rng::Engine& engine, Eigen::VectorXd& p) const;

  /// Adds one warm-up position to the current window's estimate.
  void add_sample(const Eigen::VectorXd& q);
  /// Replaces M⁻¹ by the regularised estimate of the window's samples and starts a new window.
  /// @throws ed::numerical_error when a dense estimate is not positive definite
  void update_from_window();
  /// M⁻¹: a d × 1 column (its diagonal) for MassMatrix::diagonal, d × d for MassMatrix::dense.
  Matrix inverse_metric() const;

 private:
  MassMatrix kind_ = MassMatrix::diagonal;
  Eigen::VectorXd diagonal_;       // M⁻¹ when diagonal
  Eigen::MatrixXd dense_, upper_;  // M⁻¹ and U (M⁻¹ = UᵀU) when dense
  long n_ = 0;                     // window samples so far
  Eigen::VectorXd mean_;           // their running mean
  Eigen::VectorXd m2_diagonal_;    // Σ (q − mean)² per coordinate
  Eigen::MatrixXd m2_dense_;       // Σ (q − mean)(q − mean)ᵀ
  Eigen::VectorXd scratch_;        // M⁻¹ p in move() and kinetic_energy(), sized once
};

}  // namespace detail
}  // namespace ed
