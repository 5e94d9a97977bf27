// HMC: leapfrog trajectories with a Metropolis correction.
#include "inference/hmc.hpp"

#include <boost/random/normal_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "core/errors.hpp"

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
  have_gradient_ = false;
  initialize_monte_carlo(
      {.n_iter = o.n_iter, .n_print = o.n_print, .seed = o.seed, .scale = o.scale, .init = o.init});
}

double HMC::draw(Chain& chain) {
  Eigen::VectorXd& u = chain.position();
  Rng& rng = chain.rng();
  if (!have_gradient_) {
    log_density_ = start_chain(chain, gradient_);
    have_gradient_ = true;
  }
  boost::random::normal_distribution<double> normal;
  momentum_.resize(u.size());
  for (Index k = 0; k < momentum_.size(); ++k) momentum_(k) = normal(rng.engine());
  const double start_energy = -log_density_ + 0.5 * momentum_.squaredNorm();
  // Leapfrog: half a momentum step, full position steps, half a momentum step.
  double eps = options_.step_size;
  if (options_.step_size_jitter > 0.0) {
    const double u = boost::random::uniform_01<double>()(rng.engine());
    eps *= 1.0 + options_.step_size_jitter * (2.0 * u - 1.0);
  }
  proposal_ = u;
  proposal_gradient_ = gradient_;
  double log_density = log_density_;
  int steps = 0;
  for (; steps < options_.n_steps; ++steps) {
    momentum_ += 0.5 * eps * proposal_gradient_;
    proposal_ += eps * momentum_;
    log_density = chain.log_density_and_gradient(proposal_, proposal_gradient_);
    if (!std::isfinite(log_density)) break;  // diverged: rejected below
    momentum_ += 0.5 * eps * proposal_gradient_;
  }
  const double energy = -log_density + 0.5 * momentum_.squaredNorm();
  const bool divergent = !std::isfinite(energy);
  const double accept = divergent ? 0.0 : std::min(1.0, std::exp(start_energy - energy));
  const bool accepted = boost::random::uniform_01<double>()(rng.engine()) < accept;
  if (accepted) {
    u = proposal_;
    gradient_ = proposal_gradient_;
    log_density_ = log_density;
  }
  chain.set_log_density(log_density_);
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
          "num_warmup = 0",
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
