// Specs of Dirichlet, Multinomial, the multivariate normals (diagonal, Cholesky, covariance and
// precision forms) and the multivariate Student t.
#include "edpp/distributions/multivariate.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <vector>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

std::shared_ptr<const Family> dirichlet() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "Dirichlet";
    s->params = {{"concentration", Support::positive()}};
    s->support = Support::simplex();
    // lgamma(Σα) − Σ lgamma(α) + Σ (α − 1) log x, per row
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor& a = p[0];
      return lgamma(sum(a, 1)) - sum(lgamma(a), 1) + sum(xmul(a - 1.0, log(x)), 1);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      // Normalised Gamma(α_k, 1) draws, normalised in log space: softmax of log G.
      return softmax(extend::draw(samplers::log_gamma, {p[0]}, extend::with_like(p, like)), 1);
    };
    s->mean = [](const Params& p) { return p[0] / sum(p[0], 1); };
    s->variance = [](const Params& p) {
      const Tensor total = sum(p[0], 1);
      return p[0] * (total - p[0]) / (square(total) * (total + 1.0));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> multinomial() {
  static const auto spec = [] {
    auto s = extend::count_family(
        "Multinomial", {{"total_count", Support::nonnegative_integer()}, {"logits", std::nullopt}});
    s->params_broadcast = false;  // total_count is one per row (n×1 or 1×1), logits n×K
    // The support is tested per row inside log_prob (a row is one event), not elementwise.
    s->domain = Support::real();
    // lgamma(n + 1) − Σ lgamma(x_k + 1) + Σ x_k log p_k, per row, where the counts are
    // non-negative integers summing to n
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor& n = p[0];
      const Tensor lp =
          lgamma(n + 1.0) - sum(lgamma(x + 1.0), 1) + sum(xmul(x, log_softmax(p[1], 1)), 1);
      const Tensor outside = sum(1.0 - detail::in_domain(x, Support::nonnegative_integer()), 1);
      return detail::restrict_to(
          lp, detail::between(sum(x, 1), n, n) * detail::between(outside, 0.0, 0.0));
    };
    // Conditional binomials column by column: x_k ~ Binomial(n − Σ_{j<k} x_j, p_k / Σ_{j≥k} p_j)
    // (a tail sum, so the probability never exceeds 1 by rounding); the last takes the rest.
    s->sample = [](const Params& p, const Tensor& like) {
      Tensor probs = softmax(p[1], 1);
      if (like) probs = broadcast_like(probs, like);
      const Index k = probs.shape().cols;
      if (k == Dynamic) throw ed::invalid_argument("Multinomial: the categories must be known");
      Tensor remaining = broadcast_like(p[0], col(probs, 0));
      std::vector<Tensor> counts;
      for (Index j = 0; j + 1 < k; ++j) {
        Tensor tail = col(probs, j);
        for (Index m = j + 1; m < k; ++m) tail = tail + col(probs, m);
        const Tensor x =
            extend::draw(samplers::binomial, {remaining, col(probs, j) / tail}, {remaining});
        counts.push_back(x);
        remaining = remaining - x;
      }
      counts.push_back(remaining);
      return concat(counts, 1);
    };
    s->mean = [](const Params& p) { return p[0] * softmax(p[1], 1); };
    s->variance = [](const Params& p) {
      const Tensor probs = softmax(p[1], 1);
      return p[0] * probs * (1.0 - probs);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> mvn_diag() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "MultivariateNormalDiag";
    s->params = {{"loc", std::nullopt}, {"scale_diag", Support::positive()}};
    s->support = Support::real();
    // Σ_j [−½ z_j² − log σ_j − ½ log 2π], per row
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor z = (x - p[0]) / p[1];
      return sum(-0.5 * square(z) - log(p[1]) - 0.5 * kLog2Pi, 1);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] + p[1] * extend::draw(samplers::normal, {}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    s->variance = [](const Params& p) { return broadcast_like(square(p[1]), p[0]); };
    return s;
  }();
  return spec;
}

// The multivariate normal given by loc μ (n×d or 1×d) and a Cholesky factor L of its covariance.
// −½ |L⁻¹(x − μ)|² − Σ log L_ii − (d/2) log 2π, per row (rows of x are events)
Tensor mvn_log_prob(const Tensor& loc, const Tensor& L, const Tensor& x) {
  const Tensor z = triangular_solve(L, transpose(x - loc));  // d × n
  const double d = static_cast<double>(L.shape().rows);
  return transpose(-0.5 * sum(square(z), 0)) - sum(log(diag_part(L))) - 0.5 * d * kLog2Pi;
}
// μ + ε Lᵀ with ε ~ N(0, I) row by row
Tensor mvn_sample(const Tensor& loc, const Tensor& L, const Tensor& like) {
  std::vector<Tensor> refs = {loc};
  if (like) refs.push_back(like);
  return loc + matmul(extend::draw(samplers::normal, {}, refs), transpose(L));
}
// The marginal variances, diag(L Lᵀ) as a row, over loc's rows.
Tensor mvn_variance(const Tensor& loc, const Tensor& L) {
  return broadcast_like(transpose(sum(square(L), 1)), loc);
}

std::shared_ptr<const Family> mvn_tril() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "MultivariateNormalTriL";
    s->params = {{"loc", std::nullopt}, {"scale_tril", Support::lower_cholesky()}};
    s->support = Support::real();
    s->params_broadcast = false;
    s->log_prob = [](const Params& p, const Tensor& x) { return mvn_log_prob(p[0], p[1], x); };
    s->sample = [](const Params& p, const Tensor& like) { return mvn_sample(p[0], p[1], like); };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) { return mvn_variance(p[0], p[1]); };
    return s;
  }();
  return spec;
}

