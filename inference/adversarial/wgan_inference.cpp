// WGANInference: the critic's and generator's Wasserstein losses, and weight clipping.
#include "edpp/inference/adversarial/wgan_inference.hpp"

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed {

WGANInference::WGANInference(std::vector<std::pair<Tensor, Tensor>> data, Discriminator critic)
    : GANInference("WGANInference", {}, {}, std::move(data)), critic_(std::move(critic)) {}

void WGANInference::initialize(WGANOptions o) {
  if (!(std::isfinite(o.clip) && o.clip > 0.0)) {
    throw ed::invalid_argument(algorithm() + ": clip must be positive and finite, got " +
                               std::to_string(o.clip));
  }
  clip_ = o.clip;
  const GANOptions gan = gan_options_of(o);
  initialize_adversarial(common_from(gan), gan);
}

GANInference::Losses WGANInference::build_losses() {
  const auto& [generated, real] = generated_pairs().front();
  const auto [f_real, f_fake] = discriminate_both(
      [this](const std::vector<Tensor>& x) { return critic_(x.front()); }, {real}, {generated});
  Losses losses;
  losses.loss_d = mean(f_fake) - mean(f_real);
  losses.loss = -mean(f_fake);
  losses.discriminator_inputs = {generated, real};
  return losses;
}

void WGANInference::after_discriminator_step(const std::vector<Matrix*>& critic_values) {
  for (Matrix* value : critic_values) *value = value->cwiseMax(-clip_).cwiseMin(clip_);
}

}  // namespace ed
