// R̂, bulk and tail ESS and MCSE, step for step as the R package posterior defines them.
#include "edpp/inference/mcmc/diagnostics.hpp"

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <vector>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// posterior's should_return_NA: a non-finite draw, or all draws equal.
bool degenerate(const Matrix& x) {
  if (!x.allFinite() || x.size() == 0) return true;
  return (x.array() == x(0, 0)).all();
}

// Each chain cut in two halves; with an odd count the middle iteration is dropped.
Matrix split_chains(const Matrix& x) {
  const Index n = x.rows(), half = n / 2;
  if (n < 2) return x;
  Matrix out(half, 2 * x.cols());
  for (Index c = 0; c < x.cols(); ++c) {
    out.col(2 * c) = x.col(c).head(half);
    out.col(2 * c + 1) = x.col(c).tail(half);
  }
  return out;
}

// Ranks over all draws (ties get their average rank), mapped to normal scores by Blom's
// offsets: Φ⁻¹((r − 3/8) / (S + 1/4)).
Matrix z_scale(const Matrix& x) {
  const Index s = x.size();
  std::vector<Index> order(static_cast<std::size_t>(s));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](Index a, Index b) { return x.data()[a] < x.data()[b]; });
  Matrix z(x.rows(), x.cols());
  const boost::math::normal_distribution<> normal;
  for (Index i = 0; i < s;) {
    Index j = i;
    while (j + 1 < s && x.data()[order[j + 1]] == x.data()[order[i]]) ++j;
    const double rank = 0.5 * static_cast<double>(i + j) + 1.0;  // 1-based average
    const double p = (rank - 0.375) / (static_cast<double>(s) + 0.25);
    const double score = quantile(normal, p);
    for (Index k = i; k <= j; ++k) z.data()[order[k]] = score;
    i = j + 1;
  }
  return z;
}

double variance(const Eigen::Ref<const Eigen::VectorXd>& v) {
  const double m = v.mean();
  return (v.array() - m).square().sum() / static_cast<double>(v.size() - 1);
}

// R's quantile(type = 7) of every draw.
double quantile7(const Matrix& x, double p) {
  std::vector<double> v(x.data(), x.data() + x.size());
  std::sort(v.begin(), v.end());
  const double h = (static_cast<double>(v.size()) - 1.0) * p;
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

// The smallest integer ≥ n whose only prime factors are 2, 3 and 5 (R's nextn).
Index next_fast_size(Index n) {
  for (Index m = std::max<Index>(n, 1);; ++m) {
    Index r = m;
    for (Index f : {2, 3, 5}) {
      while (r % f == 0) r /= f;
    }
    if (r == 1) return m;
  }
}

double basic_rhat(const Matrix& x) {
  if (degenerate(x)) return kNaN;
  const Index n = x.rows(), chains = x.cols();
  Eigen::VectorXd means(chains), variances(chains);
  for (Index c = 0; c < chains; ++c) {
    means(c) = x.col(c).mean();
    variances(c) = variance(x.col(c));
  }
  const double between = static_cast<double>(n) * variance(means);
  const double within = variances.mean();
  return std::sqrt((between / within + static_cast<double>(n) - 1.0) / static_cast<double>(n));
}

// posterior's .ess on (already split) chains. Autocovariances are computed lag by lag, only as
// far as Geyer's sequence reads them, with posterior's FFT normalisation: the biased estimate
// Σ y_t y_{t+k} / N scaled by M/N, M = nextn(N).
double basic_ess(const Matrix& x) {
  const Index n = x.rows(), chains = x.cols();
  if (n < 3 || degenerate(x)) return kNaN;
  const double scale =
      static_cast<double>(next_fast_size(n)) / (static_cast<double>(n) * static_cast<double>(n));
  Matrix centred(n, chains);
  Eigen::VectorXd chain_mean(chains);
  for (Index c = 0; c < chains; ++c) {
    chain_mean(c) = x.col(c).mean();
    centred.col(c) = x.col(c).array() - chain_mean(c);
  }
  // The mean over chains of the autocovariance at `lag`.
  auto acov = [&](Index lag) {
    double total = 0.0;
    for (Index c = 0; c < chains; ++c) {
      total += centred.col(c).head(n - lag).dot(centred.col(c).tail(n - lag));
    }
    return scale * total / static_cast<double>(chains);
  };
  const double nd = static_cast<double>(n);
  const double mean_var = acov(0) * nd / (nd - 1.0);
  double var_plus = mean_var * (nd - 1.0) / nd;
  if (chains > 1) var_plus += variance(chain_mean);
  std::vector<double> rho(static_cast<std::size_t>(n), 0.0);
  // Geyer's initial positive sequence.
  Index t = 0;
  double rho_even = 1.0;
  rho[0] = rho_even;
  double rho_odd = 1.0 - (mean_var - acov(1)) / var_plus;
  rho[1] = rho_odd;
  while (t < n - 5 && !std::isnan(rho_even + rho_odd) && rho_even + rho_odd > 0.0) {
    t += 2;
    rho_even = 1.0 - (mean_var - acov(t)) / var_plus;
    rho_odd = 1.0 - (mean_var - acov(t + 1)) / var_plus;
    if (rho_even + rho_odd >= 0.0) {
      rho[t] = rho_even;
      rho[t + 1] = rho_odd;
    }
  }
  const Index max_t = t;
  if (rho_even > 0.0) rho[max_t] = rho_even;  // used in the improved estimate
  // Geyer's initial monotone sequence.
  t = 0;
  while (t <= max_t - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = 0.5 * (rho[t - 2] + rho[t - 1]);
      rho[t + 1] = rho[t];
    }
  }
  const double draws = static_cast<double>(chains) * nd;
  double tau = -1.0 + rho[max_t];
  for (Index k = 0; k < max_t; ++k) tau += 2.0 * rho[k];
  // The improved estimate reduces variance in the antithetic case.
  tau = std::max(tau, 1.0 / std::log10(draws));
  return draws / tau;
}

