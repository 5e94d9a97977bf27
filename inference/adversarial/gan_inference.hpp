// GANInference: Edward's ed.GANInference — a generator trained against a discriminator, each
// with its own optimiser; the base of WGANInference, BiGANInference and ImplicitKLqp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/inference.hpp"
#include "edpp/optim/optimizers.hpp"

namespace ed {

/// A discriminator: logits (one row per input row) from a batch of x. Write it with ed::dense;
/// it is called once, on the real and the generated rows stacked, so its layers are made once
/// and shared by both halves (Note [One discriminator call]).
using Discriminator = std::function<Tensor(const Tensor& x)>;

/// Settings of GANInference::initialize (and of WGANInference's, which adds its own).
struct GANOptions {
  AnyOptimizer optimizer = Adam(1e-3);               ///< the generator's (tf.train.AdamOptimizer())
  AnyOptimizer optimizer_d = Adam(1e-3);             ///< the discriminator's
  long n_iter = 1000;                                ///< updates made by run()
  long n_print = 0;                                  ///< progress cadence of run(); 0: n_iter / 100
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Discriminator steps in each update, before the generator's one (Goodfellow et al.'s k).
  int discriminator_steps = 1;
  /// The generator's variables (empty: every variable of its loss that is not the
  /// discriminator's).
  std::vector<Tensor> var_list = {};
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// The GANOptions fields of another adversarial options struct (WGANOptions,
/// ImplicitKLqpOptions), read by name as common_of() reads the common ones.
template <class Options>
GANOptions gan_options_of(const Options& o) {
  return {.optimizer = o.optimizer,
          .optimizer_d = o.optimizer_d,
          .n_iter = o.n_iter,
          .n_print = o.n_print,
          .seed = o.seed,
          .discriminator_steps = o.discriminator_steps,
          .var_list = o.var_list,
          .logdir = o.logdir};
}

/// Note [One discriminator call]: Edward reuses a discriminator's variables by calling it twice
/// in one variable scope. Here the discriminator is called once, on the real rows stacked above
/// the generated ones, and its output is split back by rows; so any function of x built from
/// ed::dense works unchanged, and both halves see the same weights. Each input must have a known
/// row count, and the discriminator must keep rows apart (row i of its output depends on row i
/// of its input only: dense layers and elementwise functions do).
///
/// Note [Adversarial steps]: an update makes `discriminator_steps` steps of the discriminator
/// on its loss, then one step of the generator on its own; each step draws its own noise (the
/// generator's random variables are drawn anew on each evaluation). Edward steps both at once
/// from the same state; alternating is Goodfellow et al.'s algorithm 1, and a step of the
/// discriminator then always sees the generator as it is. update() reports the generator's loss
/// as Info::loss and the discriminator's (before its first step) as Info::loss_d; progress
/// prints both, and the training log has both.
///
/// GANInference (Goodfellow et al. 2014): with logits d of the real rows x and the generated
/// rows g(ε), the discriminator minimises −mean log σ(d(x)) − mean log(1 − σ(d(g(ε)))) and the
/// generator the non-saturating −mean log σ(d(g(ε))).
class GANInference : public Inference {
 public:
  /// @param data  `{{x_generated, x_real}}`: the generator's output (a tensor, drawing from its
  ///   own noise) and the real data (a placeholder or a matrix), of the same shape.
  GANInference(std::vector<std::pair<Tensor, Tensor>> data, Discriminator discriminator);
  ~GANInference() override;

  /// @throws ed::invalid_argument for a data binding that is not one pair of the same known
  /// shape, discriminator_steps < 1, a discriminator without variables, or a var_list entry
  /// that is the discriminator's or not a variable of the generator's loss.
  void initialize(GANOptions options = {});

  /// One discriminator step alone (Edward's update(variables="Disc")), or one generator step
  /// (variables="Gen"): neither counts as an update. Returns the loss before the step.
  double update_discriminator(const Feed& feed = {});
  double update_generator(const Feed& feed = {});

  /// The variables each player trains.
  std::vector<Tensor> generator_variables();
  std::vector<Tensor> discriminator_variables();

 protected:
  GANInference(std::string name, std::vector<LatentPair> latent, Data data,
               std::vector<std::pair<Tensor, Tensor>> generated);

  /// What a subclass's objective is made of.
  struct Losses {
    Tensor loss;    ///< the generator's, 1×1
    Tensor loss_d;  ///< the discriminator's, 1×1
    /// The tensors the discriminator was called on: the variables they reach are the
    /// generator's; the other variables of loss_d are the discriminator's.
    std::vector<Tensor> discriminator_inputs;
    Substitutions substitutions;          ///< both programs are compiled with these
    Substitutions session_substitutions;  ///< what session() fetches see
  };
  virtual Losses build_losses();
  /// After every discriminator step (WGAN's weight clipping).
  virtual void after_discriminator_step(const std::vector<Matrix*>& discriminator_values) {
    (void)discriminator_values;
  }

  /// Checks and builds both players. `common.scale`, `init` and `distributed` are the
  /// subclass's to check or use; GANOptions gives the rest.
  void initialize_adversarial(const CommonOptions& common, const GANOptions& options);
  /// The generated data and real data pairs, as given.
  const std::vector<std::pair<Tensor, Tensor>>& generated_pairs() const { return generated_; }
  /// Logits of `first` then `second` through one call of `discriminate`, split back by rows
  /// (Note [One discriminator call]). @throws ed::invalid_argument naming the algorithm when a
  /// row count is unknown or the output has other rows.
  std::pair<Tensor, Tensor> discriminate_both(
      const std::function<Tensor(const std::vector<Tensor>&)>& discriminate,
      const std::vector<Tensor>& first, const std::vector<Tensor>& second) const;

  Info do_update(const Feed& feed) override;
  double do_loss(const Feed& feed) override;
  std::vector<Tensor> state_variables() override;
  void after_load() override;
  void initialize_with_defaults() override { initialize_adversarial(common_from({}), {}); }
  bool binds_its_own_data() const override { return !generated_.empty(); }
  static CommonOptions common_from(const GANOptions& o);

 private:
  struct Player;
  double step(Player& player, const Feed& feed);
  std::vector<std::pair<Tensor, Tensor>> generated_;
  Discriminator discriminator_;
  int discriminator_steps_ = 1;
  std::unique_ptr<Player> generator_, discriminator_player_;
  std::unique_ptr<Program> eval_;  // the generator's loss, without gradients
};

}  // namespace ed
