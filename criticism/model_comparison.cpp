// PSIS-LOO, WAIC and loo_compare, step for step as the R package loo 2.5.
#include "edpp/criticism/model_comparison.hpp"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/messages.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/seed.hpp"
#include "edpp/core/session.hpp"
#include "edpp/inference/draw_feed.hpp"

namespace ed {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kHighParetoK = 0.7;

void check_matrix(const Matrix& m, const char* who) {
  if (m.rows() < 2 || m.cols() < 1) {
    throw ed::invalid_argument(std::string(who) +
                               ": needs a draws × observations matrix with at least 2 draws, got " +
                               std::to_string(m.rows()) + " × " + std::to_string(m.cols()));
  }
  for (Index j = 0; j < m.cols(); ++j) {
    for (Index i = 0; i < m.rows(); ++i) {
      if (!std::isfinite(m(i, j))) {
        std::ostringstream v;
        v << m(i, j);
        throw ed::invalid_argument(std::string(who) + ": the log-likelihood of draw " +
                                   std::to_string(i) + ", observation " + std::to_string(j) +
                                   " is " + v.str() + ", but must be finite");
      }
    }
  }
}

double log_sum_exp(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const double m = x.maxCoeff();
  if (m == -kInf) return -kInf;
  return m + std::log((x.array() - m).exp().sum());
}

double log_mean_exp(const Eigen::Ref<const Eigen::VectorXd>& x) {
  return log_sum_exp(x) - std::log(static_cast<double>(x.size()));
}

// The sample variance (denominator n − 1). The mean is a sum of x/n and the deviations are
// halved before squaring, so values near ±1.8e308 overflow only when the variance itself does.
double variance(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const double n = static_cast<double>(x.size());
  const double mean = (x.array() / n).sum();
  return 4.0 * (0.5 * x.array() - 0.5 * mean).square().sum() / (n - 1.0);
}

// A result beyond double's range is an error naming it, never a silent ±inf: log-likelihoods
// near ±1e308 can make a variance or a sum that no double holds.
void require_representable(double value, const char* who, const std::string& what) {
  if (std::isfinite(value)) return;
  throw ed::numerical_error(std::string(who) + ": " + what +
                            " is beyond double's range (log-likelihoods of magnitude near "
                            "1e308?); the criterion cannot be formed at this scale");
}

void require_pointwise(const Matrix& pointwise, const char* who, const char* quantity) {
  for (Index i = 0; i < pointwise.rows(); ++i) {
    require_representable(pointwise(i, 0), who,
                          std::string(quantity) + " of observation " + std::to_string(i));
  }
}

// √(N · var(pointwise)): the standard error of a sum of N pointwise estimates.
double se_of_sum(const Eigen::Ref<const Eigen::VectorXd>& pointwise) {
  if (pointwise.size() < 2) return 0.0;
  return std::sqrt(static_cast<double>(pointwise.size()) * variance(pointwise));
}

struct ParetoFit {
  double k, sigma;
};

// Zhang and Stephens (2009), section 4, with loo's prior of 3 and its weakly informative
// adjustment of k towards 0.5 (Vehtari et al.): a profile-likelihood-weighted average over a
// grid of θ = −k/σ. `x` is sorted ascending and positive.
ParetoFit fit_generalized_pareto(const Eigen::VectorXd& x) {
  const Index n = x.size();
  const double prior = 3.0;
  const Index grid = 30 + static_cast<Index>(std::floor(std::sqrt(static_cast<double>(n))));
  // The first quartile, at loo's 1-based position floor(n/4 + 0.5).
  const double x_star = x(static_cast<Index>(std::floor(static_cast<double>(n) / 4.0 + 0.5)) - 1);
  Eigen::VectorXd theta(grid), profile(grid);
  for (Index j = 0; j < grid; ++j) {
    theta(j) = 1.0 / x(n - 1) +
               (1.0 - std::sqrt(static_cast<double>(grid) / (static_cast<double>(j + 1) - 0.5))) /
                   prior / x_star;
    // The profile log-likelihood: n (log(−θ / k) − k − 1) with k = mean log(1 − θ x).
    const double k = (-theta(j) * x.array()).log1p().mean();
    profile(j) = static_cast<double>(n) * (std::log(-theta(j) / k) - k - 1.0);
  }
  const Eigen::VectorXd weights = (profile.array() - log_sum_exp(profile)).exp();
  const double theta_hat = theta.dot(weights);
  double k = (-theta_hat * x.array()).log1p().mean();
  const double sigma = -k / theta_hat;
  const double a = 10.0, n_plus_a = static_cast<double>(n) + a;
  k = k * static_cast<double>(n) / n_plus_a + a * 0.5 / n_plus_a;
  if (std::isnan(k)) k = kInf;
  return {k, sigma};
}

// The generalised Pareto's p-quantile: σ (( 1 − p)^(−k) − 1) / k.
double pareto_quantile(double p, double k, double sigma) {
  if (std::abs(k) < 1e-12) return -sigma * std::log1p(-p);
  return sigma * std::expm1(-k * std::log1p(-p)) / k;
}

// PSIS of one column, in place: log ratios in, unnormalised smoothed log weights out; returns k̂.
double smooth_column(Eigen::Ref<Eigen::VectorXd> lw) {
  const Index s = lw.size();
  const double shift = lw.maxCoeff();
  lw.array() -= shift;
  const Index tail = static_cast<Index>(
      std::ceil(std::min(0.2 * static_cast<double>(s), 3.0 * std::sqrt(static_cast<double>(s)))));
  double k = kInf;
  if (tail >= 5 && tail < s) {
    std::vector<Index> order(static_cast<std::size_t>(s));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return lw(a) < lw(b); });
    const Index first = s - tail;  // 0-based position of the tail's smallest value
    Eigen::VectorXd tail_values(tail);
    for (Index t = 0; t < tail; ++t)
      tail_values(t) = lw(order[static_cast<std::size_t>(first + t)]);
    if (std::abs(tail_values(tail - 1) - tail_values(0)) >=
        std::numeric_limits<double>::epsilon() / 100.0) {
      const double cutoff = lw(order[static_cast<std::size_t>(first - 1)]);
      const double exp_cutoff = std::exp(cutoff);
      const Eigen::VectorXd excess = tail_values.array().exp() - exp_cutoff;
      const ParetoFit fit = fit_generalized_pareto(excess);
      k = fit.k;
      if (std::isfinite(k)) {
        for (Index t = 0; t < tail; ++t) {
          const double p = (static_cast<double>(t + 1) - 0.5) / static_cast<double>(tail);
          lw(order[static_cast<std::size_t>(first + t)]) =
              std::log(pareto_quantile(p, fit.k, fit.sigma) + exp_cutoff);
        }
      }
    }
  }
  // Truncate at the largest raw weight (0 after the shift), then shift back.
  lw = lw.cwiseMin(0.0);
  lw.array() += shift;
  return k;
}

