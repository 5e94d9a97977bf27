// MonteCarlo: algorithms that produce draws of the latent variables (Edward's ed.MonteCarlo):
// the base of NUTS, HMC, Metropolis–Hastings and SGLD.
#pragma once

#include "edpp/core/fwd.hpp"  // Eigen, with GCC 12's AVX-512 warnings silenced

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/inference.hpp"

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
/// A second run() continues every chain: n_iter more kept draws each, no second warm-up (the
/// adapted step size and metric stay); initialize() again starts afresh.
///
/// What every Monte Carlo algorithm takes from its options, read by name by monte_carlo_common
/// (options written once: an options struct that lacks one of these does not compile).
struct MonteCarloCommon {
  /// common_of(options): its n_iter counts the draws kept per chain, its n_print's default is
  /// (n_warmup + n_iter) / 100.
  CommonOptions common;
  long n_warmup = 0;  ///< updates per chain before the kept ones (not kept)
  int chains = 1;     ///< chains, on threads (or across processes with `distributed`)
};

/// The common fields of any Monte Carlo options struct, by name.
template <class Options>
MonteCarloCommon monte_carlo_common(const Options& o) {
  return {.common = common_of(o), .n_warmup = o.n_warmup, .chains = o.chains};
}

class MonteCarlo : public Inference {
 public:
  ~MonteCarlo() override;

  /// The kept draws of `z` on its constrained scale, chain after chain: row t is a draw,
  /// flattened column-major. @throws ed::invalid_argument when z is not a latent variable.
  Matrix draws(const RandomVariable& z) const;
  /// The kept draws of `z` of one chain.
  Matrix draws(const RandomVariable& z, int chain) const;
  /// The quantities named with ed::deterministic() that depend on this inference's latents,
  /// recorded with every kept draw, in the order they were named.
  const std::vector<std::string>& deterministic_names() const { return deterministic_names_; }
  /// The shape of deterministic quantity i.
  Shape deterministic_shape(std::size_t i) const { return deterministic_shapes_.at(i); }
  /// The kept draws of the deterministic quantity `name`, chain after chain (rows are draws,
  /// flattened column-major), or of one chain. @throws ed::invalid_argument naming the
  /// recorded quantities when `name` is not one.
  Matrix draws(const std::string& name) const;
  Matrix draws(const std::string& name, int chain) const;
  /// Element `element` (column-major) of z's kept draws as iterations × chains: the shape the
  /// diagnostics (rhat, ess_bulk, …) take.
  Matrix draws_by_chain(const RandomVariable& z, Index element) const;
  /// The names of the per-draw sampler diagnostics, as CmdStan's: lp__ (the target's log
  /// density on the unconstrained scale, log |J| included) and accept_stat__ for every sampler,
  /// then the sampler's own (NUTS: stepsize__, treedepth__, n_leapfrog__, divergent__,
  /// energy__).
  std::vector<std::string> sampler_param_names() const;
  /// Those diagnostics for every kept draw of `chain`: iterations × names.
  Matrix sampler_params(int chain) const;
  /// Settings and adaptation as CmdStan writes them in its CSV comments (write_draws_csv):
  /// "key = value" lines of the run's configuration, and the adaptation of `chain`.
  virtual std::vector<std::string> csv_settings() const { return {}; }
  virtual std::vector<std::string> csv_adaptation(int chain) const {
    (void)chain;
    return {};
  }
  /// The kept draws per chain (n_iter of each, warm-up excluded).
  long kept_per_chain() const;
  /// Seconds `chain` spent drawing in warm-up and after it (CmdStan's "Elapsed Time"); this
  /// process's chains only.
  std::pair<double, double> elapsed_seconds(int chain) const;
  /// The mean acceptance probability of the draws so far, over chains (NaN before the first).
  double acceptance_rate() const;
  /// Evaluations of the log density, over this process's chains, that failed inside
  /// trajectories or proposals and were taken as density 0 (Note [Failed evaluations]).
  long failed_evaluations() const;
  /// The dimension of the unconstrained state.
  Index dimension() const;
  /// The chains. With `.distributed`, each process runs chains k with k mod size = rank, and
  /// finalize() (which run() calls) gathers every chain's draws onto every process; before
  /// that, num_chains(), draws() and ed::summary() see this process's chains only.
  int num_chains() const;
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
    /// The target's log density at `u`; −inf where the model's checks fail there or the value
    /// is NaN (Note [Failed evaluations]), never an exception.
    double log_density(const Eigen::VectorXd& u);
    /// The same, with its gradient in `gradient` (sized by the call; zero where the value is
    /// not finite, and a non-finite gradient makes the value −inf).
    double log_density_and_gradient(const Eigen::VectorXd& u, Eigen::VectorXd& gradient);
    /// Evaluations that failed (−inf from a failed check or a non-finite value or gradient).
    long failed_evaluations() const { return failed_evaluations_; }
    /// A draw may say the log density of the state it moved to, saving the base a pass.
    void set_log_density(double value) { log_density_ = value; }
    /// The user's feed of this update, with the positions (for a kernel's own programs).
    const Feed& feed() const { return feed_; }
    /// The state mapped to the latents' own scale: output i of the program returned is latent
    /// i's value at position() (the deterministic quantities follow the latents). The chain
    /// must have latents.
    const Program& values_at_position();
    /// The sampler's own per-draw diagnostics for the draw being made, in the order of
    /// MonteCarlo::sampler_param_names() after lp__ and accept_stat__ (draw() sets them).
    std::vector<double>& sampler_params() { return sampler_params_; }

