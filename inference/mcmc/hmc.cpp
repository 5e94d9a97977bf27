// HMC: leapfrog trajectories with a Metropolis correction.
#include "edpp/inference/mcmc/hmc.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"

namespace ed {

HMC::HMC(std::initializer_list<LatentPair> latent, Data data)
    : MonteCarlo("HMC", std::vector<LatentPair>(latent), std::move(data)) {}
HMC::HMC(std::vector<LatentPair> latent, Data data)
    : MonteCarlo("HMC", std::move(latent), std::move(data)) {}
HMC::HMC(std::vector<RandomVariable> latent, Data data)
    : MonteCarlo("HMC", detail::unpaired(std::move(latent)), std::move(data)) {}

void HMC::initialize(HMCOptions o) {
  if (!(o.step_size > 0.0) || !std::isfinite(o.step_size)) {
    throw ed::invalid_argument("HMC: step_size must be positive, got " +
                               std::to_string(o.step_size));
  }
  if (o.n_steps < 1) {
    throw ed::invalid_argument("HMC: n_steps must be at least 1, got " + std::to_string(o.n_steps));
  }
  if (!(o.step_size_jitter >= 0.0 && o.step_size_jitter < 1.0)) {
    throw ed::invalid_argument("HMC: step_size_jitter must be in [0, 1), got " +
                               std::to_string(o.step_size_jitter));
  }
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  states_.assign(static_cast<std::size_t>(o.chains), ChainState{});
}

double HMC::draw(Chain& chain) {
  ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  Eigen::VectorXd& u = chain.position();
  Rng& rng = chain.rng();
  if (!s.started) {
    s.log_density = start_chain(chain, s.gradient);
    s.started = true;
  }
  boost::random::normal_distribution<double> normal;
  s.momentum.resize(u.size());
  for (Index k = 0; k < s.momentum.size(); ++k) s.momentum(k) = normal(rng.engine());
  const double start_energy = -s.log_density + 0.5 * s.momentum.squaredNorm();
  double eps = options_.step_size;
  if (options_.step_size_jitter > 0.0) {
    const double jitter = boost::random::uniform_01<double>()(rng.engine());
    eps *= 1.0 + options_.step_size_jitter * (2.0 * jitter - 1.0);
  }
  // Leapfrog: half a momentum step, full position steps, half a momentum step.
  s.proposal = u;
  s.proposal_gradient = s.gradient;
  double log_density = s.log_density;
  int steps = 0;
  for (; steps < options_.n_steps; ++steps) {
    s.momentum += 0.5 * eps * s.proposal_gradient;
    s.proposal += eps * s.momentum;
    log_density = chain.log_density_and_gradient(s.proposal, s.proposal_gradient);
    if (!std::isfinite(log_density)) break;  // diverged: rejected below
    s.momentum += 0.5 * eps * s.proposal_gradient;
  }
  const double energy = -log_density + 0.5 * s.momentum.squaredNorm();
  const bool divergent = !std::isfinite(energy);
  const double accept = divergent ? 0.0 : std::min(1.0, std::exp(start_energy - energy));
  const bool accepted = boost::random::uniform_01<double>()(rng.engine()) < accept;
  if (accepted) {
    u = s.proposal;
    s.gradient.swap(s.proposal_gradient);
    s.log_density = log_density;
  }
  chain.set_log_density(s.log_density);
  std::vector<double>& record = chain.sampler_params();  // as own_sampler_param_names()
  record[0] = eps;
  record[1] = divergent ? steps + 1 : steps;
  record[2] = divergent ? 1.0 : 0.0;
  record[3] = accepted ? energy : start_energy;
  return accept;
}

std::vector<std::string> HMC::own_sampler_param_names() const {
  return {"stepsize__", "n_leapfrog__", "divergent__", "energy__"};
}

std::vector<std::string> HMC::csv_settings() const {
  return {"method = sample (Default)",
          "num_samples = " + std::to_string(options_.n_iter),
          "num_warmup = " + std::to_string(options_.n_warmup),
          "save_warmup = 0 (Default)",
          "thin = 1 (Default)",
          "algorithm = hmc (Default)",
          "engine = static",
          "int_time = " + std::to_string(options_.step_size * options_.n_steps),
          "metric = unit_e",
          "stepsize = " + std::to_string(options_.step_size)};
}

void HMC::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("rejections");
  report_acceptance("decrease step_size: trajectories diverge or overshoot",
                    "increase step_size or n_steps: moves this short explore slowly");
}

}  // namespace ed
