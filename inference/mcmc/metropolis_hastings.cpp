// MetropolisHastings: user proposals on each latent's own scale, with the Hastings correction.
#include "edpp/inference/mcmc/metropolis_hastings.hpp"

#include <boost/random/uniform_01.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/copy.hpp"

namespace ed {

/// One chain's compiled pieces: the latents from the state, proposals, and their densities.
struct MetropolisHastings::Programs {
  std::vector<Tensor> u, current, proposed;  // placeholders, one per latent
  std::vector<Matrix> u_values, current_values, proposed_values;
  std::unique_ptr<Program> constrain;  // u → current latents, and Σ log |J(u)|
  std::unique_ptr<Program> propose;    // current → a draw of every proposal
  std::unique_ptr<Program> log_q;      // log q(proposed | current), log q(current | proposed)
  Feed u_feed, current_feed, both_feed;
};

MetropolisHastings::MetropolisHastings(
    std::vector<LatentPair> latent,
    std::vector<std::pair<RandomVariable, RandomVariable>> proposals, Data data)
    : MonteCarlo("MetropolisHastings", std::move(latent), std::move(data)),
      proposals_(std::move(proposals)) {}

MetropolisHastings::~MetropolisHastings() = default;

void MetropolisHastings::initialize(MetropolisHastingsOptions o) {
  const std::size_t n = latent().size();
  std::vector<const RandomVariable*> proposal_of(n, nullptr);
  for (const auto& [z, proposal] : proposals_) {
    bool found = false;
    for (std::size_t j = 0; j < n; ++j) {
      if (latent()[j].latent == z) {
        proposal_of[j] = &proposal;
        found = true;
      }
    }
    if (!found) {
      throw ed::invalid_argument(algorithm() + ": a proposal is given for a " + z.describe() +
                                 " that is not latent");
    }
  }
  for (std::size_t j = 0; j < n; ++j) {
    if (!proposal_of[j]) {
      throw ed::invalid_argument(algorithm() + ": the latent " + latent()[j].latent.describe() +
                                 " has no proposal: pass {{z, proposal_z}}");
    }
  }
  initialize_monte_carlo(monte_carlo_common(o));
  programs_.clear();
  // Each chain its own programs: they hold the values they are fed (Note [Chains]).
  for (int chain = 0; chain < o.chains; ++chain) programs_.push_back(build_programs(proposal_of));
}

std::unique_ptr<MetropolisHastings::Programs> MetropolisHastings::build_programs(
    const std::vector<const RandomVariable*>& proposal_of) const {
  const std::size_t n = latent().size();
  auto p = std::make_unique<Programs>();
  Swap at_current, at_proposed;
  std::vector<Tensor> constrained, draws;
  Tensor log_jacobian = Tensor(0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const RandomVariable& z = latent()[j].latent;
    const Support support = z.support();
    const Shape shape = z.value().shape();
    const Shape u_shape = unconstrained_shape(support, shape);
    p->u.push_back(placeholder(u_shape, "MH/u" + std::to_string(j)));
    p->current.push_back(placeholder(shape, "MH/current" + std::to_string(j)));
    p->proposed.push_back(placeholder(shape, "MH/proposed" + std::to_string(j)));
    p->u_values.emplace_back(u_shape.rows, u_shape.cols);
    p->current_values.emplace_back(shape.rows, shape.cols);
    p->proposed_values.emplace_back(shape.rows, shape.cols);
    constrained.push_back(constrain(support, p->u.back()));
    log_jacobian = log_jacobian + sum(log_det_jacobian(support, p->u.back()));
    at_current.emplace_back(z.value(), p->current.back());
    at_proposed.emplace_back(z.value(), p->proposed.back());
  }
  Tensor forward = Tensor(0.0), reverse = Tensor(0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const RandomVariable from_current = copy(*proposal_of[j], at_current);
    const RandomVariable from_proposed = copy(*proposal_of[j], at_proposed);
    draws.push_back(from_current.value());
    forward = forward + sum(from_current.log_prob(p->proposed[j]));
    reverse = reverse + sum(from_proposed.log_prob(p->current[j]));
  }
  constrained.push_back(log_jacobian);
  p->constrain = std::make_unique<Program>(constrained);
  p->propose = std::make_unique<Program>(draws);
  p->log_q = std::make_unique<Program>(std::vector<Tensor>{forward, reverse});
  for (std::size_t j = 0; j < n; ++j) {
    p->u_feed.emplace_back(p->u[j], p->u_values[j]);
    p->current_feed.emplace_back(p->current[j], p->current_values[j]);
    p->both_feed.emplace_back(p->current[j], p->current_values[j]);
    p->both_feed.emplace_back(p->proposed[j], p->proposed_values[j]);
  }
  return p;
}

double MetropolisHastings::draw(Chain& chain) {
  Programs& p = *programs_[static_cast<std::size_t>(chain.index())];
  const std::size_t n = latent().size();
  Eigen::VectorXd& u = chain.position();
  if (chain.iteration() == 0) {
    Eigen::VectorXd gradient;
    start_chain(chain, gradient);  // the starting point must have a density (named if not)
  }
  // The current latents (and log |J|) from the state.
  auto load_u = [&](const Eigen::VectorXd& state) {
    Index at = 0;
    for (std::size_t j = 0; j < n; ++j) {
      Matrix& v = p.u_values[j];
      Eigen::Map<Eigen::VectorXd>(v.data(), v.size()) = state.segment(at, v.size());
      at += v.size();
    }
    p.constrain->forward(p.u_feed, chain.rng());
    return p.constrain->output(n)(0, 0);
  };
  const double jacobian_now = load_u(u);
  for (std::size_t j = 0; j < n; ++j) p.current_values[j] = p.constrain->output(j);
  p.propose->forward(p.current_feed, chain.rng());
  Eigen::VectorXd proposed_u(u.size());
  Index at = 0;
  for (std::size_t j = 0; j < n; ++j) {
    p.proposed_values[j] = p.propose->output(j);
    const Support support = latent()[j].latent.support();
    // Off the support: the target density is 0 there, so the move is rejected.
    if (!support.set().contains_all(p.proposed_values[j])) return 0.0;
    Matrix uj;
    try {
      uj = unconstrain(support, p.proposed_values[j]);
    } catch (const ed::invalid_argument&) {
      return 0.0;  // on the boundary of the support
    }
    proposed_u.segment(at, uj.size()) = Eigen::Map<const Eigen::VectorXd>(uj.data(), uj.size());
    at += uj.size();
  }
  const double jacobian_proposed = load_u(proposed_u);
  // Target densities on the latents' own scale: the chain's (unconstrained) minus log |J|.
  const double log_p_now = chain.log_density(u) - jacobian_now;
  const double log_p_proposed = chain.log_density(proposed_u) - jacobian_proposed;
  p.log_q->forward(p.both_feed, chain.rng());
  const double log_ratio =
      log_p_proposed + p.log_q->output(1)(0, 0) - log_p_now - p.log_q->output(0)(0, 0);
  const double accept = std::isnan(log_ratio) ? 0.0 : std::min(1.0, std::exp(log_ratio));
  if (boost::random::uniform_01<double>()(chain.rng().engine()) < accept) u = proposed_u;
  return accept;
}

void MetropolisHastings::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("rejections");
  report_acceptance("narrow the proposals: almost every move is rejected",
                    "widen the proposals: moves this small explore slowly");
}

}  // namespace ed
