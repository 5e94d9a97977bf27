// Bayesian model comparison from pointwise log-likelihoods: Pareto-smoothed importance sampling
// leave-one-out cross-validation (PSIS-LOO) and WAIC, computed as the R package loo computes
// them (Vehtari, Gelman and Gabry 2017; Vehtari, Simpson, Gelman, Yao and Gabry 2024).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <cstdint>
#include <optional>

#include "edpp/core/copy.hpp"
#include "edpp/core/feed.hpp"
#include "edpp/core/fwd.hpp"

namespace ed {

/// Pareto-smoothed importance weights, one column per set of log ratios.
struct PsisResult {
  Matrix log_weights;  ///< draws × columns, smoothed, truncated, normalised (each column's
                       ///< weights sum to 1)
  Matrix pareto_k;     ///< columns × 1: the shape k̂ of the generalised Pareto fitted to the tail
                       ///< (+inf when the tail is too short to fit)
};

/// PSIS of each column of `log_ratios` (draws × columns): the largest min(0.2 S, 3 √S) ratios
/// are replaced by quantiles of a generalised Pareto fitted to them (Zhang and Stephens' method
/// with its weakly informative prior on k), the weights are truncated at the largest raw weight
/// and normalised. Relative efficiency 1, as loo's matrix method without r_eff.
/// @throws ed::invalid_argument for an empty matrix, fewer than 2 draws, or a non-finite ratio
/// (naming its draw and column).
PsisResult psis(const Matrix& log_ratios);

/// PSIS-LOO estimates, as loo::loo(log_lik_matrix).
struct LooResult {
  double elpd_loo = 0;     ///< Σᵢ log p(yᵢ | y₋ᵢ), estimated
  double se_elpd_loo = 0;  ///< its standard error, √(N · var of the pointwise values)
  double p_loo = 0;        ///< effective number of parameters: lpd − elpd_loo
  double se_p_loo = 0;
  double looic = 0;  ///< −2 elpd_loo
  double se_looic = 0;
  Matrix pareto_k;             ///< observations × 1
  Matrix pointwise_elpd;       ///< observations × 1: log p(yᵢ | y₋ᵢ)
  Matrix pointwise_p;          ///< observations × 1: each observation's share of p_loo
  long num_high_pareto_k = 0;  ///< observations with k̂ > 0.7, whose estimate is unreliable
};

/// PSIS-LOO from the pointwise log-likelihoods `log_lik` (draws × observations, the draws from
/// the posterior given all the data). Observations with Pareto k̂ above 0.7 are counted and
/// reported on stderr, as loo warns.
/// @throws ed::invalid_argument as psis(), naming loo.
LooResult loo(const Matrix& log_lik);

/// WAIC estimates, as loo::waic(log_lik_matrix).
struct WaicResult {
  double elpd_waic = 0;  ///< lpd − p_waic
  double se_elpd_waic = 0;
  double p_waic = 0;  ///< Σᵢ var_s log p(yᵢ | θ_s)
  double se_p_waic = 0;
  double waic = 0;  ///< −2 elpd_waic
  double se_waic = 0;
  Matrix pointwise_elpd;  ///< observations × 1
};

/// WAIC from `log_lik` (draws × observations).
/// @throws ed::invalid_argument for an empty matrix, fewer than 2 draws or a non-finite value.
WaicResult waic(const Matrix& log_lik);

class MonteCarlo;
class RandomVariable;

/// The pointwise log-likelihood matrix loo and waic take, from Monte Carlo draws: row s is
/// draw s (chain after chain, as MonteCarlo::draws), column i observation i of `y`'s data
/// (flattened column-major; one per row for a multivariate family), each log p(y_i | z_s) with
/// every latent at its draw s.
/// @throws ed::invalid_argument when `y_obs` does not fit `y`, or there are no draws.
Matrix log_likelihood_matrix(const MonteCarlo& inference, const RandomVariable& y,
                             const Matrix& y_obs, const Feed& feed = {});

/// The same from a variational fit: `n_draws` rows, each with the latents drawn anew from the
/// approximations in `posterior` ({{z, qz}, …}).
Matrix log_likelihood_matrix(const RandomVariable& y, const Matrix& y_obs, const Swap& posterior,
                             int n_draws, std::optional<std::uint64_t> seed = std::nullopt,
                             const Feed& feed = {});

/// One row of loo_compare's table.
struct LooComparison {
  std::string name;
  double elpd_diff = 0;  ///< elpd_loo of this model minus the best model's (0 for the best)
  double se_diff = 0;    ///< √(N · var of the pointwise differences); 0 for the best
  double elpd_loo = 0;
  double se_elpd_loo = 0;
};

/// Ranks models by elpd_loo, best first, with each one's difference from the best and the
/// standard error of that difference, as loo::loo_compare.
/// @throws ed::invalid_argument for fewer than two models or models fitted to different
/// numbers of observations.
std::vector<LooComparison> loo_compare(
    const std::vector<std::pair<std::string, LooResult>>& models);

/// loo_compare's table as text: one line per model, elpd_diff, se_diff, elpd_loo, se_elpd_loo.
std::string to_string(const std::vector<LooComparison>& comparison);

}  // namespace ed
