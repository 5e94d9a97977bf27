// stansummary's table of a Monte Carlo fit.
#include "edpp/criticism/summary.hpp"

#include <cmath>
#include <cstdio>

#include "edpp/core/errors.hpp"
#include "edpp/inference/mcmc/diagnostics.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

std::string summary(const MonteCarlo& fit, const std::vector<std::string>& names) {
  if (fit.num_chains() == 0 || fit.sampler_params(0).rows() == 0) {
    throw ed::invalid_argument(fit.algorithm() +
                               ": summary() has no kept draws to summarise; call run() first "
                               "(with n_iter > 0)");
  }
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %10s %10s %10s %10s %10s %9s %8s %8s %7s\n", "", "mean",
                "sd", "5%", "50%", "95%", "mcse", "ess_bulk", "ess_tail", "rhat");
  out += line;
  // One row per scalar of a latent or a deterministic quantity, from its per-chain draws.
  auto add_rows = [&](const std::string& base, Shape shape, const std::vector<Matrix>& per_chain) {
    for (Index e = 0; e < shape.rows * shape.cols; ++e) {
      // This scalar's draws as iterations × chains.
      Matrix x(per_chain.front().rows(), fit.num_chains());
      for (int c = 0; c < fit.num_chains(); ++c)
        x.col(c) = per_chain[static_cast<std::size_t>(c)].col(e);
      std::string name = base;
      if (shape.rows * shape.cols > 1) {
        name += shape.cols == 1 || shape.rows == 1 ? "[" + std::to_string(e) + "]"
                                                   : "[" + std::to_string(e % shape.rows) + ", " +
                                                         std::to_string(e / shape.rows) + "]";
      }
      const double mean = x.mean();
      const double sd =
          std::sqrt((x.array() - mean).square().sum() / static_cast<double>(x.size() - 1));
      std::snprintf(line, sizeof line,
                    "%-16s %10.4g %10.4g %10.4g %10.4g %10.4g %9.3g %8.0f %8.0f %7.4f\n",
                    name.c_str(), mean, sd, quantile(x, 0.05), quantile(x, 0.5), quantile(x, 0.95),
                    mcse_mean(x), ess_bulk(x), ess_tail(x), rhat(x));
      out += line;
    }
  };
  for (std::size_t i = 0; i < fit.latent().size(); ++i) {
    const RandomVariable& z = fit.latent()[i].latent;
    std::vector<Matrix> per_chain;  // this latent's draws, once per chain
    for (int c = 0; c < fit.num_chains(); ++c) per_chain.push_back(fit.draws(z, c));
    add_rows(i < names.size() ? names[i] : "z" + std::to_string(i), z.value().shape(), per_chain);
  }
  for (std::size_t i = 0; i < fit.deterministic_names().size(); ++i) {
    const std::string& name = fit.deterministic_names()[i];
    std::vector<Matrix> per_chain;
    for (int c = 0; c < fit.num_chains(); ++c) per_chain.push_back(fit.draws(name, c));
    add_rows(name, fit.deterministic_shape(i), per_chain);
  }
  return out;
}

}  // namespace ed
