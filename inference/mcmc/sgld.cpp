// SGLD: a Langevin step on the (minibatch) gradient with a decaying step size.
#include "edpp/inference/mcmc/sgld.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"

namespace ed {

SGLD::SGLD(std::initializer_list<LatentPair> latent, Data data)
    : MonteCarlo("SGLD", std::vector<LatentPair>(latent), std::move(data)) {}
SGLD::SGLD(std::vector<LatentPair> latent, Data data)
    : MonteCarlo("SGLD", std::move(latent), std::move(data)) {}
SGLD::SGLD(std::vector<RandomVariable> latent, Data data)
    : MonteCarlo("SGLD", detail::unpaired(std::move(latent)), std::move(data)) {}

void SGLD::initialize(SGLDOptions o) {
  if (!(o.step_size > 0.0) || !std::isfinite(o.step_size)) {
    throw ed::invalid_argument("SGLD: step_size must be positive, got " +
                               std::to_string(o.step_size));
  }
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  states_.assign(static_cast<std::size_t>(o.chains), ChainState{});
}

double SGLD::draw(Chain& chain) {
  ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  Eigen::VectorXd& u = chain.position();
  const double eps =
      options_.step_size / std::pow(static_cast<double>(chain.iteration()) + 1.0, 0.55);
  // The gradient on this update's feed (a minibatch moves on each update).
  const double log_density = chain.iteration() == 0 ? start_chain(chain, s.gradient)
                                                    : chain.log_density_and_gradient(u, s.gradient);
  if (!std::isfinite(log_density)) return 0.0;  // this minibatch gives the state no density
  boost::random::normal_distribution<double> normal(0.0, std::sqrt(eps));
  s.proposal = u + 0.5 * eps * s.gradient;
  for (Index k = 0; k < u.size(); ++k) s.proposal(k) += normal(chain.rng().engine());
  // A step to where the density is 0 or undefined (Note [Failed evaluations]) is rejected: the
  // chain stays, and the next update draws new noise.
  const double proposed = chain.log_density(s.proposal);
  if (!std::isfinite(proposed)) return 0.0;
  u = s.proposal;
  chain.set_log_density(proposed);
  return 1.0;
}

}  // namespace ed
