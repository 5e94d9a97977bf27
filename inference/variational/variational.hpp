// VariationalInference: algorithms that minimise a loss by gradient steps (Edward's
// ed.VariationalInference): MAP, and the KLqp family and Laplace on top of it.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "inference/inference.hpp"
#include "optim/optimizers.hpp"

namespace ed {

/// The optimiser side of a variational algorithm's options.
struct OptimizerOptions {
  AnyOptimizer optimizer = Adam(1e-1);  ///< Edward's default optimizer is Adam(0.1)
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  /// Threads for update(): with more than one, the batch's rows are split into blocks that run
  /// in parallel when the loss allows it (Note [Row sharding]); threading() says what happens.
  int threads = 1;
};

/// A loss minimised by an optimizer. A subclass says only how its loss is built (Edward's
/// build_loss_and_gradients; the gradients come from reverse mode). This class compiles it
/// (once with gradients, once without, so train and test batches keep their own buffers),
/// optionally splits its data terms over threads, checks every loss and gradient for
/// non-finite values (naming the iteration and the first non-finite node), clips, and steps.
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

  /// What an algorithm's loss is made of.
  struct Loss {
    Tensor loss;  ///< 1×1, minimised (what update() and loss() report)
    /// When set, the 1×1 objective whose gradient the optimizer follows instead of loss's (a
    /// score-function surrogate); its value is not reported.
    Tensor surrogate;
    /// 1×1 values read after every step and handed to after_step() (a baseline's signal).
    std::vector<Tensor> monitors;
    /// Variables of the loss that the optimizer must not touch (a baseline's state).
    std::vector<Tensor> untrained;
    Substitutions substitutions;          ///< the programs are compiled with these
    Substitutions session_substitutions;  ///< what session() fetches see (latents as fitted)
    /// The algorithm's own random variables (draws of q) that the loss may reach.
    std::vector<Tensor> own_draws;
    /// For row sharding: the data terms and the rest, whose sum the loss is (negated); leave
    /// empty when the loss is not of that form (it then runs on one thread).
    std::vector<std::pair<Tensor, double>> data_terms;
    std::vector<Tensor> other_terms;
    /// For data parallelism (Note [Data parallelism]): loss = data_part + global_part, where
    /// data_part sums over the rows of the data (a process's shard) and global_part (priors,
    /// entropies) is counted once over the group. Leave unset when the loss does not split so.
    Tensor data_part, global_part;
  };
  /// Edward's build_loss_and_gradients: called by initialize_variational, after the bindings
  /// were checked; may create the algorithm's variables (point masses, variational parameters).
  virtual Loss build_loss_and_gradients() = 0;

  void initialize_variational(const CommonOptions& common, const OptimizerOptions& optimizer);
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
