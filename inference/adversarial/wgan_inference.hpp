// WGANInference: Edward's ed.WGANInference — a Wasserstein GAN whose critic is kept Lipschitz
// by clipping its weights.
#pragma once

#include "edpp/inference/adversarial/gan_inference.hpp"

namespace ed {

/// Settings of WGANInference::initialize: GANOptions' with Arjovsky et al.'s defaults (five
/// critic steps per generator step) and the clipping bound.
struct WGANOptions {
  AnyOptimizer optimizer = Adam(1e-3);    ///< the generator's
  AnyOptimizer optimizer_d = Adam(1e-3);  ///< the critic's
  long n_iter = 1000;
  long n_print = 0;
  std::optional<std::uint64_t> seed = std::nullopt;
  int discriminator_steps = 5;  ///< critic steps per update (Arjovsky et al.'s n_critic)
  /// After every critic step each of its variables is clipped to [−clip, clip] (> 0).
  double clip = 0.01;
  std::vector<Tensor> var_list = {};
  std::string logdir = {};
};

/// The Wasserstein GAN (Arjovsky, Chintala and Bottou 2017): the critic's outputs f are scores,
/// not logits; it minimises mean f(g(ε)) − mean f(x), a bound on the Wasserstein-1 distance
/// while its weights stay in [−clip, clip], and the generator minimises −mean f(g(ε)).
/// Edward's default is the gradient penalty (Gulrajani et al. 2017), which needs the
/// gradient of the critic as part of the graph; edpp differentiates programs, not graphs, so
/// this class offers the clipping Edward also has.
class WGANInference final : public GANInference {
 public:
  WGANInference(std::vector<std::pair<Tensor, Tensor>> data, Discriminator critic);

  /// @throws ed::invalid_argument for clip ≤ 0 or not finite, and as GANInference::initialize.
  void initialize(WGANOptions options = {});

 private:
  Losses build_losses() override;
  void after_discriminator_step(const std::vector<Matrix*>& critic_values) override;
  void initialize_with_defaults() override { initialize(); }

  Discriminator critic_;
  double clip_ = 0.01;
};

}  // namespace ed