   private:
    friend class MonteCarlo;
    void set(const Eigen::VectorXd& u);
    double evaluate(const Eigen::VectorXd& u, Eigen::VectorXd* gradient);
    /// Draws the randomly started latents again, uniform on (−2, 2); false when every latent
    /// was given by `init` (or is discrete), so there is nothing to redraw.
    bool redraw_random_start();
    void note_failure(const char* what);
    bool strict_ = false;  // rethrow the model's errors (the starting point)
    long failed_evaluations_ = 0;
    std::string first_failure_;
    int index_ = 0;
    Rng rng_;
    Eigen::VectorXd position_;
    std::unique_ptr<Program> target_, constrained_;
    std::vector<Tensor> placeholders_;
    std::vector<Index> offsets_;
    std::vector<Matrix> values_;      // the fed positions, one per latent
    std::vector<bool> random_start_;  // per latent: started uniform on (−2, 2), not from init
    Feed feed_;                       // the user's feed plus the positions
    std::vector<std::vector<double>> draws_;
    std::vector<double> sampler_params_;  // this draw's, set by draw()
    std::vector<double> sampler_draws_;   // every kept draw's lp__, accept_stat__, params
    double accept_sum_ = 0.0, log_density_ = std::numeric_limits<double>::quiet_NaN();
    double warmup_seconds_ = 0.0, sampling_seconds_ = 0.0;  // time in draw(), as CmdStan's
    long accept_count_ = 0, iteration_ = 0;
  };

  MonteCarlo(std::string name, std::vector<LatentPair> latent, Data data);

  /// Checks the bindings, compiles one target per chain and sets each chain's starting state
  /// (`common.n_iter` counts every update of run(), warm-up included):
  /// `init` entries, else uniform on (−2, 2) on the unconstrained scale (Stan's default; drawn
  /// again, up to 100 times, where the density is not finite there).
  void initialize_monte_carlo(const CommonOptions& common, int chains = 1, long n_warmup = 0);
  /// The same from the fields every Monte Carlo options struct has: checks them (n_iter ≥ 0,
  /// n_warmup ≥ 0, chains ≥ 1, each naming the algorithm and the value) and runs
  /// n_warmup + n_iter updates per chain.
  void initialize_monte_carlo(const MonteCarloCommon& common);

  /// The log density and gradient at the chain's starting point, strictly. As Stan, a random
  /// start where the density is not finite (or the model's checks fail) is drawn again, up to
  /// 100 times; then an error of the model is raised naming the chain, and a non-finite value
  /// names the latents and their starting values (Note [Failed evaluations]).
  double start_chain(Chain& chain, Eigen::VectorXd& gradient);
  /// Prints, when any evaluation failed, how many and the first one's message.
  void report_failed_evaluations(const char* treated_as) const;
  /// Warns when the acceptance rate of the kept draws stayed near 0 (below 0.01) or near 1
  /// (above 0.995), with what to change in each case.
  void report_acceptance(const char* when_low, const char* when_high) const;

  /// The names of the sampler's own per-draw diagnostics (after lp__ and accept_stat__).
  virtual std::vector<std::string> own_sampler_param_names() const { return {}; }
  /// Whether the kernel moves by gradients (NUTS, HMC, SGLD, and MH's starting check). A kernel
  /// that does not (Gibbs) may have discrete latents: their state is their value, unmapped, and
  /// the target is compiled without gradients.
  virtual bool uses_gradients() const { return true; }

  /// Moves `chain` to its next draw and returns the acceptance probability of the move.
  virtual double draw(Chain& chain) = 0;

  long n_warmup() const { return n_warmup_; }
  Chain& chain(int k) { return *chains_[static_cast<std::size_t>(k)]; }

  Info do_update(const Feed& feed) override;
  double do_loss(const Feed& feed) override;
  std::vector<Tensor> state_variables() override { return {}; }
  std::string unsaved_state() const override {
    return "a Monte Carlo run's state is its chains (positions, adapted step sizes and metrics, "
           "draws), which a checkpoint of variables does not hold; write the draws with "
           "ed::write_draws_csv (CmdStan's CSV) and start a new run from them with options.init";
  }

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
    std::vector<double> sampler_draws;       // as Chain::sampler_draws_
    double accept_sum = 0.0;
    long accept_count = 0;
  };
  void build_chains(const CommonOptions& common, int chains, long n_warmup);
  void run_chains(const Feed& feed);
  void gather_chains();
  // The draws of `chain`, for latent i: the gathered record's, or this process's chain's.
  const std::vector<double>& chain_draws(int chain, std::size_t i) const;
  const std::vector<double>& chain_sampler_draws(int chain) const;
  // Record `index` (a latent, then the deterministic quantities) of `chain`, draws × size.
  Matrix record(std::size_t index, Index size, int chain) const;
  Matrix all_chains(std::size_t index, Index size) const;
  std::size_t deterministic_index(const std::string& name) const;
  void step_chain(Chain& c);
  // Note [Training logs]: chain 0's draw, warm-up included, as a row of the log.
  void log_draw(const Chain& c, double accept);
  void prepare_feeds(const Feed& feed);
  std::vector<std::unique_ptr<Chain>> chains_;  // the chains this process runs
  std::vector<ChainRecord> gathered_;           // every chain's, after finalize() with a group
  int total_chains_ = 0;
  std::unique_ptr<Threads> threads_;
  long n_warmup_ = 0;
  Index dimension_ = 0;
  std::vector<std::string> deterministic_names_;  // recorded after the latents
  std::vector<Shape> deterministic_shapes_;
  std::vector<std::string> log_columns_;  // the sampler's own, named for the log (no "__")
};

}  // namespace ed
