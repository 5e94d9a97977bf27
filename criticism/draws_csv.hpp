// Draws written as CmdStan writes them, one CSV per chain, for R's posterior/bayesplot and ArviZ.
#pragma once

#include <string>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

class MonteCarlo;

/// Writes the kept draws of every chain of `fit` as CmdStan's output CSV: `path` "fit.csv"
/// becomes "fit_1.csv", "fit_2.csv", … (one per chain, as CmdStan's `output_1.csv`). Each file
/// has CmdStan's comment lines ("# key = value" settings, "# id = k", then the adaptation:
/// step size and inverse metric), a header of the per-draw sampler diagnostics
/// (`lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__` for NUTS)
/// followed by every scalar of every latent on its own scale, named as Stan names them —
/// `mu`, `z.1`, …, `W.1.2` (1-based, column-major) — from `names[i]` (default "z<i>"), then
/// the ed::deterministic quantities (Stan's generated quantities) under their names, and one
/// row per kept draw at 17 significant digits. Each file is written to a temporary and renamed.
/// @returns the paths written.
/// @throws ed::invalid_argument before any draw, for a name list longer than the latents,
/// or when a file cannot be written.
std::vector<std::string> write_draws_csv(const std::string& path, const MonteCarlo& fit,
                                         const std::vector<std::string>& names = {});

}  // namespace ed
