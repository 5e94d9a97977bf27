// Inference: the base of every algorithm (Edward's ed.Inference) — bindings and their checks,
// the model's log joint by substitution, the session, seeds, the update loop and progress.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/core/program.hpp"
#include "edpp/core/session.hpp"
#include "edpp/distributions/random_variable.hpp"
#include "edpp/inference/training_log.hpp"
#include "edpp/parallel/process_group.hpp"

namespace ed {

/// One observed variable bound to its data: a placeholder, or a Matrix (bound as a constant).
struct DataBinding {
  DataBinding(RandomVariable variable, Tensor value)
      : variable(std::move(variable)), value(std::move(value)) {}
  RandomVariable variable;
  Tensor value;
};
/// `{{y, y_ph}, {x, x_data}}`.
using Data = std::vector<DataBinding>;

/// A latent variable and what stands for it in the algorithm: a point mass (MAP), a
/// variational family (KLqp), draws (Monte Carlo); empty when the algorithm makes its own.
struct LatentPair {
  RandomVariable latent;
  std::optional<RandomVariable> approximation;
};

namespace detail {
/// Latent variables without approximations, for algorithms that make their own (MAP's point
/// masses, KLqp's guides, the draws of Monte Carlo algorithms read with draws(z)).
std::vector<LatentPair> unpaired(std::vector<RandomVariable> latent);
/// The one binding of criticism's data, {{predictive, observed}} (evaluate, ppc).
/// @throws ed::invalid_argument naming `who` when `data` holds another number of bindings.
const DataBinding& predictive_binding(const Data& data, const char* who);
}  // namespace detail

/// The result of one update: the iteration just done, the loss before its step (variational
/// algorithms; the negative log joint of the current state for Monte Carlo), and the
/// acceptance rate of the draw (Monte Carlo only; NaN otherwise).
struct Info {
  long t = 0;
  double loss = 0.0;
  double accept_rate = std::numeric_limits<double>::quiet_NaN();
  /// The discriminator's loss before its step (adversarial algorithms; NaN otherwise), as
  /// Edward's info_dict["loss_d"]: `loss` is then the generator's.
  double loss_d = std::numeric_limits<double>::quiet_NaN();
};

/// The settings every algorithm shares; each algorithm's options struct carries them (so that
/// designated initialisers name them directly: `{.n_iter = 500, .seed = 1}`).
struct CommonOptions {
  long n_iter = 1000;                                ///< updates made by run()
  long n_print = 0;                                  ///< progress cadence of run(); 0: n_iter / 100
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight (N/M)
  std::vector<std::pair<RandomVariable, Matrix>> init = {};   ///< starting points of latents
  /// The processes this inference runs on (Note [Data parallelism]); null: this one alone.
  ProcessGroup* distributed = nullptr;
  /// Edward's logdir: when set, every update's scalars (loss, and the algorithm's own: step
  /// size, acceptance, gradient norm, ESS so far, …) go to `<logdir>/scalars.csv`
  /// (Note [Training logs]); scripts/plot_log draws them.
  std::string logdir = {};
};

/// The common fields of any algorithm's options struct, read by name: a struct that lacks one
/// does not compile. Designated initialisers cannot name a base class's fields, so each options
/// struct declares them (options written once) and this gathers them.
template <class Options>
CommonOptions common_of(const Options& o) {
  return {.n_iter = o.n_iter,
          .n_print = o.n_print,
          .seed = o.seed,
          .scale = o.scale,
          .init = o.init,
          .distributed = o.distributed,
          .logdir = o.logdir};
}

/// Note [Inference layer]: what every algorithm shares lives here; an algorithm says only how
/// its loss and gradients are built (VariationalInference) or how one draw is made
/// (MonteCarlo). The base
///  - keeps the latent pairs and data bindings and checks them when initialised (a variable
///    bound twice, a latent also bound to data, data of the wrong shape, `scale`/`init` entries
///    for variables that are not data/latent: each an ed::invalid_argument naming it);
///  - builds the model's log joint by substitution (`model_terms`), with every data value
///    behind a check node against its family's support, so a label 5 for 3 classes stops with
///    "Categorical: data 'y'[4, 0] is 5, but must be an integer in [0, 2]";
///  - refuses a model that uses a random variable neither latent nor data (it would be drawn
///    anew on every evaluation), naming its family and shape;
///  - owns the session (seeded once: options, else ed::set_seed's sequence), the iteration
///    counter and the progress bar; update() and loss() before initialize() are errors, run()
///    initialises with defaults first, as Edward's run does.
class Inference {
 public:
  Inference(const Inference&) = delete;
  Inference& operator=(const Inference&) = delete;
  virtual ~Inference();

