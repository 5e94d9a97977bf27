// The Euclidean metric: kinetic energy, momenta, and the windowed (co)variance estimate.
#include "edpp/inference/mcmc/metric.hpp"

#include <Eigen/Cholesky>
#include <boost/random/normal_distribution.hpp>

#include "edpp/core/errors.hpp"

namespace ed::detail {

EuclideanMetric::EuclideanMetric(MassMatrix kind, Index dimension)
    : kind_(kind), mean_(Eigen::VectorXd::Zero(dimension)), scratch_(dimension) {
  if (kind_ == MassMatrix::dense) {
    dense_ = Eigen::MatrixXd::Identity(dimension, dimension);
    upper_ = dense_;
    m2_dense_ = Eigen::MatrixXd::Zero(dimension, dimension);
  } else {
    diagonal_ = Eigen::VectorXd::Ones(dimension);
    m2_diagonal_ = Eigen::VectorXd::Zero(dimension);
  }
}

void EuclideanMetric::velocity(const Eigen::VectorXd& p, Eigen::VectorXd& velocity) const {
  if (kind_ == MassMatrix::dense) {
    velocity.noalias() = dense_ * p;
  } else {
    velocity = diagonal_.cwiseProduct(p);
  }
}

void EuclideanMetric::move(double eps, const Eigen::VectorXd& p, Eigen::VectorXd& q) {
  if (kind_ == MassMatrix::dense) {
    scratch_.noalias() = dense_ * p;
    q += eps * scratch_;
  } else {
    q += eps * diagonal_.cwiseProduct(p);
  }
}

double EuclideanMetric::kinetic_energy(const Eigen::VectorXd& p) {
  if (kind_ == MassMatrix::dense) {
    scratch_.noalias() = dense_ * p;
    return 0.5 * p.dot(scratch_);
  }
  return 0.5 * p.dot(diagonal_.cwiseProduct(p));
}

void EuclideanMetric::sample_momentum(Rng::Engine& engine, Eigen::VectorXd& p) const {
  boost::random::normal_distribution<double> normal;
  const Index d = mean_.size();
  p.resize(d);
  for (Index k = 0; k < d; ++k) p(k) = normal(engine);
  if (kind_ == MassMatrix::dense) {
    // Cov(U⁻¹u) = U⁻¹U⁻ᵀ = (UᵀU)⁻¹ = M.
    upper_.triangularView<Eigen::Upper>().solveInPlace(p);
  } else {
    p.array() /= diagonal_.array().sqrt();
  }
}

void EuclideanMetric::add_sample(const Eigen::VectorXd& q) {
  ++n_;
  const Eigen::VectorXd delta = q - mean_;
  mean_ += delta / static_cast<double>(n_);
  if (kind_ == MassMatrix::dense) {
    m2_dense_.noalias() += delta * (q - mean_).transpose();
  } else {
    m2_diagonal_ += delta.cwiseProduct(q - mean_);
  }
}

void EuclideanMetric::update_from_window() {
  // Stan's regularisation: the sample (co)variance shrunk towards 1e-3 · I, more so for short
  // windows, which keeps the metric positive definite and well conditioned.
  const double n = static_cast<double>(n_);
  const double weight = n / (n + 5.0), shrink = 1e-3 * (5.0 / (n + 5.0));
  if (kind_ == MassMatrix::dense) {
    dense_ = weight * (m2_dense_ / (n - 1.0));
    dense_.diagonal().array() += shrink;
    const Eigen::LLT<Eigen::MatrixXd> llt(dense_);
    if (llt.info() != Eigen::Success) {
      throw ed::numerical_error(
          "NUTS: the dense metric estimated in warm-up is not positive definite; use the "
          "diagonal metric or a longer warm-up");
    }
    upper_ = llt.matrixU();
    m2_dense_.setZero();
  } else {
    diagonal_ = weight * (m2_diagonal_ / (n - 1.0)).array() + shrink;
    m2_diagonal_.setZero();
  }
  n_ = 0;
  mean_.setZero();
}

Matrix EuclideanMetric::inverse_metric() const {
  return kind_ == MassMatrix::dense ? Matrix(dense_) : Matrix(diagonal_);
}

}  // namespace ed::detail
