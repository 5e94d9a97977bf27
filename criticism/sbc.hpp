// Simulation-based calibration (Talts, Betancourt, Simpson, Vehtari and Gelman 2018).
#pragma once

#include "edpp/core/fwd.hpp"  // Eigen, with GCC 12's AVX-512 warnings silenced

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of ed::sbc.
struct SBCOptions {
  int replications = 1000;  ///< prior draws, each with its simulated data set and fit
  int draws_per_rank = 99;  ///< L: posterior draws the rank is taken among (evenly thinned)
  int bins = 20;            ///< histogram bins of the χ² test; must divide L + 1
  std::uint64_t seed = 1;   ///< the prior and data draws and every fit's seed follow from it
  /// Called after each replication with its index (progress, or an early look at the ranks).
  std::function<void(int)> on_replication = {};
};

/// What ed::sbc found: a rank per replication and scalar, and the χ² test of uniformity.
struct SBCResult {
  std::vector<std::string> names;  ///< one per scalar: "mu", "z[2]" (0-based, column-major)
  Eigen::MatrixXi ranks;           ///< replications × scalars, each in 0..draws_per_rank
  int draws_per_rank = 0;
  int bins = 0;
  std::vector<double> chi_squared;  ///< per scalar, over `bins` equal bins of the ranks
  std::vector<double> p_value;      ///< per scalar: P(χ²_{bins−1} ≥ chi_squared)
  /// The counts of `scalar`'s ranks in each bin.
  Eigen::VectorXi histogram(int scalar) const;
};

/// Fits one simulated data set: given the data bindings (each observed variable bound to its
/// simulated values) and a seed, runs an inference and returns it, its draws finished.
using SBCFit = std::function<std::unique_ptr<MonteCarlo>(const Data& data, std::uint64_t seed)>;

/// Simulation-based calibration: for each replication, draws the latents from the prior and the
/// observed variables given them (one joint draw of the model), fits the simulated data with
/// `fit`, and records for every scalar of every latent its rank among `draws_per_rank` evenly
/// thinned posterior draws (how many are below the true value). A sampler that draws from the
/// right posterior gives uniform ranks on 0..L; a posterior too narrow gives a U, too wide a
/// hump, biased a slope. Thinning keeps the draws nearly independent: give `fit` at least ten
/// times L draws when the sampler is autocorrelated. Names are `names[i]` (default "z<i>").
/// @throws ed::invalid_argument for options out of range (replications < 1, L < 1, bins that do
/// not divide L + 1), latents or observed variables that are empty, or a fit with fewer draws
/// than L.
SBCResult sbc(const std::vector<RandomVariable>& latents,
              const std::vector<RandomVariable>& observed, const SBCFit& fit,
              SBCOptions options = {}, const std::vector<std::string>& names = {});

}  // namespace ed
