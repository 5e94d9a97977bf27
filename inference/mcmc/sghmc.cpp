// SGHMC: a friction-damped Hamiltonian step on the (minibatch) gradient, Edward's form.
#include "edpp/inference/mcmc/sghmc.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"

namespace ed {

SGHMC::SGHMC(std::initializer_list<LatentPair> latent, Data data)
    : MonteCarlo("SGHMC", std::vector<LatentPair>(latent), std::move(data)) {}
SGHMC::SGHMC(std::vector<LatentPair> latent, Data data)
    : MonteCarlo("SGHMC", std::move(latent), std::move(data)) {}
SGHMC::SGHMC(std::vector<RandomVariable> latent, Data data)
    : MonteCarlo("SGHMC", detail::unpaired(std::move(latent)), std::move(data)) {}

void SGHMC::initialize(SGHMCOptions o) {
  if (!(o.step_size > 0.0) || !std::isfinite(o.step_size)) {
    throw ed::invalid_argument("SGHMC: step_size must be positive, got " +
                               std::to_string(o.step_size));
  }
  // The velocity's decay 1 − f/2 must stay in (0, 1).
  if (!(o.friction > 0.0 && o.friction < 2.0)) {
    throw ed::invalid_argument("SGHMC: friction must be in (0, 2), got " +
                               std::to_string(o.friction));
  }
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  states_.assign(static_cast<std::size_t>(o.chains), ChainState{});
}

double SGHMC::draw(Chain& chain) {
  ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  Eigen::VectorXd& u = chain.position();
  const double eta = options_.step_size * 0.01;
  const double f = options_.friction;
  if (chain.iteration() == 0) {
    start_chain(chain, s.gradient);
    s.velocity = Eigen::VectorXd::Zero(u.size());
  }
  // The gradient at the current state on this update's feed (a minibatch moves on each one).
  const double log_density = chain.log_density_and_gradient(u, s.gradient);
  if (!std::isfinite(log_density)) {  // this minibatch gives the state no density
    s.velocity.setZero();
    return 0.0;
  }
  s.previous = u;
  u += s.velocity;
  boost::random::normal_distribution<double> normal(0.0, std::sqrt(eta * f));
  s.velocity = (1.0 - 0.5 * f) * s.velocity + eta * s.gradient;
  for (Index k = 0; k < u.size(); ++k) s.velocity(k) += normal(chain.rng().engine());
  // A move to where the density is 0 or undefined (Note [Failed evaluations]) is undone, and
  // the velocity that carried it there dropped.
  const double moved = chain.log_density(u);
  if (!std::isfinite(moved)) {
    u = s.previous;
    s.velocity.setZero();
    return 0.0;
  }
  chain.set_log_density(moved);
  return 1.0;
}

void SGHMC::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("undone moves");
}

}  // namespace ed
