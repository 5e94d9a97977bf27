// Posterior predictive checks (Edward's ed.ppc) and their plots.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "edpp/core/copy.hpp"
#include "edpp/core/feed.hpp"
#include "edpp/inference/inference.hpp"

namespace ed {

/// A test statistic of a data set: a 1 × 1 tensor computed from `x` (mean(x), max(x), …).
using Statistic = std::function<Tensor(const Tensor& x)>;
/// A discrepancy: a statistic that also reads the latent variables' values `z` (in the order of
/// ppc's latent_vars), e.g. Σ (x − μ)² for a location μ.
using Discrepancy = std::function<Tensor(const Tensor& x, const std::vector<Tensor>& z)>;

/// Settings of ed::ppc.
struct PpcOptions {
  int n_samples = 100;                               ///< replicated data sets
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  Feed feed = {};  ///< values of placeholders the predictive depends on
};

/// The statistic on each replicated data set and on the observed data.
struct PpcResult {
  Eigen::VectorXd replicated;  ///< T(x_rep, z_s), s = 1..n_samples
  Eigen::VectorXd observed;    ///< T(x_obs, z_s): constant unless T reads the latents
  double p_value = 0;          ///< the posterior predictive p-value, mean of T_rep ≥ T_obs
};

/// Edward's ed.ppc: draws `n_samples` replicated data sets from the predictive in `data` (its
/// one random variable, e.g. `ed::copy(x, {{z, qz}})`, bound to the observed data) and
/// computes T on each and on the observed data. With `latent_vars` ({z, qz} pairs) a
/// discrepancy reads each draw's latent values qz, the same draw the replicate came from.
///
///   const auto x_post = ed::copy(x, {{mu, qmu}});
///   const auto check = ed::ppc([](const ed::Tensor& x) { return ed::mean(x); },
///                              {{x_post, x_train}});
///
/// @throws ed::invalid_argument when data is not one binding, n_samples < 1, or T is not 1 × 1.
PpcResult ppc(const Statistic& T, const Data& data, const PpcOptions& options = {});
PpcResult ppc(const Discrepancy& T, const Data& data, const Swap& latent_vars,
              const PpcOptions& options = {});
/// As Edward's signature: ppc(T, data, latent_vars, n_samples).
PpcResult ppc(const Discrepancy& T, const Data& data, const Swap& latent_vars, int n_samples);

/// The same check on replicated data sets already drawn (ed::replicate): `T`, a function of a
/// data set, on each replicate and on the observed data, and the p-value.
/// @throws ed::invalid_argument when there are no replicates.
PpcResult ppc_of_replicates(const std::function<double(const Matrix&)>& T, const Matrix& observed,
                            const std::vector<Matrix>& replicates);

/// Edward's ppc_stat_hist_plot: a histogram of T over the replicated data sets with a line at
/// its observed value (the mean of `observed` when it varies), written as a PNG by gnuplot.
/// @throws ed::invalid_argument when gnuplot is missing or fails, naming the file.
void ppc_stat_hist_plot(const PpcResult& check, const std::string& png_path,
                        const std::string& statistic_name = "T");

/// Edward's ppc_density_plot: kernel density estimates (Gaussian kernel, Silverman's bandwidth)
/// of the observed data and of each replicated data set (rows of `replicated`, each a whole
/// data set flattened), written as a PNG by gnuplot.
/// @throws ed::invalid_argument for empty inputs, or when gnuplot is missing or fails.
void ppc_density_plot(const Matrix& observed, const std::vector<Matrix>& replicated,
                      const std::string& png_path);

/// Runs a model forward (the prior predictive): one draw of `x` with the random variables in
/// `fixed` set to the given values through ed::copy, and every other one drawn from its
/// distribution given its parents. `simulate(y, {{w, w_true}, {sigma, 0.5}}, seed, {{X, X}})`
/// is a data set from the model with known parameters.
/// @throws ed::invalid_argument when a fixed value's shape does not fit its random variable.
Matrix simulate(const RandomVariable& x,
                const std::vector<std::pair<RandomVariable, Matrix>>& fixed = {},
                std::optional<std::uint64_t> seed = std::nullopt, const Feed& feed = {});

class MonteCarlo;

/// `n` replicated data sets from stored posterior draws: `x` drawn with every latent at its
/// draw s (rows of `draws`, flattened column-major as MonteCarlo::draws), for n draws s spread
/// evenly over the rows. The latents keep their joint draws, so correlations between them
/// are kept (an Empirical per latent would pick rows independently).
/// @throws ed::invalid_argument for n < 1, draws that do not fit their latents or differ in
/// number.
std::vector<Matrix> replicate(const RandomVariable& x,
                              std::vector<std::pair<RandomVariable, Matrix>> draws, int n,
                              std::optional<std::uint64_t> seed = std::nullopt,
                              const Feed& feed = {});
/// The same from a Monte Carlo fit's draws of all its latents.
std::vector<Matrix> replicate(const MonteCarlo& inference, const RandomVariable& x, int n,
                              std::optional<std::uint64_t> seed = std::nullopt,
                              const Feed& feed = {});

/// `n` replicated data sets drawn from the predictive `x_post` (for ppc_density_plot).
std::vector<Matrix> replicate(const RandomVariable& x_post, int n,
                              std::optional<std::uint64_t> seed = std::nullopt,
                              const Feed& feed = {});

}  // namespace ed
