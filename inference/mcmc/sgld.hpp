// SGLD: Edward's ed.SGLD — stochastic gradient Langevin dynamics for minibatches.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of SGLD::initialize, with Edward's defaults.
struct SGLDOptions {
  long n_iter = 1000;       ///< draws kept per chain
  long n_print = 0;         ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;        ///< updates per chain before the kept ones (Edward keeps every one)
  int chains = 1;           ///< chains, on threads, each with its own random stream
  double step_size = 0.25;  ///< ε₀ of the decaying schedule (Edward's)
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Per data variable weight of its log-likelihood: N/M for minibatches of M out of N.
  std::vector<std::pair<RandomVariable, double>> scale = {};
  std::vector<std::pair<RandomVariable, Matrix>> init = {};  ///< starting points of latents
  ProcessGroup* distributed = nullptr;                       ///< chains across processes, as NUTS's
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// Stochastic gradient Langevin dynamics (Welling and Teh 2011; Edward's ed.SGLD): each update
/// moves the state by ε_t/2 · ∇ log p(z, x_batch) (the batch's log-likelihood weighted by
/// `scale`) plus N(0, ε_t) noise, with ε_t = step_size / (1 + t)^0.55, and keeps every move
/// (no Metropolis correction; acceptance is reported as 1) except one to where the density is
/// 0 or undefined, which is rejected and counted (failed_evaluations()). Feed a new minibatch on
/// every update(). Latents move on their unconstrained scale with the log |Jacobian| added.
class SGLD final : public MonteCarlo {
 public:
  SGLD(std::initializer_list<LatentPair> latent, Data data = {});
  SGLD(std::vector<LatentPair> latent, Data data = {});
  explicit SGLD(std::vector<RandomVariable> latent, Data data = {});

  /// @throws ed::invalid_argument for step_size ≤ 0, or as MonteCarlo.
  void initialize(SGLDOptions options = {});

 private:
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }

  struct ChainState {
    Eigen::VectorXd gradient, proposal;
  };
  SGLDOptions options_;
  std::vector<ChainState> states_;  // one per chain, touched only by its thread
};

}  // namespace ed