// PSIS of every column of a matrix its caller has checked.
PsisResult smooth(const Matrix& log_ratios) {
  PsisResult out{log_ratios, Matrix(log_ratios.cols(), 1)};
  for (Index j = 0; j < log_ratios.cols(); ++j) {
    out.pareto_k(j, 0) = smooth_column(out.log_weights.col(j));
    out.log_weights.col(j).array() -= log_sum_exp(out.log_weights.col(j));
  }
  return out;
}

}  // namespace

PsisResult psis(const Matrix& log_ratios) {
  check_matrix(log_ratios, "psis");
  return smooth(log_ratios);
}

LooResult loo(const Matrix& log_lik) {
  check_matrix(log_lik, "loo");
  const PsisResult weights = smooth(-log_lik);
  const Index n = log_lik.cols();
  LooResult out;
  out.pareto_k = weights.pareto_k;
  out.pointwise_elpd.resize(n, 1);
  out.pointwise_p.resize(n, 1);
  for (Index i = 0; i < n; ++i) {
    // log p(yᵢ | y₋ᵢ) ≈ log Σ_s w̃_s p(yᵢ | θ_s) with normalised weights w̃.
    out.pointwise_elpd(i, 0) = log_sum_exp(log_lik.col(i) + weights.log_weights.col(i));
    out.pointwise_p(i, 0) = log_mean_exp(log_lik.col(i)) - out.pointwise_elpd(i, 0);
    if (out.pareto_k(i, 0) > kHighParetoK) ++out.num_high_pareto_k;
  }
  require_pointwise(out.pointwise_elpd, "loo", "the elpd");
  require_pointwise(out.pointwise_p, "loo", "p_loo");
  out.elpd_loo = out.pointwise_elpd.sum();
  require_representable(out.elpd_loo, "loo", "elpd_loo, the sum over observations,");
  out.se_elpd_loo = se_of_sum(out.pointwise_elpd.col(0));
  out.p_loo = out.pointwise_p.sum();
  out.se_p_loo = se_of_sum(out.pointwise_p.col(0));
  out.looic = -2.0 * out.elpd_loo;
  out.se_looic = 2.0 * out.se_elpd_loo;
  if (out.num_high_pareto_k > 0) {
    detail::warn_format(
        "loo: %ld of %ld observations have a Pareto k above 0.7; their PSIS estimates "
        "are unreliable (refit without them, or use k-fold cross-validation)",
        out.num_high_pareto_k, static_cast<long>(n));
  }
  return out;
}

