// ReplicaExchangeMC: tempered Metropolis–Hastings steps per replica, then rounds of neighbour
// swaps.
#include "edpp/inference/mcmc/replica_exchange.hpp"

#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/inference/mcmc/proposal_moves.hpp"

namespace ed {

ReplicaExchangeMC::ReplicaExchangeMC(
    std::vector<LatentPair> latent,
    std::vector<std::pair<RandomVariable, RandomVariable>> proposals, Data data,
    std::vector<double> inverse_temperatures)
    : MonteCarlo("ReplicaExchangeMC", std::move(latent), std::move(data)),
      proposals_(std::move(proposals)),
      betas_(std::move(inverse_temperatures)) {}

ReplicaExchangeMC::~ReplicaExchangeMC() = default;

void ReplicaExchangeMC::initialize(ReplicaExchangeMCOptions o) {
  if (betas_.empty() || betas_.front() != 1.0) {
    throw ed::invalid_argument(algorithm() + ": inverse_temperatures must start at 1");
  }
  for (std::size_t r = 1; r < betas_.size(); ++r) {
    if (!(betas_[r] > 0.0 && betas_[r] < betas_[r - 1])) {
      throw ed::invalid_argument(algorithm() + ": inverse_temperatures must fall strictly " +
                                 "towards 0; entry " + std::to_string(r) + " is " +
                                 std::to_string(betas_[r]));
    }
  }
  if (!(o.exchange_freq >= 0.0 && o.exchange_freq <= 1.0)) {
    throw ed::invalid_argument(algorithm() + ": exchange_freq must be in [0, 1], got " +
                               std::to_string(o.exchange_freq));
  }
  const std::vector<const RandomVariable*> proposal_of =
      detail::ProposalMoves::proposal_of(latent(), proposals_, algorithm());
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  states_.clear();
  states_.resize(static_cast<std::size_t>(o.chains));
  for (ChainState& s : states_) {
    s.moves = std::make_unique<detail::ProposalMoves>(latent(), proposal_of, algorithm());
    s.swaps_tried.assign(betas_.size() - 1, 0);
    s.swaps_accepted.assign(betas_.size() - 1, 0);
  }
}

double ReplicaExchangeMC::step(Chain& chain, ChainState& s, Eigen::VectorXd& state, double& log_p,
                               double beta) {
  s.moves->load(state, chain.rng());
  s.proposed.resize(state.size());
  if (!s.moves->propose(s.proposed, chain.rng())) return 0.0;  // off the support
  const double jacobian = s.moves->log_jacobian(s.proposed, chain.rng());
  const double proposed_log_p = chain.log_density(s.proposed) - jacobian;
  const double log_ratio = beta * (proposed_log_p - log_p) + s.moves->log_hastings(chain.rng());
  const double accept = std::isnan(log_ratio) ? 0.0 : std::min(1.0, std::exp(log_ratio));
  if (boost::random::uniform_01<double>()(chain.rng().engine()) < accept) {
    state = s.proposed;
    log_p = proposed_log_p;
  }
  return accept;
}

double ReplicaExchangeMC::draw(Chain& chain) {
  ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  Eigen::VectorXd& u = chain.position();
  const std::size_t replicas = betas_.size();
  if (chain.iteration() == 0) {  // every replica starts where the chain starts
    Eigen::VectorXd gradient;
    start_chain(chain, gradient);
    s.replicas.assign(replicas - 1, u);
    s.log_p.assign(replicas, 0.0);
  }
  // Each replica's density on this update's feed, then one tempered step each.
  auto log_p_at = [&](const Eigen::VectorXd& state) {
    return chain.log_density(state) - s.moves->log_jacobian(state, chain.rng());
  };
  s.log_p[0] = log_p_at(u);
  const double accept = step(chain, s, u, s.log_p[0], 1.0);
  for (std::size_t r = 1; r < replicas; ++r) {
    s.log_p[r] = log_p_at(s.replicas[r - 1]);
    step(chain, s, s.replicas[r - 1], s.log_p[r], betas_[r]);
  }
  // A round of swaps between neighbours, even or odd pairs.
  boost::random::uniform_01<double> uniform;
  double swapped = 0.0;
  if (replicas > 1 && uniform(chain.rng().engine()) < options_.exchange_freq) {
    auto state_of = [&](std::size_t r) -> Eigen::VectorXd& {
      return r == 0 ? u : s.replicas[r - 1];
    };
    for (std::size_t i = uniform(chain.rng().engine()) < 0.5 ? 0 : 1; i + 1 < replicas; i += 2) {
      const double log_ratio = (betas_[i] - betas_[i + 1]) * (s.log_p[i + 1] - s.log_p[i]);
      ++s.swaps_tried[i];
      if (std::isnan(log_ratio) || !(std::log(uniform(chain.rng().engine())) < log_ratio)) {
        continue;
      }
      ++s.swaps_accepted[i];
      std::swap(state_of(i), state_of(i + 1));
      std::swap(s.log_p[i], s.log_p[i + 1]);
      swapped += 1.0;
    }
  }
  chain.sampler_params()[0] = swapped;
  return accept;
}

std::vector<double> ReplicaExchangeMC::swap_rates() const {
  std::vector<double> rates;
  for (std::size_t i = 0; i + 1 < betas_.size(); ++i) {
    long tried = 0, accepted = 0;
    for (const ChainState& s : states_) {
      if (s.swaps_tried.empty()) continue;
      tried += s.swaps_tried[i];
      accepted += s.swaps_accepted[i];
    }
    rates.push_back(tried == 0 ? std::nan("") : static_cast<double>(accepted) / tried);
  }
  return rates;
}

void ReplicaExchangeMC::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("rejections");
  report_acceptance("narrow the proposals: almost every move is rejected",
                    "widen the proposals: moves this small explore slowly");
}

}  // namespace ed
