// Specs of LKJCholesky, Wishart and InverseWishart. Each value is one d×d matrix; its log
// density is 1×1. The value is checked against its support inside log_prob (an error naming
// the family), since a whole matrix is in or out together.
#include "edpp/distributions/covariance.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/checks.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

const double kLogPi = std::log(std::numbers::pi);

// The column (0, 1, …, d − 1).
Matrix offsets(Index d) { return Eigen::VectorXd::LinSpaced(d, 0.0, double(d - 1)); }

// 1 strictly below the diagonal, 0 elsewhere.
Matrix strict_lower_mask(Index d) {
  Matrix m = Matrix::Zero(d, d);
  m.triangularView<Eigen::StrictlyLower>().setOnes();
  return m;
}

// log Γ_d(a) = d(d − 1)/4 log π + Σ_{j<d} lgamma(a − j/2), the multivariate gamma function.
Tensor log_multigamma(const Tensor& a, Index d) {
  return 0.25 * double(d * (d - 1)) * kLogPi + sum(lgamma(a - 0.5 * offsets(d)));
}

// log |X| of a positive-definite X from its Cholesky factor: 2 Σ log L_ii.
Tensor log_det_from_factor(const Tensor& l) { return 2.0 * sum(log(diag_part(l))); }

// A d×d Bartlett factor for Wishart(ν, I): lower-triangular with A_ii = √χ²(ν − i), A_ij ~ N(0, 1)
// below, so that A Aᵀ ~ Wishart(ν, I). Its χ² draws are Gamma draws: differentiable in ν.
Tensor bartlett_factor(const Tensor& df, Index d) {
  const Tensor chi2 = 2.0 * exp(extend::draw(samplers::log_gamma, {0.5 * (df - offsets(d))}));
  const Tensor below = extend::draw(samplers::normal, {}, {constant(Matrix::Zero(d, d))});
  return below * constant(strict_lower_mask(d)) + diag_matrix(sqrt(chi2));
}

Index side_of(const Params& p) { return p[1].shape().rows; }

// ν must exceed d − 1 for a proper density: checked where the density is formed.
Tensor checked_df(const char* family, const Tensor& df, Index d) {
  return detail::check_positive(df - double(d - 1), family, "df - (d - 1)") + double(d - 1);
}

std::shared_ptr<Family> wishart_spec(const char* name) {
  auto s = std::make_shared<Family>();
  s->name = name;
  s->params = {{"df", Support::positive()}, {"scale", Support::positive_definite()}};
  s->support = Support::positive_definite();
  s->domain = Support::real();  // the value is checked whole, in log_prob
  s->params_broadcast = false;
  return s;
}

