// HMC: Edward's ed.HMC — Hamiltonian Monte Carlo with a fixed step size and number of steps.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of HMC::initialize, with Edward's defaults.
struct HMCOptions {
  long n_iter = 1000;       ///< draws kept per chain
  long n_print = 0;         ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;        ///< draws per chain before the kept ones (Edward keeps every draw)
  int chains = 1;           ///< chains, on threads, each with its own random stream
  double step_size = 0.25;  ///< leapfrog step ε (Edward's default)
  int n_steps = 2;          ///< leapfrog steps per draw (Edward's)
  /// Each draw's step is uniform on step_size · [1 − j, 1 + j] (Stan's stepsize_jitter; 0 as
  /// Edward): a fixed step and count can make a periodic orbit of a near-Gaussian target (the
  /// chain then jumps between two points forever), which jitter breaks. In [0, 1).
  double step_size_jitter = 0.0;
  std::optional<std::uint64_t> seed = std::nullopt;           ///< unset: ed::set_seed's sequence
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight
  std::vector<std::pair<RandomVariable, Matrix>> init = {};   ///< starting points of latents
  ProcessGroup* distributed = nullptr;  ///< chains across processes, as NUTS's
  std::string logdir = {};              ///< the training log's folder (empty: none)
};

/// Hamiltonian Monte Carlo (Edward's ed.HMC; Neal 2011): each draw takes `n_steps` leapfrog
/// steps of size `step_size` with a unit metric from a fresh N(0, I) momentum, on every latent's
/// unconstrained scale (log |Jacobian| added), then accepts with probability
/// min(1, exp(H₀ − H₁)). A divergent trajectory (a non-finite energy, or a step where the
/// model's checks fail: Note [Failed evaluations]) is rejected and counted. finalize() warns
/// when acceptance stayed near 0 or 1, with what to change. For tuned
/// step sizes and trajectory lengths use NUTS.
class HMC final : public MonteCarlo {
 public:
  /// @param latent `{{z, qz}, …}` with qz an ed::Empirical (its params receive the draws)
  HMC(std::initializer_list<LatentPair> latent, Data data = {});
  HMC(std::vector<LatentPair> latent, Data data = {});
  /// Latents without an Empirical: read the draws with draws(z).
  explicit HMC(std::vector<RandomVariable> latent, Data data = {});

  /// @throws ed::invalid_argument for step_size ≤ 0, n_steps < 1, step_size_jitter outside
  /// [0, 1), or as MonteCarlo.
  void initialize(HMCOptions options = {});
  /// Writes the draws; warns about failed evaluations and an acceptance near 0 or 1.
  void finalize(const Feed& feed = {}) override;
  std::vector<std::string> csv_settings() const override;

 private:
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }
  std::vector<std::string> own_sampler_param_names() const override;

  /// One chain's state between draws (touched only by that chain's thread).
  struct ChainState {
    Eigen::VectorXd gradient, proposal, proposal_gradient, momentum;
    double log_density = 0.0;
    bool started = false;  // gradient and log_density hold the current state's
  };
  HMCOptions options_;
  std::vector<ChainState> states_;
};

}  // namespace ed