  /// One step of the algorithm. @throws ed::invalid_argument before initialize();
  /// ed::numerical_error naming the iteration and the first non-finite node.
  Info update(const Feed& feed = {});
  /// The algorithm's loss at its current state, without a step.
  /// @throws ed::invalid_argument before initialize().
  double loss(const Feed& feed = {});
  /// n_iter updates with a progress bar on stderr; initialises with defaults when not yet done.
  virtual void run(const Feed& feed = {});
  /// What run() does after its updates (Edward's finalize): nothing by default; the Laplace
  /// approximation computes its Hessian here.
  virtual void finalize(const Feed& feed = {}) { (void)feed; }
  /// Edward's progress line for `info`, at the cadence n_print.
  void print_progress(const Info& info);
  /// The session whose programs see every latent variable as the algorithm currently holds it.
  /// @throws ed::invalid_argument before initialize().
  Session& session();
  /// The latent variables and their approximations, as given.
  const std::vector<LatentPair>& latent() const { return latent_; }
  /// The data bindings, as given.
  const Data& data() const { return data_; }
  /// Updates done.
  long iteration() const { return t_; }
  bool is_initialized() const { return session_ != nullptr; }
  /// The algorithm's name, as errors start: "MAP".
  const std::string& algorithm() const { return name_; }

  /// Writes the algorithm's state (its trained variables) to `path` atomically.
  /// @throws ed::invalid_argument for an algorithm whose state a checkpoint cannot hold
  /// (Monte Carlo: its chains), saying what to do instead.
  void save(const std::string& path);
  /// Restores the state from `path`; on any error nothing changes.
  void load(const std::string& path);

 protected:
  Inference(std::string name, std::vector<LatentPair> latent, Data data);

  /// The model's log density for given values of the latent variables: one term per latent,
  /// log p(z = value) summed, one per data binding (the elementwise log-likelihood, with its
  /// scale), and the ed::factor() terms that reach a latent. `substitutions` bind each latent's
  /// value node to its value and each data variable to its checked data; `session_substitutions`
  /// only the latents.
  struct ModelTerms {
    std::vector<Tensor> latent_terms;  ///< 1×1 each
    /// The ed::factor() terms that depend on a latent of this inference, summed: 1×1 each.
    std::vector<Tensor> factor_terms;
    std::vector<std::pair<Tensor, double>> data_terms;  ///< elementwise densities, weights
    Substitutions substitutions;
    Substitutions latent_substitutions;
    /// Σ latent terms + Σ factor terms + Σ weight·Σ data term + Σ every element of the
    /// `extra_terms` (a change of variables' log Jacobians): the log joint, as one node.
    /// @throws ed::invalid_argument when there are no latent terms and no data terms.
    Tensor log_joint(const std::vector<Tensor>& extra_terms = {}) const;
  };
  /// −(Σ weight·Σ data term + Σ other term), a total, summed in that order.
  /// @throws ed::invalid_argument when there are no terms (no latent variables and no data).
  static Tensor negated_sum(const std::vector<std::pair<Tensor, double>>& data_terms,
                            const std::vector<Tensor>& other_terms);
  ModelTerms model_terms(const std::vector<Tensor>& latent_values) const;