std::shared_ptr<const Family> wishart() {
  static const auto spec = [] {
    auto s = wishart_spec("Wishart");
    // (ν − d − 1)/2 log|X| − ½ tr(S⁻¹X) − (νd/2) log 2 − (ν/2) log|S| − log Γ_d(ν/2), with
    // tr(S⁻¹X) = |L_S⁻¹ L_X|²_F.
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Index d = side_of(p);
      const Tensor nu = checked_df("Wishart", p[0], d);
      const Tensor lx =
          cholesky(detail::check(x, Support::positive_definite(), "Wishart", "value"));
      const Tensor ls = cholesky(p[1]);
      const Tensor trace = sum(square(triangular_solve(ls, lx)));
      return 0.5 * (nu - double(d + 1)) * log_det_from_factor(lx) - 0.5 * trace -
             (0.5 * double(d) * std::numbers::ln2) * nu - 0.5 * nu * log_det_from_factor(ls) -
             log_multigamma(0.5 * nu, d);
    };
    // L_S A (L_S A)ᵀ with A Bartlett's factor.
    s->sample = [](const Params& p, const Tensor&) {
      const Index d = side_of(p);
      return tcrossprod(matmul(cholesky(p[1]), bartlett_factor(checked_df("Wishart", p[0], d), d)));
    };
    s->mean = [](const Params& p) { return p[0] * p[1]; };
    s->variance = [](const Params& p) {
      const Tensor diagonal = diag_part(p[1]);
      return p[0] * (square(p[1]) + matmul(diagonal, transpose(diagonal)));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> inverse_wishart() {
  static const auto spec = [] {
    auto s = wishart_spec("InverseWishart");
    // (ν/2) log|S| − (νd/2) log 2 − log Γ_d(ν/2) − (ν + d + 1)/2 log|X| − ½ tr(S X⁻¹), with
    // tr(S X⁻¹) = |L_X⁻¹ L_S|²_F.
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Index d = side_of(p);
      const Tensor nu = checked_df("InverseWishart", p[0], d);
      const Tensor lx =
          cholesky(detail::check(x, Support::positive_definite(), "InverseWishart", "value"));
      const Tensor ls = cholesky(p[1]);
      const Tensor trace = sum(square(triangular_solve(lx, ls)));
      return 0.5 * nu * log_det_from_factor(ls) - (0.5 * double(d) * std::numbers::ln2) * nu -
             log_multigamma(0.5 * nu, d) - 0.5 * (nu + double(d + 1)) * log_det_from_factor(lx) -
             0.5 * trace;
    };
    // X = W⁻¹ for W ~ Wishart(ν, S⁻¹): with W = M A Aᵀ Mᵀ, M = L_S⁻ᵀ, X = (L_S A⁻ᵀ)(L_S A⁻ᵀ)ᵀ.
    s->sample = [](const Params& p, const Tensor&) {
      const Index d = side_of(p);
      const Tensor a = bartlett_factor(checked_df("InverseWishart", p[0], d), d);
      const Tensor a_inverse = triangular_solve(a, constant(Matrix::Identity(d, d)));
      return tcrossprod(matmul(cholesky(p[1]), transpose(a_inverse)));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    s->mean = [nan, inf](const Params& p) {
      const double d = double(side_of(p));
      return where(detail::between(p[0], std::nextafter(d + 1.0, inf), inf),
                   p[1] / (p[0] - (d + 1.0)), nan);
    };
    // ((ν − d + 1) S_ij² + (ν − d − 1) S_ii S_jj) / ((ν − d)(ν − d − 1)²(ν − d − 3)), ν > d + 3
    s->variance = [inf](const Params& p) {
      const double d = double(side_of(p));
      const Tensor& nu = p[0];
      const Tensor diagonal = diag_part(p[1]);
      const Tensor numerator = (nu - (d - 1.0)) * square(p[1]) +
                               (nu - (d + 1.0)) * matmul(diagonal, transpose(diagonal));
      const Tensor denominator = (nu - d) * square(nu - (d + 1.0)) * (nu - (d + 3.0));
      return where(detail::between(nu, std::nextafter(d + 3.0, inf), inf), numerator / denominator,
                   inf);
    };
    return s;
  }();
  return spec;
}

// LKJCholesky for one d: the spec captures d (its parameters hold only η).
std::shared_ptr<const Family> lkj_cholesky(Index d) {
  auto s = std::make_shared<Family>();
  s->name = "LKJCholesky";
  s->params = {{"concentration", Support::positive()}};
  s->support = Support::cholesky_correlation();
  s->domain = Support::real();  // the value is checked whole, in log_prob
  s->params_broadcast = false;
  s->reparameterized = false;
  // Rows i ≥ 1: exponents (d − i − 3) + 2η on log L_ii (row 0's L_00 = 1 adds nothing).
  Matrix base = Matrix::Zero(d, 1), rows_after_first = Matrix::Ones(d, 1);
  rows_after_first(0, 0) = 0.0;
  for (Index i = 1; i < d; ++i) base(i, 0) = double(d - i - 3);
  // log of the normaliser: Π_{i≥1} ∫ over the unit i-ball of (1 − |w|²)^(β_i − 1) dw with
  // β_i = η + (d − i − 1)/2, each π^(i/2) Γ(β_i)/Γ(β_i + i/2), and β_i + i/2 = η + (d − 1)/2.
  Matrix half_rest(d - 1, 1);
  for (Index i = 1; i < d; ++i) half_rest(i - 1, 0) = 0.5 * double(d - i - 1);
  const double pi_terms = 0.25 * double(d * (d - 1)) * kLogPi;  // Σ_{i<d} (i/2) log π
  s->log_prob = [=](const Params& p, const Tensor& x) {
    const Tensor& eta = p[0];
    const Tensor l = detail::check(x, Support::cholesky_correlation(), "LKJCholesky", "value");
    const Tensor exponents = constant(base) + 2.0 * eta * constant(rows_after_first);
    const Tensor log_normaliser = pi_terms + sum(lgamma(eta + constant(half_rest))) -
                                  double(d - 1) * lgamma(eta + 0.5 * double(d - 1));
    return sum(exponents * log(diag_part(l))) - log_normaliser;
  };
  // The onion method: row i (≥ 1) is w = √y · u with u uniform on the unit sphere of its i
  // entries (normalised normals) and y ~ Beta(i/2, β_i), which gives w the density
  // ∝ (1 − |w|²)^(β_i − 1) above; L_ii = √(1 − |w|²).
  Matrix first_row = Matrix::Zero(d, 1), half_i = 0.5 * offsets(d);
  first_row(0, 0) = 1.0;
  half_i(0, 0) = 1.0;  // row 0 draws a dummy Beta, masked out
  Matrix beta_base(d, 1);
  for (Index i = 0; i < d; ++i) beta_base(i, 0) = 0.5 * double(d - i - 1) + (i == 0 ? 1.0 : 0.0);
  s->sample = [=](const Params& p, const Tensor&) {
    const Tensor normals = extend::draw(samplers::normal, {}, {constant(Matrix::Zero(d, d))}) *
                           constant(strict_lower_mask(d));
    const Tensor direction = normals / sqrt(sum(square(normals), 1) + constant(first_row));
    const Tensor y = sigmoid(extend::draw(samplers::log_gamma, {constant(half_i)}) -
                             extend::draw(samplers::log_gamma, {p[0] + constant(beta_base)})) *
                     constant(rows_after_first);
    const Tensor w = direction * sqrt(y);
    return w + diag_matrix(sqrt(maximum(1.0 - sum(square(w), 1), Tensor(0.0))));
  };
  return s;
}

void check_square_scale(const char* family, const Tensor& df, const Tensor& scale,
                        const Tensor& value) {
  const Shape s = scale.shape();
  if (!s.is_known() || s.rows != s.cols) {
    throw ed::invalid_argument(std::string(family) +
                               ": scale must be a square matrix of known size, got shape " +
                               to_string(s));
  }
  if (df.shape() != Shape{1, 1}) {
    throw ed::invalid_argument(std::string(family) + ": df must be 1×1, got shape " +
                               to_string(df.shape()));
  }
  if (value && value.shape().is_known() && value.shape() != s) {
    throw ed::invalid_argument(std::string(family) + ": the value " + to_string(value.shape()) +
                               " must have scale's shape " + to_string(s));
  }
}

std::shared_ptr<const Family> checked_lkj(Index dim, const Tensor& concentration,
                                          const Tensor& value) {
  if (dim < 2) {
    throw ed::invalid_argument("LKJCholesky: dim must be at least 2, got " + std::to_string(dim));
  }
  if (concentration.shape() != Shape{1, 1}) {
    throw ed::invalid_argument("LKJCholesky: concentration must be 1×1, got shape " +
                               to_string(concentration.shape()));
  }
  if (value && value.shape().is_known() && value.shape() != Shape{dim, dim}) {
    throw ed::invalid_argument("LKJCholesky: the value " + to_string(value.shape()) + " must be " +
                               std::to_string(dim) + "×" + std::to_string(dim));
  }
  return lkj_cholesky(dim);
}

}  // namespace

LKJCholesky::LKJCholesky(Index dim, const Tensor& concentration, const Tensor& value)
    : RandomVariable(
          extend::make_distribution(checked_lkj(dim, concentration, value), {concentration}),
          value) {}
Wishart::Wishart(const Tensor& df, const Tensor& scale, const Tensor& value)
    : RandomVariable((check_square_scale("Wishart", df, scale, value),
                      extend::make_distribution(wishart(), {df, scale})),
                     value) {}
InverseWishart::InverseWishart(const Tensor& df, const Tensor& scale, const Tensor& value)
    : RandomVariable((check_square_scale("InverseWishart", df, scale, value),
                      extend::make_distribution(inverse_wishart(), {df, scale})),
                     value) {}

}  // namespace ed