// The same with the covariance Σ itself, through L = cholesky(Σ) (which stops, naming itself,
// when Σ is not positive definite; only its lower triangle is read).
std::shared_ptr<const Family> mvn_full_covariance() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "MultivariateNormalFullCovariance";
    s->params = {{"loc", std::nullopt}, {"covariance", std::nullopt}};
    s->support = Support::real();
    s->params_broadcast = false;
    s->log_prob = [](const Params& p, const Tensor& x) {
      return mvn_log_prob(p[0], cholesky(p[1]), x);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return mvn_sample(p[0], cholesky(p[1]), like);
    };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) { return broadcast_like(transpose(diag_part(p[1])), p[0]); };
    return s;
  }();
  return spec;
}

// L⁻¹ for L = cholesky(Ω): Ω⁻¹ = L⁻ᵀL⁻¹, so ε L⁻¹ has covariance Ω⁻¹.
Tensor inverse_cholesky(const Tensor& precision) {
  const Index d = precision.shape().rows;
  return triangular_solve(cholesky(precision), Tensor(Matrix(Matrix::Identity(d, d))));
}

// The normal with precision Ω = L Lᵀ: −½|(x − μ)L|² + Σ log L_ii − (d/2) log 2π per row; draws
// μ + ε L⁻¹, whose covariance L⁻ᵀL⁻¹ is Ω⁻¹.
std::shared_ptr<const Family> mvn_precision() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "MultivariateNormalPrecision";
    s->params = {{"loc", std::nullopt}, {"precision", std::nullopt}};
    s->support = Support::real();
    s->params_broadcast = false;
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor L = cholesky(p[1]);
      const double d = static_cast<double>(L.shape().rows);
      return -0.5 * sum(square(matmul(x - p[0], L)), 1) + sum(log(diag_part(L))) -
             0.5 * d * kLog2Pi;
    };
    s->sample = [](const Params& p, const Tensor& like) {
      std::vector<Tensor> refs = {p[0]};
      if (like) refs.push_back(like);
      return p[0] + matmul(extend::draw(samplers::normal, {}, refs), inverse_cholesky(p[1]));
    };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) {
      return broadcast_like(sum(square(inverse_cholesky(p[1])), 0), p[0]);
    };
    return s;
  }();
  return spec;
}

// The rows' draws of V ~ χ²(ν) as log V, one per row of loc (and of `like`).
Tensor log_chi2_per_row(const Tensor& df, const Tensor& loc, const Tensor& like) {
  std::vector<Tensor> refs = {col(loc, 0)};
  if (like) refs.push_back(col(like, 0));
  return std::log(2.0) + extend::draw(samplers::log_gamma, {0.5 * df}, refs);
}

