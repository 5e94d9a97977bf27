// MetropolisHastings: user proposals on each latent's own scale, with the Hastings correction.
#include "edpp/inference/mcmc/metropolis_hastings.hpp"

#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/inference/mcmc/proposal_moves.hpp"

namespace ed {

MetropolisHastings::MetropolisHastings(
    std::vector<LatentPair> latent,
    std::vector<std::pair<RandomVariable, RandomVariable>> proposals, Data data)
    : MonteCarlo("MetropolisHastings", std::move(latent), std::move(data)),
      proposals_(std::move(proposals)) {}

MetropolisHastings::~MetropolisHastings() = default;

void MetropolisHastings::initialize(MetropolisHastingsOptions o) {
  const std::vector<const RandomVariable*> proposal_of =
      detail::ProposalMoves::proposal_of(latent(), proposals_, algorithm());
  initialize_monte_carlo(monte_carlo_common(o));
  programs_.clear();
  proposed_.assign(static_cast<std::size_t>(o.chains), Eigen::VectorXd());
  // Each chain its own programs: they hold the values they are fed (Note [Chains]).
  for (int chain = 0; chain < o.chains; ++chain) {
    programs_.push_back(
        std::make_unique<detail::ProposalMoves>(latent(), proposal_of, algorithm()));
  }
}

double MetropolisHastings::draw(Chain& chain) {
  detail::ProposalMoves& moves = *programs_[static_cast<std::size_t>(chain.index())];
  Eigen::VectorXd& u = chain.position();
  if (chain.iteration() == 0) {
    Eigen::VectorXd gradient;
    start_chain(chain, gradient);  // the starting point must have a density (named if not)
  }
  Eigen::VectorXd& proposed = proposed_[static_cast<std::size_t>(chain.index())];
  const double jacobian_now = moves.load(u, chain.rng());
  proposed.resize(u.size());
  // Off the support the target density is 0: the move is rejected.
  if (!moves.propose(proposed, chain.rng())) return 0.0;
  const double jacobian_proposed = moves.log_jacobian(proposed, chain.rng());
  // Target densities on the latents' own scale: the chain's (unconstrained) minus log |J|.
  const double log_p_now = chain.log_density(u) - jacobian_now;
  const double log_p_proposed = chain.log_density(proposed) - jacobian_proposed;
  const double log_ratio = log_p_proposed - log_p_now + moves.log_hastings(chain.rng());
  const double accept = std::isnan(log_ratio) ? 0.0 : std::min(1.0, std::exp(log_ratio));
  if (boost::random::uniform_01<double>()(chain.rng().engine()) < accept) u = proposed;
  return accept;
}

void MetropolisHastings::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("rejections");
  report_acceptance("narrow the proposals: almost every move is rejected",
                    "widen the proposals: moves this small explore slowly");
}

}  // namespace ed
