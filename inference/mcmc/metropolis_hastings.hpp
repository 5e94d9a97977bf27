// MetropolisHastings: Edward's ed.MetropolisHastings with user proposals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

namespace detail {
class ProposalMoves;
}

/// Settings of MetropolisHastings::initialize.
struct MetropolisHastingsOptions {
  long n_iter = 1000;  ///< draws kept per chain
  long n_print = 0;    ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;   ///< draws per chain before the kept ones (Edward keeps every draw)
  int chains = 1;      ///< chains, on threads, each with its own random stream
  std::optional<std::uint64_t> seed = std::nullopt;           ///< unset: ed::set_seed's sequence
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight
  std::vector<std::pair<RandomVariable, Matrix>> init = {};   ///< starting points of latents
  ProcessGroup* distributed = nullptr;  ///< chains across processes, as NUTS's
  std::string logdir = {};              ///< the training log's folder (empty: none)
};

/// Metropolis–Hastings with user proposals (Edward's ed.MetropolisHastings): for each latent z,
/// a random variable `proposal_z` written in terms of z (`ed::Normal(z, 0.5)`) proposes a new
/// value given the current one; the move of every latent at once is accepted with probability
///   min(1, p(z′, x) q(z | z′) / (p(z, x) q(z′ | z))),
/// densities on each latent's own scale. A proposal outside a latent's support is rejected.
class MetropolisHastings final : public MonteCarlo {
 public:
  /// @param latent     `{{z, qz}, …}` with qz an ed::Empirical (or empty approximations)
  /// @param proposals  `{{z, proposal_z}, …}`, one per latent
  MetropolisHastings(std::vector<LatentPair> latent,
                     std::vector<std::pair<RandomVariable, RandomVariable>> proposals,
                     Data data = {});
  ~MetropolisHastings() override;

  /// @throws ed::invalid_argument for a latent without a proposal (or a proposal for a
  /// variable that is not latent), or as MonteCarlo.
  void initialize(MetropolisHastingsOptions options = {});
  /// Writes the draws; warns about failed evaluations and an acceptance near 0 or 1.
  void finalize(const Feed& feed = {}) override;

 private:
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }

  std::vector<std::pair<RandomVariable, RandomVariable>> proposals_;
  std::vector<std::unique_ptr<detail::ProposalMoves>> programs_;  // per chain
  std::vector<Eigen::VectorXd> proposed_;                         // per chain: the proposed state
};

}  // namespace ed