double ess_quantile(const Matrix& x, double p) {
  if (degenerate(x)) return kNaN;
  const double q = quantile7(x, p);
  const Matrix indicator = (x.array() <= q).cast<double>().matrix();
  return basic_ess(split_chains(indicator));
}

}  // namespace

double rhat(const Matrix& draws) {
  if (degenerate(draws)) return kNaN;
  const double bulk = basic_rhat(z_scale(split_chains(draws)));
  // Folded about the median of all draws (the middle iteration of an odd count included).
  const double median = quantile7(draws, 0.5);
  const Matrix folded = (draws.array() - median).abs().matrix();
  const double tail = basic_rhat(z_scale(split_chains(folded)));
  return std::max(bulk, tail);
}

double ess_bulk(const Matrix& draws) {
  if (degenerate(draws)) return kNaN;
  return basic_ess(z_scale(split_chains(draws)));
}

double ess_tail(const Matrix& draws) {
  const double low = ess_quantile(draws, 0.05), high = ess_quantile(draws, 0.95);
  if (std::isnan(low) || std::isnan(high)) return kNaN;
  return std::min(low, high);
}

double quantile(const Matrix& draws, double p) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw ed::invalid_argument("quantile: p must be in [0, 1], got " + std::to_string(p));
  }
  if (draws.size() == 0) return kNaN;
  return quantile7(draws, p);
}

double mcse_quantile(const Matrix& draws, double p) {
  if (!(p > 0.0 && p < 1.0)) {
    throw ed::invalid_argument("mcse_quantile: p must be in (0, 1), got " + std::to_string(p));
  }
  if (degenerate(draws)) return kNaN;
  // posterior's mcse_quantile: the ESS of the indicator x ≤ q_p gives a Beta(ess·p + 1,
  // ess·(1 − p) + 1) for the probability at q_p; the draws at that Beta's ±1 sd quantiles
  // (15.9% and 84.1%) bracket the quantile, and half their distance is its standard error.
  const double q = quantile7(draws, p);
  const Matrix indicator = (draws.array() <= q).cast<double>().matrix();
  const double ess = ess_mean(indicator);
  if (std::isnan(ess)) return kNaN;
  const double a = ess * p + 1.0, b = ess * (1.0 - p) + 1.0;
  const double lo = boost::math::ibeta_inv(a, b, 0.1586553),
               hi = boost::math::ibeta_inv(a, b, 0.8413447);
  std::vector<double> sorted(draws.data(), draws.data() + draws.size());
  std::sort(sorted.begin(), sorted.end());
  const auto s = static_cast<double>(sorted.size());
  const auto first = static_cast<std::size_t>(std::max(std::floor(lo * s), 1.0)) - 1;
  const auto last = static_cast<std::size_t>(std::min(std::ceil(hi * s), s)) - 1;
  return 0.5 * (sorted[last] - sorted[first]);
}

double ess_mean(const Matrix& draws) { return basic_ess(split_chains(draws)); }

double mcse_mean(const Matrix& draws) {
  if (degenerate(draws)) return kNaN;
  const Eigen::Map<const Eigen::VectorXd> all(draws.data(), draws.size());
  return std::sqrt(variance(all) / ess_mean(draws));
}

}  // namespace ed
