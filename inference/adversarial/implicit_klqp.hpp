// ImplicitKLqp: Edward's ed.ImplicitKLqp — variational inference for hierarchical implicit
// models, with a ratio estimator in place of the densities of p(x, z | β) and q(z | β).
#pragma once

#include "edpp/inference/adversarial/gan_inference.hpp"

namespace ed {

/// A ratio estimator: an estimate of log p(xₙ, zₙ | β) − log q(xₙ, zₙ | β), one row per data
/// row n, from the data variables' rows `x`, the local latents' rows `z` (each in the order of
/// the bindings) and the global latents' values `beta` (whole, for every row). Written with
/// ed::dense; called once on both halves stacked (Note [One discriminator call]).
using RatioEstimator = std::function<Tensor(
    const std::vector<Tensor>& x, const std::vector<Tensor>& z, const std::vector<Tensor>& beta)>;

/// Settings of ImplicitKLqp::initialize.
struct ImplicitKLqpOptions {
  AnyOptimizer optimizer = Adam(1e-2);    ///< q's (and the model's trainable variables')
  AnyOptimizer optimizer_d = Adam(1e-2);  ///< the ratio estimator's
  long n_iter = 1000;
  long n_print = 0;
  std::optional<std::uint64_t> seed = std::nullopt;
  /// The data variable's weight of the ratio term (N / M on minibatches); one value for all.
  std::vector<std::pair<RandomVariable, double>> scale = {};
  int discriminator_steps = 1;  ///< estimator steps per update
  std::vector<Tensor> var_list = {};
  std::string logdir = {};
};

/// Hierarchical implicit models' variational inference (Tran, Ranganath and Blei 2017): global
/// latents β with densities, local latents zₙ and data xₙ whose densities need not exist. Each
/// step draws β' ~ q(β), a model draw (z'ₙ ~ p(z | β'), x'ₙ ~ p(x | z'ₙ, β')) and q's draw
/// (xₙ the data, zₙ ~ q(z | xₙ, β')). The estimator r learns to tell them apart (logistic loss,
/// model draws labelled 1), so at its optimum r = log p(xₙ, zₙ | β) − log q(xₙ, zₙ | β); q then
/// minimises −(Σ log p(β') − Σ log q(β') + scale · Σₙ r(xₙ, zₙ, β')), the negative ELBO with
/// the local densities replaced by the estimate. Edward draws x' given q's zₙ; here x' is
/// drawn with the model's own z'ₙ, as the paper's joint p(xₙ, zₙ | β) requires.
class ImplicitKLqp final : public GANInference {
 public:
  /// @param latent  every latent with its approximation (q(β) with a density; q(z | x, β) may
  ///   be implicit: only draws are used)
  /// @param global  the latents of `latent` that are global (β); the rest are local (one row
  ///   per data row)
  ImplicitKLqp(std::vector<LatentPair> latent, Data data, RatioEstimator discriminator,
               std::vector<RandomVariable> global = {});

  /// @throws ed::invalid_argument for a latent without approximation, a global that is not
  /// latent, scale entries with different values, and as GANInference::initialize.
  void initialize(ImplicitKLqpOptions options = {});

 private:
  Losses build_losses() override;
  void initialize_with_defaults() override { initialize(); }
  bool is_global(const RandomVariable& z) const;

  RatioEstimator discriminator_;
  std::vector<RandomVariable> global_;
  double scale_ = 1.0;
};

}  // namespace ed
