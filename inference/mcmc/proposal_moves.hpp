// User proposals on the latents' own scale, for Metropolis–Hastings and replica exchange.
#pragma once

#include "edpp/core/fwd.hpp"  // Eigen, with GCC 12's AVX-512 warnings silenced

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/inference/inference.hpp"

namespace ed::detail {

/// One chain's compiled proposal moves: the latents from an unconstrained state (with
/// Σ log |J|), a draw of every latent's proposal (a random variable written in terms of the
/// latents, `ed::Normal(z, 0.5)`) given the current values, and the log densities of the move
/// and of its reverse. Each chain has its own: the programs hold the values they are fed.
class ProposalMoves {
 public:
  /// @param proposal_of  for each latent, its proposal
  /// @param algorithm    names the placeholders, and starts every error of a proposal (which
  ///   names the proposal and its latent before the op's own message)
  ProposalMoves(const std::vector<LatentPair>& latent,
                const std::vector<const RandomVariable*>& proposal_of,
                const std::string& algorithm);
  ~ProposalMoves();

  /// Each latent's proposal from `{{z, proposal_z}, …}` (null for a latent without one, when
  /// not `every_latent`). @throws ed::invalid_argument naming `algorithm` for a proposal for a
  /// variable that is not latent, or with `every_latent` a latent without a proposal.
  static std::vector<const RandomVariable*> proposal_of(
      const std::vector<LatentPair>& latent,
      const std::vector<std::pair<RandomVariable, RandomVariable>>& proposals,
      const std::string& algorithm, bool every_latent = true);

  /// Makes the latents at `state` (unconstrained, stacked) the current values; returns
  /// Σ log |det ∂z/∂u| there.
  double load(const Eigen::VectorXd& state, Rng& rng);
  /// Σ log |det ∂z/∂u| at `state`, the current values left as they are.
  double log_jacobian(const Eigen::VectorXd& state, Rng& rng);
  /// Draws every proposal given the current values and writes the proposed state
  /// (unconstrained) into `proposed`; false when a proposal falls outside (or on the boundary
  /// of) its latent's support, where the target density is 0.
  bool propose(Eigen::VectorXd& proposed, Rng& rng);
  /// log q(current | proposed) − log q(proposed | current) for the last proposal.
  double log_hastings(Rng& rng);

 private:
  struct Programs;
  std::unique_ptr<Programs> p_;
  std::string algorithm_;
  std::vector<Support> supports_;
};

}  // namespace ed::detail
