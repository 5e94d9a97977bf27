// ProposalMoves: the programs of a proposal move — constrain, propose, and the Hastings terms.
#include "edpp/inference/mcmc/proposal_moves.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/copy.hpp"

namespace ed::detail {

struct ProposalMoves::Programs {
  std::vector<Tensor> u, current, proposed;  // placeholders, one per latent
  std::vector<Matrix> u_values, current_values, proposed_values;
  std::unique_ptr<Program> constrain;  // u → current latents, and Σ log |J(u)|
  std::unique_ptr<Program> propose;    // current → a draw of every proposal
  std::unique_ptr<Program> log_q;      // log q(proposed | current), log q(current | proposed)
  Feed u_feed, current_feed, both_feed;
};

ProposalMoves::ProposalMoves(const std::vector<LatentPair>& latent,
                             const std::vector<const RandomVariable*>& proposal_of,
                             const std::string& algorithm)
    : p_(std::make_unique<Programs>()), algorithm_(algorithm) {
  const std::string& tag = algorithm;
  const std::size_t n = latent.size();
  Programs& p = *p_;
  Swap at_current, at_proposed;
  std::vector<Tensor> constrained, draws;
  Tensor log_jacobian = Tensor(0.0);
  for (std::size_t j = 0; j < n; ++j) {
    const RandomVariable& z = latent[j].latent;
    const Support support = z.support();
    supports_.push_back(support);
    const Shape shape = z.value().shape();
    const Shape u_shape = unconstrained_shape(support, shape);
    p.u.push_back(placeholder(u_shape, tag + "/u" + std::to_string(j)));
    p.current.push_back(placeholder(shape, tag + "/current" + std::to_string(j)));
    p.proposed.push_back(placeholder(shape, tag + "/proposed" + std::to_string(j)));
    p.u_values.emplace_back(u_shape.rows, u_shape.cols);
    p.current_values.emplace_back(shape.rows, shape.cols);
    p.proposed_values.emplace_back(shape.rows, shape.cols);
    constrained.push_back(ed::constrain(support, p.u.back()));
    log_jacobian = log_jacobian + sum(log_det_jacobian(support, p.u.back()));
    at_current.emplace_back(z.value(), p.current.back());
    at_proposed.emplace_back(z.value(), p.proposed.back());
  }
  Tensor forward = Tensor(0.0), reverse = Tensor(0.0);
  for (std::size_t j = 0; j < n; ++j) {
    try {
      const RandomVariable from_current = detail::copy_quietly(*proposal_of[j], at_current);
      const RandomVariable from_proposed = detail::copy_quietly(*proposal_of[j], at_proposed);
      draws.push_back(from_current.value());
      forward = forward + sum(from_current.log_prob(p.proposed[j]));
      reverse = reverse + sum(from_proposed.log_prob(p.current[j]));
    } catch (const ed::invalid_argument& e) {
      throw ed::invalid_argument(algorithm + ": the proposal " + proposal_of[j]->describe() +
                                 " of latent " + latent[j].latent.describe() + ": " + e.what());
    }
  }
  constrained.push_back(log_jacobian);
  p.constrain = std::make_unique<Program>(constrained);
  p.propose = std::make_unique<Program>(draws);
  p.log_q = std::make_unique<Program>(std::vector<Tensor>{forward, reverse});
  for (std::size_t j = 0; j < n; ++j) {
    p.u_feed.emplace_back(p.u[j], p.u_values[j]);
    p.current_feed.emplace_back(p.current[j], p.current_values[j]);
    p.both_feed.emplace_back(p.current[j], p.current_values[j]);
    p.both_feed.emplace_back(p.proposed[j], p.proposed_values[j]);
  }
}

ProposalMoves::~ProposalMoves() = default;

std::vector<const RandomVariable*> ProposalMoves::proposal_of(
    const std::vector<LatentPair>& latent,
    const std::vector<std::pair<RandomVariable, RandomVariable>>& proposals,
    const std::string& algorithm, bool every_latent) {
  std::vector<const RandomVariable*> of(latent.size(), nullptr);
  for (const auto& [z, proposal] : proposals) {
    bool found = false;
    for (std::size_t j = 0; j < latent.size(); ++j) {
      if (latent[j].latent == z) {
        of[j] = &proposal;
        found = true;
      }
    }
    if (!found) {
      throw ed::invalid_argument(algorithm + ": a proposal is given for a " + z.describe() +
                                 " that is not latent");
    }
  }
  for (std::size_t j = 0; j < latent.size() && every_latent; ++j) {
    if (!of[j]) {
      throw ed::invalid_argument(algorithm + ": the latent " + latent[j].latent.describe() +
                                 " has no proposal: pass {{z, proposal_z}}");
    }
  }
  return of;
}

double ProposalMoves::log_jacobian(const Eigen::VectorXd& state, Rng& rng) {
  Programs& p = *p_;
  Index at = 0;
  for (Matrix& v : p.u_values) {
    Eigen::Map<Eigen::VectorXd>(v.data(), v.size()) = state.segment(at, v.size());
    at += v.size();
  }
  p.constrain->forward(p.u_feed, rng);
  return p.constrain->output(p.u_values.size())(0, 0);
}

double ProposalMoves::load(const Eigen::VectorXd& state, Rng& rng) {
  const double jacobian = log_jacobian(state, rng);
  for (std::size_t j = 0; j < p_->current_values.size(); ++j) {
    p_->current_values[j] = p_->constrain->output(j);
  }
  return jacobian;
}

bool ProposalMoves::propose(Eigen::VectorXd& proposed, Rng& rng) {
  Programs& p = *p_;
  try {
    p.propose->forward(p.current_feed, rng);
  } catch (const ed::invalid_argument& e) {
    throw ed::invalid_argument(algorithm_ +
                               ": drawing from the proposals at the current state: " + e.what());
  }
  Index at = 0;
  for (std::size_t j = 0; j < p.proposed_values.size(); ++j) {
    p.proposed_values[j] = p.propose->output(j);
    if (!supports_[j].set().contains_all(p.proposed_values[j])) return false;
    Matrix uj;
    try {
      uj = unconstrain(supports_[j], p.proposed_values[j]);
    } catch (const ed::invalid_argument&) {
      return false;  // on the boundary of the support
    }
    proposed.segment(at, uj.size()) = Eigen::Map<const Eigen::VectorXd>(uj.data(), uj.size());
    at += uj.size();
  }
  return true;
}

double ProposalMoves::log_hastings(Rng& rng) {
  try {
    p_->log_q->forward(p_->both_feed, rng);
  } catch (const ed::invalid_argument& e) {
    throw ed::invalid_argument(algorithm_ + ": the proposals' densities of the move: " + e.what());
  }
  return p_->log_q->output(1)(0, 0) - p_->log_q->output(0)(0, 0);
}

}  // namespace ed::detail
