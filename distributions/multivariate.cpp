// Specs of Dirichlet, MultivariateNormalDiag and MultivariateNormalTriL.
#include "edpp/distributions/multivariate.hpp"

#include <cmath>
#include <numbers>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = detail::samplers;
using detail::FamilySpec;
using Params = FamilySpec::Params;

const double kLog2Pi = std::log(2.0 * std::numbers::pi);

std::shared_ptr<const FamilySpec> dirichlet() {
  static const auto spec = [] {
    auto s = std::make_shared<FamilySpec>();
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
      return softmax(detail::draw(samplers::log_gamma, {p[0]}, detail::with_like(p, like)), 1);
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

std::shared_ptr<const FamilySpec> mvn_diag() {
  static const auto spec = [] {
    auto s = std::make_shared<FamilySpec>();
    s->name = "MultivariateNormalDiag";
    s->params = {{"loc", std::nullopt}, {"scale_diag", Support::positive()}};
    s->support = Support::real();
    // Σ_j [−½ z_j² − log σ_j − ½ log 2π], per row
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor z = (x - p[0]) / p[1];
      return sum(-0.5 * square(z) - log(p[1]) - 0.5 * kLog2Pi, 1);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] + p[1] * detail::draw(samplers::normal, {}, detail::with_like(p, like));
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    s->variance = [](const Params& p) { return broadcast_like(square(p[1]), p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const FamilySpec> mvn_tril() {
  static const auto spec = [] {
    auto s = std::make_shared<FamilySpec>();
    s->name = "MultivariateNormalTriL";
    s->params = {{"loc", std::nullopt}, {"scale_tril", Support::lower_cholesky()}};
    s->support = Support::real();
    s->params_broadcast = false;
    s->normal_tril_parameters = [](const Params& p) {
      return std::optional<NormalParameters>(NormalParameters{p[0], p[1]});
    };
    // −½ |L⁻¹(x − μ)|² − Σ log L_ii − (d/2) log 2π, per row (rows of x are events)
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor& L = p[1];
      const Tensor z = triangular_solve(L, transpose(x - p[0]));  // d × n
      const double d = static_cast<double>(L.shape().rows);
      return transpose(-0.5 * sum(square(z), 0)) - sum(log(diag_part(L))) - 0.5 * d * kLog2Pi;
    };
    // μ + ε Lᵀ with ε ~ N(0, I) row by row
    s->sample = [](const Params& p, const Tensor& like) {
      std::vector<Tensor> refs = {p[0]};
      if (like) refs.push_back(like);
      return p[0] + matmul(detail::draw(samplers::normal, {}, refs), transpose(p[1]));
    };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) {
      return broadcast_like(transpose(sum(square(p[1]), 1)), p[0]);
    };
    return s;
  }();
  return spec;
}

void check_tril_shapes(const Tensor& loc, const Tensor& scale_tril) {
  const Shape l = loc.shape(), m = scale_tril.shape();
  if (!m.is_known() || m.rows != m.cols) {
    throw ed::invalid_argument(
        "MultivariateNormalTriL: scale_tril must be a square matrix of known "
        "size, got shape " +
        to_string(m));
  }
  if (l.cols != Dynamic && l.cols != m.rows) {
    throw ed::invalid_argument("MultivariateNormalTriL: loc " + to_string(l) + " and scale_tril " +
                               to_string(m) + " do not match (loc needs " + std::to_string(m.rows) +
                               " columns)");
  }
}

}  // namespace

Dirichlet::Dirichlet(const Tensor& concentration, const Tensor& value)
    : RandomVariable(detail::make_family(dirichlet(), {concentration}), value) {}
MultivariateNormalDiag::MultivariateNormalDiag(const Tensor& loc, const Tensor& scale_diag,
                                               const Tensor& value)
    : RandomVariable(detail::make_family(mvn_diag(), {loc, scale_diag}), value) {}
MultivariateNormalTriL::MultivariateNormalTriL(const Tensor& loc, const Tensor& scale_tril,
                                               const Tensor& value)
    : RandomVariable(
          (check_tril_shapes(loc, scale_tril), detail::make_family(mvn_tril(), {loc, scale_tril})),
          value) {}

}  // namespace ed
