// MCMC convergence diagnostics with the current definitions (Vehtari, Gelman, Simpson, Carpenter
// and Bürkner 2021), computed as the R package posterior computes them.
#pragma once

#include "edpp/core/fwd.hpp"

namespace ed {

/// Rank-normalised split R̂: the larger of the bulk R̂ (on the rank-normalised split chains)
/// and the tail R̂ (on the rank-normalised folded draws |x − median|).
/// @param draws  iterations × chains. Returns NaN when a draw is not finite or all are equal.
double rhat(const Matrix& draws);

/// Bulk effective sample size: the ESS of the rank-normalised split chains (Geyer's initial
/// monotone sequence on autocorrelations averaged over chains).
double ess_bulk(const Matrix& draws);

/// Tail effective sample size: the smaller ESS of the indicators x ≤ q₅% and x ≤ q₉₅%.
double ess_tail(const Matrix& draws);

/// Monte Carlo standard error of the mean: sd / √ESS of the (not rank-normalised) split chains.
double mcse_mean(const Matrix& draws);

/// The p-quantile of all draws, interpolated as R's default (type 7).
/// @throws ed::invalid_argument for p outside [0, 1]
double quantile(const Matrix& draws, double p);

/// Monte Carlo standard error of the p-quantile, as posterior's mcse_quantile (from the ESS of
/// the indicator x ≤ q_p). @throws ed::invalid_argument for p outside (0, 1)
double mcse_quantile(const Matrix& draws, double p);

/// The ESS of the split chains as they are (posterior's ess_mean), on which mcse_mean rests.
double ess_mean(const Matrix& draws);

}  // namespace ed
