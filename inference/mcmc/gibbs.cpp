// Gibbs: a sweep of complete-conditional draws, with Metropolis–Hastings blocks where a proposal
// is given.
#include "edpp/inference/mcmc/gibbs.hpp"

#include <boost/random/uniform_01.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/copy.hpp"
#include "edpp/inference/conjugacy/complete_conditional.hpp"
#include "edpp/inference/mcmc/proposal_moves.hpp"

namespace ed {

/// One chain's compiled pieces. The chain's state lives here on each latent's own scale
/// (`current_values`); the driver's unconstrained position is written from it after each
/// sweep, for the draws and lp__.
struct Gibbs::Programs {
  std::vector<Tensor> current, proposed;  // placeholders, one per latent
  std::vector<Matrix> current_values, proposed_values;
  std::vector<std::unique_ptr<Program>> conditional;     // a draw of each block's conditional
  std::vector<std::unique_ptr<Program>> propose, log_q;  // MH blocks
  std::unique_ptr<Program> joint;                        // log p(current, x), for MH blocks
  Feed feed;                                             // the user's feed plus the values
};

Gibbs::Gibbs(std::initializer_list<LatentPair> latent, Data data, Proposals proposals)
    : Gibbs(std::vector<LatentPair>(latent), std::move(data), std::move(proposals)) {}

Gibbs::Gibbs(std::vector<LatentPair> latent, Data data, Proposals proposals)
    : MonteCarlo("Gibbs", std::move(latent), std::move(data)), proposals_(std::move(proposals)) {}

Gibbs::Gibbs(std::vector<RandomVariable> latent, Data data, Proposals proposals)
    : Gibbs(detail::unpaired(std::move(latent)), std::move(data), std::move(proposals)) {}

Gibbs::~Gibbs() = default;

void Gibbs::initialize(GibbsOptions o) {
  const std::size_t n = latent().size();
  if (!o.scale.empty()) {
    throw ed::invalid_argument(
        "Gibbs: options.scale is not supported: a complete conditional counts every data term "
        "once (use SGLD or SGHMC for minibatches)");
  }
  proposal_of_ = detail::ProposalMoves::proposal_of(latent(), proposals_, algorithm(),
                                                    /*every_latent=*/false);
  scan_.clear();
  if (o.scan_order.empty()) {
    scan_.resize(n);
    std::iota(scan_.begin(), scan_.end(), std::size_t{0});
  } else {
    for (const RandomVariable& z : o.scan_order) {
      const auto it = std::find_if(latent().begin(), latent().end(),
                                   [&](const LatentPair& p) { return p.latent == z; });
      const auto j = static_cast<std::size_t>(it - latent().begin());
      if (it == latent().end() || std::count(scan_.begin(), scan_.end(), j) > 0) {
        throw ed::invalid_argument("Gibbs: scan_order must list every latent once; " +
                                   z.describe() +
                                   (it == latent().end() ? " is not latent" : " is listed twice"));
      }
      scan_.push_back(j);
    }
    if (scan_.size() != n) {
      throw ed::invalid_argument("Gibbs: scan_order lists " + std::to_string(scan_.size()) +
                                 " of the " + std::to_string(n) + " latents; list every one");
    }
  }
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  programs_.clear();
  // Each chain its own programs and conditionals: they hold the values they are fed.
  for (int chain = 0; chain < o.chains; ++chain) programs_.push_back(build_programs());
}

std::unique_ptr<Gibbs::Programs> Gibbs::build_programs() const {
  const std::size_t n = latent().size();
  auto p = std::make_unique<Programs>();
  std::vector<RandomVariable> blanket;
  for (std::size_t j = 0; j < n; ++j) {
    const RandomVariable& z = latent()[j].latent;
    const Shape shape = z.value().shape();
    p->current.push_back(placeholder(shape, "Gibbs/current" + std::to_string(j)));
    p->proposed.push_back(placeholder(shape, "Gibbs/proposed" + std::to_string(j)));
    p->current_values.emplace_back(Matrix::Zero(shape.rows, shape.cols));
    p->proposed_values.emplace_back(Matrix::Zero(shape.rows, shape.cols));
    blanket.push_back(z);
  }
  for (const DataBinding& d : data()) blanket.push_back(d.variable);

  const ModelTerms terms = model_terms(p->current);
  // A factor's term is no random variable's child: the conditionals would leave it out.
  for (const Tensor& factor : terms.factor_terms) {
    const Program reach({factor}, {}, terms.substitutions);
    for (std::size_t j = 0; j < n; ++j) {
      if (reach.contains(p->current[j]) && !proposal_of_[j]) {
        throw ed::invalid_argument("Gibbs: an ed::factor term depends on the latent " +
                                   latent()[j].latent.describe() +
                                   ", which its complete conditional cannot include; give that "
                                   "latent a proposal (Metropolis-within-Gibbs)");
      }
    }
  }
  bool any_proposal = false;
  for (std::size_t j = 0; j < n; ++j) {
    const RandomVariable& z = latent()[j].latent;
    if (const RandomVariable* proposal = proposal_of_[j]) {
      any_proposal = true;
      Swap at_current, at_proposed;
      for (std::size_t i = 0; i < n; ++i) {
        const Tensor& value = latent()[i].latent.value();
        at_current.emplace_back(value, p->current[i]);
        at_proposed.emplace_back(value, i == j ? p->proposed[i] : p->current[i]);
      }
      const RandomVariable from_current = detail::copy_quietly(*proposal, at_current);
      const RandomVariable from_proposed = detail::copy_quietly(*proposal, at_proposed);
      p->propose.push_back(std::make_unique<Program>(std::vector<Tensor>{from_current.value()},
                                                     std::vector<Tensor>{}, terms.substitutions));
      p->log_q.push_back(
          std::make_unique<Program>(std::vector<Tensor>{sum(from_current.log_prob(p->proposed[j])),
                                                        sum(from_proposed.log_prob(p->current[j]))},
                                    std::vector<Tensor>{}, terms.substitutions));
      p->conditional.push_back(nullptr);
      continue;
    }
    RandomVariable conditional = [&] {
      try {
        return complete_conditional(z, blanket);
      } catch (const ed::invalid_argument& e) {
        throw ed::invalid_argument("Gibbs: " + std::string(e.what()) +
                                   " (or give the latent a proposal: Metropolis-within-Gibbs)");
      }
    }();
    p->conditional.push_back(std::make_unique<Program>(std::vector<Tensor>{conditional.value()},
                                                       std::vector<Tensor>{}, terms.substitutions));
    p->propose.push_back(nullptr);
    p->log_q.push_back(nullptr);
  }
  if (any_proposal) {
    p->joint = std::make_unique<Program>(std::vector<Tensor>{terms.log_joint()},
                                         std::vector<Tensor>{}, terms.substitutions);
  }
  return p;
}

namespace {
// The joint log density at the fed values; −inf where the model's checks fail there (Note
// [Failed evaluations]), as a rejection.
double log_joint(Program& joint, const Feed& feed, Rng& rng) {
  try {
    joint.forward(feed, rng);
  } catch (const ed::invalid_argument&) {
    return -std::numeric_limits<double>::infinity();
  } catch (const ed::numerical_error&) {
    return -std::numeric_limits<double>::infinity();
  }
  const double value = joint.output(0)(0, 0);
  return std::isnan(value) ? -std::numeric_limits<double>::infinity() : value;
}

// Copies a draw into a latent's value matrix, keeping its storage (the feed points at it): a
// joint normal conditional draws z flattened column-major as one row.
void store(const Matrix& draw, Matrix& value) {
  Eigen::Map<Eigen::VectorXd>(value.data(), value.size()) =
      Eigen::Map<const Eigen::VectorXd>(draw.data(), draw.size());
}
}  // namespace

double Gibbs::draw(Chain& chain) {
  Programs& p = *programs_[static_cast<std::size_t>(chain.index())];
  const std::size_t n = latent().size();
  Eigen::VectorXd& u = chain.position();
  if (chain.iteration() == 0) {  // the starting values, from the driver's starting state
    const Program& start = chain.values_at_position();
    for (std::size_t j = 0; j < n; ++j) p.current_values[j] = start.output(j);
  }
  p.feed = chain.feed();
  for (std::size_t j = 0; j < n; ++j) {
    p.feed.emplace_back(p.current[j], p.current_values[j]);
    p.feed.emplace_back(p.proposed[j], p.proposed_values[j]);
  }
  std::vector<std::size_t> order = scan_;
  if (options_.random_scan) {
    for (std::size_t i = order.size(); i > 1; --i) {  // Fisher–Yates on the chain's stream
      std::swap(order[i - 1], order[chain.rng().engine()() % i]);
    }
  }
  double accept_sum = 0.0;
  int mh_blocks = 0;
  for (const std::size_t j : order) {
    if (p.conditional[j]) {
      p.conditional[j]->forward(p.feed, chain.rng());
      store(p.conditional[j]->output(0), p.current_values[j]);
      continue;
    }
    // Metropolis–Hastings on block j, the others fixed.
    ++mh_blocks;
    p.propose[j]->forward(p.feed, chain.rng());
    p.proposed_values[j] = p.propose[j]->output(0);
    if (!latent()[j].latent.support().set().contains_all(p.proposed_values[j])) continue;
    p.log_q[j]->forward(p.feed, chain.rng());
    const double log_q_forward = p.log_q[j]->output(0)(0, 0);
    const double log_q_reverse = p.log_q[j]->output(1)(0, 0);
    const double log_p_now = log_joint(*p.joint, p.feed, chain.rng());
    const Matrix previous = p.current_values[j];
    store(p.proposed_values[j], p.current_values[j]);
    const double log_p_proposed = log_joint(*p.joint, p.feed, chain.rng());
    const double log_ratio = log_p_proposed + log_q_reverse - log_p_now - log_q_forward;
    const double accept = std::isnan(log_ratio) ? 0.0 : std::min(1.0, std::exp(log_ratio));
    accept_sum += accept;
    if (!(boost::random::uniform_01<double>()(chain.rng().engine()) < accept)) {
      store(previous, p.current_values[j]);
    }
  }
  // The driver's state from the values. A value on the boundary of its support (a Gamma draw
  // that underflowed to 0) has no unconstrained point: that latent's state stays (an event of
  // probability ~1e-300).
  Index at = 0;
  for (std::size_t j = 0; j < n; ++j) {
    const Matrix& value = p.current_values[j];
    const Support support = latent()[j].latent.support();
    const Shape state =
        support.is_discrete() ? shape_of(value) : unconstrained_shape(support, shape_of(value));
    auto target = u.segment(at, state.rows * state.cols);
    at += state.rows * state.cols;
    if (support.is_discrete()) {
      target = Eigen::Map<const Eigen::VectorXd>(value.data(), value.size());
      continue;
    }
    try {
      const Matrix uj = unconstrain(support, value);
      if (uj.allFinite()) target = Eigen::Map<const Eigen::VectorXd>(uj.data(), uj.size());
    } catch (const ed::invalid_argument&) {
    }
  }
  return mh_blocks > 0 ? accept_sum / mh_blocks : 1.0;
}

void Gibbs::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("rejections");
  if (!proposals_.empty()) {
    report_acceptance("narrow the proposals: almost every move is rejected",
                      "widen the proposals: moves this small explore slowly");
  }
}

}  // namespace ed
