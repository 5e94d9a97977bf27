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
  options_ = o;
  have_gradient_ = false;
  initialize_monte_carlo(
      {.n_iter = o.n_iter, .n_print = o.n_print, .seed = o.seed, .scale = o.scale, .init = o.init});
}

double HMC::draw(Chain& chain) {
  Eigen::VectorXd& u = chain.position();
  Rng& rng = chain.rng();
  if (!have_gradient_) {
    log_density_ = chain.log_density_and_gradient(u, gradient_);
    have_gradient_ = true;
  }
  boost::random::normal_distribution<double> normal;
  momentum_.resize(u.size());
  for (Index k = 0; k < momentum_.size(); ++k) momentum_(k) = normal(rng.engine());
  const double start_energy = -log_density_ + 0.5 * momentum_.squaredNorm();
  // Leapfrog: half a momentum step, full position steps, half a momentum step.
  const double eps = options_.step_size;
  proposal_ = u;
  proposal_gradient_ = gradient_;
  double log_density = log_density_;
  for (int step = 0; step < options_.n_steps; ++step) {
    momentum_ += 0.5 * eps * proposal_gradient_;
    proposal_ += eps * momentum_;
    log_density = chain.log_density_and_gradient(proposal_, proposal_gradient_);
    if (!std::isfinite(log_density)) break;  // diverged: rejected below
    momentum_ += 0.5 * eps * proposal_gradient_;
  }
  const double energy = -log_density + 0.5 * momentum_.squaredNorm();
  const double accept =
      std::isfinite(energy) ? std::min(1.0, std::exp(start_energy - energy)) : 0.0;
  if (boost::random::uniform_01<double>()(rng.engine()) < accept) {
    u = proposal_;
    gradient_ = proposal_gradient_;
    log_density_ = log_density;
  }
  chain.set_log_density(log_density_);
  return accept;
}

}  // namespace ed
