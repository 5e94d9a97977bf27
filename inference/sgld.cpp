// SGLD: a Langevin step on the (minibatch) gradient with a decaying step size.
#include "inference/sgld.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>

#include "core/errors.hpp"

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
  initialize_monte_carlo(
      {.n_iter = o.n_iter, .n_print = o.n_print, .seed = o.seed, .scale = o.scale, .init = o.init});
}

double SGLD::draw(Chain& chain) {
  Eigen::VectorXd& u = chain.position();
  const double eps =
      options_.step_size / std::pow(static_cast<double>(chain.iteration()) + 1.0, 0.55);
  const double log_density = chain.log_density_and_gradient(u, gradient_);
  if (!std::isfinite(log_density)) {
    throw ed::numerical_error("SGLD: iteration " + std::to_string(chain.iteration() + 1) +
                              ": the log density is not finite at the current state");
  }
  boost::random::normal_distribution<double> normal(0.0, std::sqrt(eps));
  u += 0.5 * eps * gradient_;
  for (Index k = 0; k < u.size(); ++k) u(k) += normal(chain.rng().engine());
  return 1.0;
}

}  // namespace ed