  /// Checks the bindings and options and makes the session. Algorithms call it first in their
  /// initialize(); calling it again restarts the algorithm (iteration 0, a new session).
  void initialize_inference(const CommonOptions& options);
  /// Whether `outputs` depend on one of this inference's latent variables (how factor terms,
  /// deterministic quantities and data are told to belong to its model).
  bool reaches_a_latent(const std::vector<Tensor>& outputs) const;
  /// Throws, naming the first random variable that `program` reaches, other than the nodes in
  /// `allowed` (the algorithm's own draws), that is neither latent nor data.
  void require_bound(const Program& program, const std::vector<Tensor>& allowed = {}) const;
  /// The seed the session was made with (for the algorithm's own initial values).
  std::uint64_t seed() const { return seed_; }
  /// The group of options.distributed, or null.
  ProcessGroup* group() const { return options_.distributed; }
  /// `options` with, when they name a group, rank 0's seed (its options.seed, else its next seed
  /// of set_seed's sequence) on every process, so that draws made in lockstep agree and each
  /// Monte Carlo chain has the stream it has in a single process. Collective; call it first.
  static CommonOptions with_agreed_seed(const CommonOptions& options);
  const CommonOptions& common_options() const { return options_; }
  /// Throws, naming the algorithm, when `pair` has no approximation or one whose shape differs
  /// from its latent's; `noun` is what the algorithm calls q ("variational family").
  void require_approximation(const LatentPair& pair, const std::string& noun) const;
  /// The latent pair for `z`. @throws ed::invalid_argument naming z when it is not latent.
  const LatentPair& latent_pair(const RandomVariable& z) const;
  void require_initialized(const char* what) const;
  /// run() without its finalize(): n_iter updates with the progress bar.
  /// `updates` (default: options.n_iter) with the bar counting to that number.
  void run_updates(const Feed& feed, long updates = -1);
  /// A new progress bar that counts to `total` updates (print_progress then reports on it).
  void start_progress(long total);
  /// For algorithms that run updates themselves (chains on threads): the counter after them.
  void set_iteration(long t) { t_ = t; }
  /// The training log of options.logdir, or null (Note [Training logs]). Algorithms set their
  /// own scalars in it during an update; update() adds the loss, acceptance and loss_d of its
  /// Info and writes the row, unless the algorithm writes its rows itself (Monte Carlo: one per
  /// draw of chain 0, warm-up included, also when the chains run on threads).
  TrainingLog* training_log() { return log_.get(); }
  void write_log_rows_myself() { update_writes_log_rows_ = false; }

  /// How one update is made (the algorithm's step), its loss, and its saved state.
  virtual Info do_update(const Feed& feed) = 0;
  virtual double do_loss(const Feed& feed) = 0;
  virtual std::vector<Tensor> state_variables() = 0;
  /// Why save() and load() cannot serve this algorithm (empty: they can).
  virtual std::string unsaved_state() const { return {}; }
  /// Called after load() restored the state (optimizers restart their moments).
  virtual void after_load() {}
  /// Whether the algorithm binds its data itself, as tensors rather than random variables
  /// (the GAN family's generated and real data): then no latent and no data binding is right.
  virtual bool binds_its_own_data() const { return false; }
  /// What run() calls when initialize() was not: the algorithm's initialize with its defaults.
  virtual void initialize_with_defaults() = 0;

 private:
  std::string name_;
  std::vector<LatentPair> latent_;
  Data data_;
  CommonOptions options_;
  std::uint64_t seed_ = 0;
  std::unique_ptr<Session> session_;
  long t_ = 0;
  std::unique_ptr<TrainingLog> log_;
  bool update_writes_log_rows_ = true;
  std::unique_ptr<class ProgressBar> bar_;
  long progress_total_ = -1;  // what the bar counts to: this run's updates (-1: n_iter)
};

}  // namespace ed