std::shared_ptr<const Family> multivariate_student_t() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "MultivariateStudentT";
    s->params = {{"df", Support::positive()},
                 {"loc", std::nullopt},
                 {"scale_tril", Support::lower_cholesky()}};
    s->support = Support::real();
    s->params_broadcast = false;
    // lgamma((ν+d)/2) − lgamma(ν/2) − (d/2) log νπ − Σ log L_ii − (ν+d)/2 · log1p(q/ν), per row
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor &nu = p[0], &L = p[2];
      const double d = static_cast<double>(L.shape().rows);
      const Tensor z = triangular_solve(L, transpose(x - p[1]));  // d × n
      const Tensor q = transpose(sum(square(z), 0));
      return lgamma(0.5 * (nu + d)) - lgamma(0.5 * nu) - 0.5 * d * log(nu * std::numbers::pi) -
             sum(log(diag_part(L))) - 0.5 * (nu + d) * log1p(q / nu);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      std::vector<Tensor> refs = {p[1]};
      if (like) refs.push_back(like);
      const Tensor noise = matmul(extend::draw(samplers::normal, {}, refs), transpose(p[2]));
      const Tensor log_v = log_chi2_per_row(p[0], p[1], like);
      return p[1] + noise * exp(0.5 * (log(p[0]) - log_v));
    };
    s->mean = [](const Params& p) {
      const double inf = std::numeric_limits<double>::infinity();
      return where(detail::between(p[0], std::nextafter(1.0, 2.0), inf), p[1],
                   std::numeric_limits<double>::quiet_NaN());
    };
    s->variance = [](const Params& p) {
      const double inf = std::numeric_limits<double>::infinity();
      return where(detail::between(p[0], std::nextafter(2.0, 3.0), inf),
                   mvn_variance(p[1], p[2]) * p[0] / (p[0] - 2.0), inf);
    };
    return s;
  }();
  return spec;
}

void check_square_shapes(const char* family, const char* matrix, const Tensor& loc,
                         const Tensor& square) {
  const Shape l = loc.shape(), m = square.shape();
  if (!m.is_known() || m.rows != m.cols) {
    throw ed::invalid_argument(std::string(family) + ": " + matrix +
                               " must be a square matrix of known size, got shape " + to_string(m));
  }
  if (l.cols != Dynamic && l.cols != m.rows) {
    throw ed::invalid_argument(std::string(family) + ": loc " + to_string(l) + " and " + matrix +
                               " " + to_string(m) + " do not match (loc needs " +
                               std::to_string(m.rows) + " columns)");
  }
}
void check_tril_shapes(const Tensor& loc, const Tensor& scale_tril) {
  check_square_shapes("MultivariateNormalTriL", "scale_tril", loc, scale_tril);
}

void check_df_shape(const Tensor& df, const Tensor& loc) {
  const Shape s = df.shape(), l = loc.shape();
  const bool per_row =
      s.cols == 1 && (s.rows == 1 || s.rows == Dynamic || l.rows == 1 || s.rows == l.rows);
  if (!per_row) {
    throw ed::invalid_argument("MultivariateStudentT: df must be 1×1 or one per row of loc " +
                               to_string(l) + ", got shape " + to_string(s));
  }
}

}  // namespace

Dirichlet::Dirichlet(const Tensor& concentration, const Tensor& value)
    : RandomVariable(extend::make_distribution(dirichlet(), {concentration}), value) {}
Multinomial::Multinomial(const Tensor& total_count, const Tensor& logits, const Tensor& value)
    : RandomVariable(extend::make_distribution(multinomial(), {total_count, logits}), value) {}
Multinomial Multinomial::from_probs(const Tensor& total_count, const Tensor& probs,
                                    const Tensor& value) {
  return Multinomial(total_count, log(probs), value);
}
MultivariateNormalDiag::MultivariateNormalDiag(const Tensor& loc, const Tensor& scale_diag,
                                               const Tensor& value)
    : RandomVariable(extend::make_distribution(mvn_diag(), {loc, scale_diag}), value) {}
MultivariateNormalTriL::MultivariateNormalTriL(const Tensor& loc, const Tensor& scale_tril,
                                               const Tensor& value)
    : RandomVariable((check_tril_shapes(loc, scale_tril),
                      extend::make_distribution(mvn_tril(), {loc, scale_tril})),
                     value) {}

MultivariateNormalFullCovariance::MultivariateNormalFullCovariance(const Tensor& loc,
                                                                   const Tensor& covariance,
                                                                   const Tensor& value)
    : RandomVariable(
          (check_square_shapes("MultivariateNormalFullCovariance", "covariance", loc, covariance),
           extend::make_distribution(mvn_full_covariance(), {loc, covariance})),
          value) {}

MultivariateNormalPrecision::MultivariateNormalPrecision(const Tensor& loc, const Tensor& precision,
                                                         const Tensor& value)
    : RandomVariable(
          (check_square_shapes("MultivariateNormalPrecision", "precision", loc, precision),
           extend::make_distribution(mvn_precision(), {loc, precision})),
          value) {}

MultivariateStudentT::MultivariateStudentT(const Tensor& df, const Tensor& loc,
                                           const Tensor& scale_tril, const Tensor& value)
    : RandomVariable((check_square_shapes("MultivariateStudentT", "scale_tril", loc, scale_tril),
                      check_df_shape(df, loc),
                      extend::make_distribution(multivariate_student_t(), {df, loc, scale_tril})),
                     value) {}

}  // namespace ed
