// ReplicaExchangeMC: Edward's ed.ReplicaExchangeMC — Metropolis–Hastings on tempered copies of
// the target, with swaps between neighbouring temperatures (parallel tempering).
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

/// Settings of ReplicaExchangeMC::initialize.
struct ReplicaExchangeMCOptions {
  long n_iter = 1000;          ///< draws kept per chain (of the replica at inverse temperature 1)
  long n_print = 0;            ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;           ///< updates per chain before the kept ones
  int chains = 1;              ///< chains, on threads, each with its own set of replicas
  double exchange_freq = 0.1;  ///< Edward's: the probability of a round of swaps per update
  std::optional<std::uint64_t> seed = std::nullopt;           ///< unset: ed::set_seed's sequence
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight
  std::vector<std::pair<RandomVariable, Matrix>> init = {};   ///< every replica starts there
  ProcessGroup* distributed = nullptr;                        ///< chains across processes
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// Replica exchange Monte Carlo (Swendsen and Wang 1986; Edward's ed.ReplicaExchangeMC): R
/// replicas of the state, replica r at inverse temperature β_r (β_0 = 1 > β_1 > … > 0), each
/// moving by one Metropolis–Hastings step with the user's proposals on the tempered target
/// p(z, x)^β_r. With probability exchange_freq an update then tries swaps between neighbours,
/// the pairs (0, 1), (2, 3), … or (1, 2), (3, 4), … at random, each accepted with probability
/// min(1, exp((β_i − β_{i+1})(log p(z_{i+1}) − log p(z_i)))). Hot replicas cross the valleys
/// between modes that a single Metropolis–Hastings chain cannot, and swaps hand the crossings
/// down; the draws are those of replica 0, a chain on p itself. Edward tempers the whole MH
/// ratio, proposal densities included; here only the target is tempered, which agrees with
/// Edward's for symmetric proposals and keeps asymmetric ones exact.
class ReplicaExchangeMC final : public MonteCarlo {
 public:
  /// @param latent     `{{z, qz}, …}` with qz an ed::Empirical (or empty approximations)
  /// @param proposals  `{{z, proposal_z}, …}`, one per latent, written in terms of z
  /// @param inverse_temperatures  β_0 = 1 > β_1 > … > 0 (Edward's default: 10^(0, −0.5, …, −2))
  ReplicaExchangeMC(std::vector<LatentPair> latent,
                    std::vector<std::pair<RandomVariable, RandomVariable>> proposals,
                    Data data = {},
                    std::vector<double> inverse_temperatures = {1.0, 0.31622776601683794, 0.1,
                                                                0.031622776601683794, 0.01});
  ~ReplicaExchangeMC() override;

  /// @throws ed::invalid_argument for inverse temperatures that do not start at 1 and fall
  /// strictly towards 0, exchange_freq outside [0, 1], a latent without a proposal, or as
  /// MonteCarlo.
  void initialize(ReplicaExchangeMCOptions options = {});
  /// Writes the draws; warns about failed evaluations and an acceptance near 0 or 1.
  void finalize(const Feed& feed = {}) override;
  /// Swaps accepted over swaps tried, per neighbouring pair (i, i + 1), over this process's
  /// chains.
  std::vector<double> swap_rates() const;

 private:
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }
  std::vector<std::string> own_sampler_param_names() const override { return {"swaps__"}; }

  struct ChainState {
    std::unique_ptr<detail::ProposalMoves> moves;
    std::vector<Eigen::VectorXd> replicas;  // replicas 1 … R − 1 (replica 0 is the position)
    std::vector<double> log_p;              // each replica's log p on the latents' scale
    Eigen::VectorXd proposed;
    std::vector<long> swaps_tried, swaps_accepted;
  };
  // One tempered MH step of `state` (log p on the latents' scale in `log_p`); returns the
  // acceptance probability.
  double step(Chain& chain, ChainState& s, Eigen::VectorXd& state, double& log_p, double beta);

  std::vector<std::pair<RandomVariable, RandomVariable>> proposals_;
  std::vector<double> betas_;
  ReplicaExchangeMCOptions options_;
  std::vector<ChainState> states_;  // per chain
};

}  // namespace ed
