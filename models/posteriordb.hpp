// posteriordb's data files and the models of ../shared/posteriordb written with edpp.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "edpp/distributions/random_variable.hpp"
#include "edpp/inference/inference.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed::models {

/// A posteriordb data file: each field as a matrix (a scalar 1×1, a vector N×1, a matrix of
/// rows as rows). Fields that are not numbers or arrays of numbers are refused.
using JsonData = std::map<std::string, Matrix>;

/// Reads a posteriordb `data.json`.
/// @throws ed::invalid_argument naming the file (and the line and column of a syntax error, the
/// line of arrays or objects nested more than 64 deep, or the field of a value that is not
/// numeric or a ragged matrix), a number beyond double's range, a file larger than 1 GiB.
JsonData read_json_data(const std::string& path);

/// One row of a posteriordb `reference.csv` (param,mean,sd,q05,q50,q95,mcse_mean): a
/// parameter's reference summary.
struct ReferenceSummary {
  std::string param;
  double mean, sd, q05, q50, q95, mcse_mean;
};

/// Reads a posteriordb `reference.csv`, one row per parameter in the reference's order.
/// @throws ed::invalid_argument naming the file, and the line of a row without seven fields or
/// with a field that is not a number.
std::vector<ReferenceSummary> read_reference(const std::string& path);

/// A posterior ready for an MCMC algorithm: its latents, their data binding, and how to read
/// the reference's scalar parameters (posteriordb's names, "beta[1]", "tau") from the draws.
struct Posterior {
  std::vector<RandomVariable> latents;
  Data data;
  /// The reference's parameters in order, each as iterations × chains draws.
  std::vector<std::string> names;
  std::function<std::vector<Matrix>(const MonteCarlo&)> parameters;
};

/// The ten posteriors of ../shared/posteriordb, from the mathematics of their model.md:
/// eight_schools-eight_schools_noncentered, arK-arK (an autoregression on a lag matrix),
/// arma-arma11 (the error recursion as one triangular solve), low_dim_gauss_mix (a two-normal
/// mixture with ordered means) and the linear regressions sblri-blr, kidiq-kidscore_momiq,
/// kidiq_with_mom_work-kidscore_mom_work, earnings-logearn_interaction_z,
/// mesquite-logmesquite_logvolume and nes1996-nes.
/// @throws ed::invalid_argument for another name or a data field that is missing.
Posterior posteriordb_model(const std::string& name, const JsonData& data);

/// The names posteriordb_model knows: the 24 of ../shared/posteriordb, then the 7 of
/// data/posteriordb.
std::vector<std::string> posteriordb_models();

namespace detail {
/// The data's field `name`. @throws ed::invalid_argument naming it when it is missing.
const Matrix& field(const JsonData& data, const std::string& name);

/// The posteriors on HMMs, GPs and ODEs (data/posteriordb/, models/posteriordb_dynamics.cpp):
/// hmm_example, the two basketball drive HMMs, gp_regr, gp_pois_regr, lotka_volterra and the
/// stiff one_comp_mm_elim_abs; nothing for another name. Their priors on ordered or truncated
/// parameters enter through ed::factor, so a process fits one of them at a time.
std::optional<Posterior> dynamics_model(const std::string& name, const JsonData& data);
std::vector<std::string> dynamics_models();
}  // namespace detail

}  // namespace ed::models
