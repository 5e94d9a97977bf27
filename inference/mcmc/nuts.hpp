// NUTS: Stan's No-U-Turn sampler with windowed warm-up adaptation.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/adaptation.hpp"
#include "edpp/inference/mcmc/metric.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of NUTS::initialize, with Stan's defaults.
struct NUTSOptions {
  long n_iter = 1000;    ///< draws kept per chain
  long n_print = 0;      ///< progress cadence of run(); 0: (n_warmup + n_iter) / 100
  long n_warmup = 1000;  ///< warm-up iterations per chain (adaptation; not kept)
  int chains = 4;        ///< chains, run on threads, each with its own random stream
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  double target_accept = 0.8;  ///< dual averaging's target mean acceptance statistic (δ)
  int max_treedepth = 10;      ///< trajectories double at most this many times (at most 30)
  MassMatrix metric =
      MassMatrix::diagonal;  ///< the mass matrix warm-up adapts (Stan's diag_e / dense_e)
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight
  std::vector<std::pair<RandomVariable, Matrix>> init = {};   ///< starting points of latents
  /// Chains across processes: chain k on rank k mod size (each with the stream it has in one
  /// process), every chain's draws gathered onto every process by finalize().
  ProcessGroup* distributed = nullptr;
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// What NUTS reports after a run, as CmdStan does.
struct NUTSDiagnostics {
  long divergences = 0;           ///< post-warm-up transitions that diverged
  long max_treedepth_hits = 0;    ///< post-warm-up transitions that hit max_treedepth
  std::vector<double> ebfmi;      ///< energy Bayesian fraction of missing information per chain
  std::vector<double> step_size;  ///< adapted step size per chain
  std::vector<Matrix> inverse_metric;  ///< adapted M⁻¹ per chain: d × 1 diagonal or d × d dense
  long leapfrog_steps = 0;             ///< gradient evaluations in trajectories, warm-up included
};

/// The No-U-Turn sampler as Stan runs it (Hoffman and Gelman 2014; Betancourt 2017): each draw
/// builds a trajectory by doubling forward or backward at random, samples a point along it
/// multinomially (biased towards the newer half at each doubling), and stops at the
/// generalised no-U-turn criterion (with its checks across the merged subtrees) or at
/// `max_treedepth`; a point whose energy error exceeds 1000 ends the trajectory as a
/// divergence. Warm-up adapts, per chain, a diagonal (or, with `.metric = MassMatrix::dense`, a
/// dense) metric in Stan's windows (75 / 25 doubling / 50 iterations for 1000 warm-up; the
/// (co)variance regularised towards 1e-3 · I) and the
/// step size by dual averaging (δ = target_accept, γ = 0.05, κ = 0.75, t₀ = 10), restarting it
/// after each metric update from a step found by doubling or halving. Latents run on the
/// unconstrained scale with the log |Jacobian| added; each latent's Empirical receives
/// chains × n_iter draws, chain after chain. After run() divergences, saturated trees and an
/// E-BFMI below 0.3 are reported on stderr, as CmdStan does.
class NUTS final : public MonteCarlo {
 public:
  /// @param latent `{{z, qz}, …}` with qz an ed::Empirical (its params receive the draws)
  NUTS(std::initializer_list<LatentPair> latent, Data data = {});
  NUTS(std::vector<LatentPair> latent, Data data = {});
  /// Latents without an Empirical: read the draws with draws(z).
  explicit NUTS(std::vector<RandomVariable> latent, Data data = {});
  ~NUTS() override;

  /// @throws ed::invalid_argument for target_accept outside (0, 1), max_treedepth outside
  /// [1, 30], or as
  /// MonteCarlo (chains < 1, n_warmup < 0, latents that are discrete or of unknown shape).
  void initialize(NUTSOptions options = {});
  /// Divergences, saturated trees, E-BFMI and step sizes so far.
  NUTSDiagnostics diagnostics() const;
  /// Reports problems as CmdStan does (then writes the Empirical draws).
  void finalize(const Feed& feed = {}) override;
  std::vector<std::string> csv_settings() const override;
  std::vector<std::string> csv_adaptation(int chain) const override;

 private:
  struct ChainState;
  struct Point;
  double draw(Chain& chain) override;
  void initialize_with_defaults() override { initialize(); }
  std::vector<std::string> own_sampler_param_names() const override;
  std::vector<double> chain_report(const Chain& chain) const override;
  void receive_chain_report(int chain, std::span<const double> report) override;
  bool build_tree(Chain& chain, ChainState& s, int depth, Point& z, Point& propose,
                  Eigen::VectorXd& p_sharp_begin, Eigen::VectorXd& p_sharp_end,
                  Eigen::VectorXd& rho, Eigen::VectorXd& p_begin, Eigen::VectorXd& p_end, double h0,
                  double sign, long& n_leapfrog, double& log_sum_weight, double& sum_metro_prob);
  void find_step_size(Chain& chain, ChainState& s);
  // draw()'s three parts: the chain's first draw sets it up; a transition builds one
  // trajectory and moves to its sample; warm-up then adapts the step size and metric.
  struct Transition;
  void start(Chain& chain, ChainState& s);
  Transition transition(Chain& chain, ChainState& s);
  void adapt(Chain& chain, ChainState& s, const Transition& t);

  NUTSOptions options_;
  std::vector<ChainState> states_;
};

}  // namespace ed
