// Long runs against exact answers: the criterion every model of tests/longrun uses.
#pragma once

#include <string>

#include <edpp/edpp.hpp>

namespace ed::test {

/// The exact posterior summaries of one scalar. A NaN field is not checked.
struct Exact {
  double mean;
  double variance;
  double q05;
  double q95;
};

/// Checks draws (iterations × chains) of one scalar against its exact posterior, each within
/// `z` Monte Carlo standard errors: the mean (mcse_mean), the variance (the MCSE of the mean of
/// the squared deviations from the exact mean) and the 5% and 95% quantiles (mcse_quantile).
/// With a dozen scalars per model and z = 4, a correct sampler fails one check in ~10⁴ runs;
/// a bias of half a posterior sd in 40,000 draws is ~20 MCSE. Returns true when all pass.
bool check_exact(const std::string& label, const Matrix& draws, const Exact& exact, double z = 4.0);

}  // namespace ed::test