WaicResult waic(const Matrix& log_lik) {
  check_matrix(log_lik, "waic");
  const Index n = log_lik.cols();
  WaicResult out;
  out.pointwise_elpd.resize(n, 1);
  Eigen::VectorXd p(n);
  for (Index i = 0; i < n; ++i) {
    p(i) = variance(log_lik.col(i));
    out.pointwise_elpd(i, 0) = log_mean_exp(log_lik.col(i)) - p(i);
  }
  require_pointwise(Matrix(p), "waic", "p_waic (the variance of the log-likelihood)");
  require_pointwise(out.pointwise_elpd, "waic", "the elpd");
  out.elpd_waic = out.pointwise_elpd.sum();
  require_representable(out.elpd_waic, "waic", "elpd_waic, the sum over observations,");
  out.se_elpd_waic = se_of_sum(out.pointwise_elpd.col(0));
  out.p_waic = p.sum();
  out.se_p_waic = se_of_sum(p);
  out.waic = -2.0 * out.elpd_waic;
  out.se_waic = 2.0 * out.se_elpd_waic;
  return out;
}

namespace {
// log p(y_obs) per observation as one column-major row: elementwise families give n × m,
// multivariate ones n × 1.
Tensor pointwise(const RandomVariable& y, const Matrix& y_obs) {
  const Shape shape = y.value().shape();
  if (!shape.admits(y_obs.rows(), y_obs.cols())) {
    throw ed::invalid_argument("log_likelihood_matrix: the data has shape " +
                               to_string(shape_of(y_obs)) + " but " + y.describe() + " has " +
                               to_string(shape));
  }
  return y.log_prob(constant(y_obs));
}

void add_row(Matrix& out, Index row, const Matrix& values) {
  out.row(row) = Eigen::Map<const Eigen::RowVectorXd>(values.data(), values.size());
}
}  // namespace

Matrix log_likelihood_matrix(const MonteCarlo& inference, const RandomVariable& y,
                             const Matrix& y_obs, const Feed& feed) {
  detail::DrawFeed fed(detail::draws_of(inference), feed);
  if (fed.num_draws() == 0) {
    throw ed::invalid_argument("log_likelihood_matrix: the inference has no draws");
  }
  const Tensor lp = detail::copy_graph(pointwise(y, y_obs), fed.swap());
  Session session(0);
  const auto program = session.compile({lp});
  Matrix out;
  for (Index s = 0; s < fed.num_draws(); ++s) {
    const Matrix row = session.run(*program, fed.at(s))[0];
    if (s == 0) out.resize(fed.num_draws(), row.size());
    add_row(out, s, row);
  }
  return out;
}

Matrix log_likelihood_matrix(const RandomVariable& y, const Matrix& y_obs, const Swap& posterior,
                             int n_draws, std::optional<std::uint64_t> seed, const Feed& feed) {
  if (n_draws < 2) {
    throw ed::invalid_argument("log_likelihood_matrix: n_draws must be at least 2, got " +
                               std::to_string(n_draws));
  }
  const Tensor lp = detail::copy_graph(pointwise(y, y_obs), posterior);
  Session session(detail::seed_or_next(seed));
  const auto program = session.compile({lp});
  Matrix out;
  for (int s = 0; s < n_draws; ++s) {
    const Matrix row = session.run(*program, feed)[0];
    if (s == 0) out.resize(n_draws, row.size());
    add_row(out, s, row);
  }
  return out;
}

std::vector<LooComparison> loo_compare(
    const std::vector<std::pair<std::string, LooResult>>& models) {
  if (models.size() < 2) {
    throw ed::invalid_argument("loo_compare: needs at least two models, got " +
                               std::to_string(models.size()));
  }
  const Index n = models.front().second.pointwise_elpd.rows();
  for (const auto& [name, result] : models) {
    if (result.pointwise_elpd.rows() != n) {
      throw ed::invalid_argument("loo_compare: model '" + name + "' has " +
                                 std::to_string(result.pointwise_elpd.rows()) + " observations, '" +
                                 models.front().first + "' has " + std::to_string(n) +
                                 "; models must be fitted to the same data");
    }
  }
  std::vector<std::size_t> order(models.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return models[a].second.elpd_loo > models[b].second.elpd_loo;
  });
  const LooResult& best = models[order.front()].second;
  std::vector<LooComparison> out;
  for (std::size_t m : order) {
    const LooResult& r = models[m].second;
    const Eigen::VectorXd diff = r.pointwise_elpd.col(0) - best.pointwise_elpd.col(0);
    out.push_back({models[m].first, diff.sum(), m == order.front() ? 0.0 : se_of_sum(diff),
                   r.elpd_loo, r.se_elpd_loo});
  }
  return out;
}

std::string to_string(const std::vector<LooComparison>& comparison) {
  std::size_t width = 5;
  for (const LooComparison& c : comparison) width = std::max(width, c.name.size());
  std::ostringstream out;
  char line[256];
  std::snprintf(line, sizeof line, "%-*s %10s %9s %10s %12s\n", static_cast<int>(width), "model",
                "elpd_diff", "se_diff", "elpd_loo", "se_elpd_loo");
  out << line;
  for (const LooComparison& c : comparison) {
    std::snprintf(line, sizeof line, "%-*s %10.1f %9.1f %10.1f %12.1f\n", static_cast<int>(width),
                  c.name.c_str(), c.elpd_diff, c.se_diff, c.elpd_loo, c.se_elpd_loo);
    out << line;
  }
  return out.str();
}

}  // namespace ed
