// MonteCarlo: algorithms that produce draws of the latent variables (Edward's ed.MonteCarlo):
// the base of NUTS, HMC, Metropolis–Hastings and SGLD.
#pragma once

#include <Eigen/Core>

#include <limits>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "inference/inference.hpp"

namespace ed {

/// Draws of the latent variables from the posterior, on one or more chains. A subclass says
/// only how one draw is made (`draw`), moving a chain's state — every latent on its
/// unconstrained scale, stacked column-major into one vector — with the help of the target's
/// log density and gradient:
///   log p(z(u), x) + Σ log |det ∂z/∂u|,
/// the model's log joint at the constrained values plus the log Jacobian of each latent's
/// bijector (so the draws of u, mapped by the bijectors, are draws of z).
///
/// Note [Chains]: each chain owns its compiled target (the positions enter as placeholders, so
/// chains share no mutable graph state), its random stream (split from the inference's seed)
/// and its draws; with several chains update() runs them on threads, one draw each. Draws made
/// in the first `n_warmup` updates are not kept. The base records each kept draw on the
/// constrained scale and writes them into each latent's `Empirical` when one is given
/// (`{{z, qz}}`): row c·n_iter + t of its params is draw t of chain c, as soon as the params
/// have that row, and all of them, the variable resized, at finalize() (which run() calls).
class MonteCarlo : public Inference {
 public:
  ~MonteCarlo() override;

  /// The kept draws of `z` on its constrained scale, chain after chain: row t is a draw,
  /// flattened column-major. @throws ed::invalid_argument when z is not a latent variable.
  Matrix draws(const RandomVariable& z) const;
  /// The kept draws of `z` of one chain.
  Matrix draws(const RandomVariable& z, int chain) const;
  /// Element `element` (column-major) of z's kept draws as iterations × chains: the shape the
  /// diagnostics (rhat, ess_bulk, …) take.
  Matrix draws_by_chain(const RandomVariable& z, Index element) const;
  /// The mean acceptance probability of the draws so far, over chains (NaN before the first).
  double acceptance_rate() const;
  /// The dimension of the unconstrained state.
  Index dimension() const;
  /// The chains. With `.distributed`, each process runs chains k with k mod size = rank, and
  /// finalize() (which run() calls) gathers every chain's draws onto every process; before
  /// that, num_chains(), draws() and summary() see this process's chains only.
  int num_chains() const;
  /// CmdStan's stansummary: one row per scalar of every latent (on its own scale) with mean,
  /// sd, 5%, 50% and 95% quantiles, MCSE of the mean, bulk and tail ESS and R̂, computed over
  /// the kept draws of all chains. Rows are named `names[i]` (default "z<i>") with the
  /// element's index: "mu", "theta[3]", "W[1, 2]".
  std::string summary(const std::vector<std::string>& names = {}) const;
  /// n_iter updates (warm-up included); with several chains each chain runs all of its updates
  /// on its own thread, with no hand-over between draws (the draws are the same as update()'s,
  /// chain by chain: each chain has its own stream). The progress bar follows chain 0.
  void run(const Feed& feed = {}) override;
  /// Writes every kept draw into the latents' Empirical approximations.
  void finalize(const Feed& feed = {}) override;

 protected:
  /// One chain: its position, its random stream and its own compiled target.
  class Chain {
   public:
    int index() const { return index_; }
    /// The current state (unconstrained, stacked).
    Eigen::VectorXd& position() { return position_; }
    Rng& rng() { return rng_; }
    /// Updates made on this chain, warm-up included.
    long iteration() const { return iteration_; }
    /// The target's log density at `u`.
    double log_density(const Eigen::VectorXd& u);
    /// The same, with its gradient in `gradient` (sized by the call).
    double log_density_and_gradient(const Eigen::VectorXd& u, Eigen::VectorXd& gradient);
    /// A draw may say the log density of the state it moved to, saving the base a pass.
    void set_log_density(double value) { log_density_ = value; }
    /// Counters a sampler reports after the run (divergences, saturated trees).
    long divergences = 0, max_treedepth_hits = 0;

   private:
    friend class MonteCarlo;
    void set(const Eigen::VectorXd& u);
    int index_ = 0;
    Rng rng_;
    Eigen::VectorXd position_;
    std::unique_ptr<Program> target_, constrained_;
    std::vector<Tensor> placeholders_;
    std::vector<Index> offsets_;
    std::vector<Matrix> values_;  // the fed positions, one per latent
    Feed feed_;                   // the user's feed plus the positions
    std::vector<std::vector<double>> draws_;
    double accept_sum_ = 0.0, log_density_ = std::numeric_limits<double>::quiet_NaN();
    long accept_count_ = 0, iteration_ = 0;
  };

  MonteCarlo(std::string name, std::vector<LatentPair> latent, Data data);

  /// Checks the bindings, compiles one target per chain and sets each chain's starting state
  /// (`common.n_iter` counts every update of run(), warm-up included):
  /// `init` entries, else uniform on (−2, 2) on the unconstrained scale (Stan's default).
  void initialize_monte_carlo(const CommonOptions& common, int chains = 1, long n_warmup = 0);

  /// Moves `chain` to its next draw and returns the acceptance probability of the move.
  virtual double draw(Chain& chain) = 0;

  long n_warmup() const { return n_warmup_; }
  Chain& chain(int k) { return *chains_[static_cast<std::size_t>(k)]; }

  Info do_update(const Feed& feed) override;
  double do_loss(const Feed& feed) override;
  std::vector<Tensor> state_variables() override { return {}; }

  /// Across processes (Note [Data parallelism]), what a sampler adds to a chain's record when
  /// the draws are gathered (its counters and adaptation), and takes back on every process for
  /// the chains run elsewhere.
  virtual std::vector<double> chain_report(const Chain& chain) const {
    (void)chain;
    return {};
  }
  virtual void receive_chain_report(int chain, std::span<const double> report) {
    (void)chain;
    (void)report;
  }

 private:
  struct Threads;
  // One chain's kept draws and acceptance, as gathered from the process that ran it.
  struct ChainRecord {
    std::vector<std::vector<double>> draws;  // [latent]
    double accept_sum = 0.0;
    long accept_count = 0;
  };
  void build_chains(const CommonOptions& common, int chains, long n_warmup);
  void run_chains(const Feed& feed);
  void gather_chains();
  // The draws of `chain`, for latent i: the gathered record's, or this process's chain's.
  const std::vector<double>& chain_draws(int chain, std::size_t i) const;
  void step_chain(Chain& c);
  void prepare_feeds(const Feed& feed);
  std::vector<std::unique_ptr<Chain>> chains_;  // the chains this process runs
  std::vector<ChainRecord> gathered_;           // every chain's, after finalize() with a group
  int total_chains_ = 0;
  std::unique_ptr<Threads> threads_;
  long n_warmup_ = 0;
  Index dimension_ = 0;
};

}  // namespace ed
