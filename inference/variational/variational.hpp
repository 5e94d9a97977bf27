// VariationalInference: algorithms that minimise a loss by gradient steps (Edward's
// ed.VariationalInference): MAP, and the KLqp family and Laplace on top of it.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/inference.hpp"
#include "edpp/optim/optimizers.hpp"

namespace ed {

/// The optimiser side of a variational algorithm's options.
struct OptimizerOptions {
  AnyOptimizer optimizer = edward_adam();  ///< Edward's default: Adam(0.1·0.9^⌊t/100⌋)
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  /// Threads for update(): with more than one, the batch's rows are split into blocks that run
  /// in parallel when the loss allows it (Note [Row sharding]); threading() says what happens.
  int threads = 1;
};

/// The optimiser fields every variational options struct has (MapOptions, KLqpOptions,
/// LaplaceOptions), read by name as common_of() reads the others.
template <class Options>
OptimizerOptions variational_optimizer(const Options& o) {
  return {.optimizer = o.optimizer,
          .clip_norm = o.clip_norm,
          .var_list = o.var_list,
          .threads = o.threads};
}

/// A loss minimised by an optimizer. A subclass says only how its loss is built (Edward's
/// build_loss_and_gradients; the gradients come from reverse mode). This class compiles it
/// (once with gradients, once without, so train and test batches keep their own buffers),
/// splits it over threads and processes, checks every loss and gradient for non-finite values
/// (naming the iteration and the first non-finite node), clips, and steps.
///
/// Note [Loss as terms]: an algorithm returns its loss as weighted data terms and global terms,
///   loss = −( Σ_data w·Σ_rows term + Σ_global term ),
/// and this class derives both splits from that one description: threads run the data terms on
/// blocks of rows with the global terms once (Note [Row sharding]); processes each sum their
/// shard's data terms, with the global terms weighted 1 on rank 0 and 0 elsewhere, so every
/// rank compiles the same graph and draws the same numbers (Note [Data parallelism]). So MAP,
/// the KLqp family and Laplace all get threads and processes without code of their own. A loss
/// that draws (KLqp's reparameterised estimators) runs on threads that each start from a copy
/// of the step's random state and draw every own_draws value first, in one order: each sees
/// the same draw, and the summed gradients are those of the whole batch.
class VariationalInference : public Inference {
 public:
  /// Every trained variable (the algorithm's parameters and the graph's variables).
  std::vector<Tensor> variables();
  /// How update() runs: "1 thread", "2 threads (rows split in blocks)", or "1 thread: <why>";
  /// with a group, prefixed by "4 processes, ".
  std::string threading();

 protected:
  VariationalInference(std::string name, std::vector<LatentPair> latent, Data data);
  ~VariationalInference() override;

  /// What an algorithm's loss is made of (Note [Loss as terms]).
  struct Loss {
    /// Log densities over the data's rows, each elementwise with its weight (scale, 1/samples):
    /// the loss holds −w·Σ term. Threads split their rows (Note [Row sharding]); each process
    /// of a group holds its shard of them (Note [Data parallelism]).
    std::vector<std::pair<Tensor, double>> data_terms;
    /// 1×1 terms counted once (priors, entropies, KL terms, log Jacobians): the loss holds −term.
    std::vector<Tensor> global_terms;
    /// Set only by an algorithm whose loss is not such a sum (score-function estimators, whose
    /// learning signals are global): the 1×1 loss, which then runs whole, on one thread and
    /// one process. Otherwise the base builds it from the terms.
    Tensor loss;
    /// When set, the 1×1 objective whose gradient the optimizer follows instead of loss's (a
    /// score-function surrogate); its value is not reported.
    Tensor surrogate;
    /// 1×1 values read after every step and handed to after_step() (a baseline's signal).
    std::vector<Tensor> monitors;
    /// 1×1 quantities for the training log (Note [Training logs]), by name ("kl"): computed by
    /// the same pass as the loss, so logging draws nothing more. Not logged when the rows are
    /// split over threads (no whole-batch program then).
    std::vector<std::pair<const char*, Tensor>> logged;
    /// Variables of the loss that the optimizer must not touch (a baseline's state).
    std::vector<Tensor> untrained;
    Substitutions substitutions;          ///< the programs are compiled with these
    Substitutions session_substitutions;  ///< what session() fetches see (latents as fitted)
    /// The algorithm's own random variables (draws of q) that the loss may reach: every random
    /// number the loss uses is drawn in them, so threads that see the same draws agree.
    std::vector<Tensor> own_draws;
  };
  /// Edward's build_loss_and_gradients: called by initialize_variational, after the bindings
  /// were checked; may create the algorithm's variables (point masses, variational parameters).
  virtual Loss build_loss_and_gradients() = 0;

  void initialize_variational(const CommonOptions& common, const OptimizerOptions& optimizer);
  /// The same from an options struct's fields, by name (options written once).
  template <class Options>
  void initialize_variational(const Options& o) {
    initialize_variational(common_of(o), variational_optimizer(o));
  }
  /// The loss this process minimises, as compiled (after the group's weighting), and the
  /// substitutions it is compiled with: for a second look at it (Laplace's Hessian).
  const Tensor& objective() const;
  const Substitutions& objective_substitutions() const;
  /// Called after every step with the values of Loss::monitors at the step's state.
  virtual void after_step(const std::vector<double>& monitors) { (void)monitors; }

  Info do_update(const Feed& feed) override;
  double do_loss(const Feed& feed) override;
  std::vector<Tensor> state_variables() override;
  void after_load() override;

 private:
  // initialize_variational's work on this process alone.
  void build_state(const CommonOptions& common, const OptimizerOptions& optimizer);
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ed
