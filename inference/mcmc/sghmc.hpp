// SGHMC: Edward's ed.SGHMC — stochastic gradient Hamiltonian Monte Carlo with friction.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of SGHMC::initialize, with Edward's defaults.
struct SGHMCOptions {
  long n_iter = 1000;       ///< draws kept per chain
  long n_print = 0;         ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;        ///< updates per chain before the kept ones (Edward keeps every one)
  int chains = 1;           ///< chains, on threads, each with its own random stream
  double step_size = 0.25;  ///< Edward's: the learning rate η is step_size / 100
  double friction = 0.1;    ///< Edward's: the friction term's constant
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Per data variable weight of its log-likelihood: N/M for minibatches of M out of N.
  std::vector<std::pair<RandomVariable, double>> scale = {};
  std::vector<std::pair<RandomVariable, Matrix>> init = {};  ///< starting points of latents
  ProcessGroup* distributed = nullptr;                       ///< chains across processes
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// Stochastic gradient Hamiltonian Monte Carlo (Chen, Fox and Guestrin 2014, eq. 15, as Edward
/// writes it): with η = step_size / 100 and f = friction, each update moves the state u by the
/// velocity and the velocity by the (minibatch) gradient, friction and noise,
///   u ← u + v,   v ← (1 − f/2) v + η ∇ log p(u, x_batch) + N(0, η f),
/// with the gradient at the state before the move. The friction's noise balances the
/// gradient's, so for small η the states are draws from the posterior; the bias grows with η
/// (in a Gaussian of precision λ the draws' variance is too large by about 1/(1 − 2ηλ/f);
/// tests/inference/mcmc/sghmc_test.cpp checks the recursion's exact stationary variance). No
/// Metropolis correction: acceptance is reported as 1, except a move to where the density is 0 or
/// undefined, which is undone with the velocity reset (failed_evaluations() counts it). Latents
/// move on their unconstrained scale with the log |Jacobian| added.
class SGHMC final : public MonteCarlo {
 public:
  SGHMC(std::initializer_list<LatentPair> latent, Data data = {});
  SGHMC(std::vector<LatentPair> latent, Data data = {});
  explicit SGHMC(std::vector<RandomVariable> latent, Data data = {});

  /// @throws ed::invalid_argument for step_size ≤ 0, friction outside (0, 2), or as
  /// MonteCarlo.
  void initialize(SGHMCOptions options = {});
  /// Writes the draws; warns about failed evaluations.
  void finalize(const Feed& feed = {}) override;

 private:
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }

  struct ChainState {
    Eigen::VectorXd velocity, gradient, previous;
  };
  SGHMCOptions options_;
  std::vector<ChainState> states_;  // one per chain, touched only by its thread
};

}  // namespace ed
