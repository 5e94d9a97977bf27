// stansummary's table of a Monte Carlo fit: criticism of the draws, apart from the samplers.
#pragma once

#include <string>
#include <vector>

namespace ed {

class MonteCarlo;

/// CmdStan's stansummary: one row per scalar of every latent (on its own scale) with mean,
/// sd, 5%, 50% and 95% quantiles, MCSE of the mean, bulk and tail ESS and R̂, computed over
/// the kept draws of all chains. Rows are named `names[i]` (default "z<i>") with the
/// element's index: "mu", "theta[3]", "W[1, 2]". The fit's ed::deterministic quantities
/// follow, under their own names.
/// @throws ed::invalid_argument before any kept draw.
std::string summary(const MonteCarlo& fit, const std::vector<std::string>& names = {});

}  // namespace ed
