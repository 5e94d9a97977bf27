// BiGANInference: the pair discriminator's losses over (x, E(x)) and (G(z), z).
#include "edpp/inference/adversarial/bigan_inference.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed {

BiGANInference::BiGANInference(std::vector<std::pair<Tensor, Tensor>> latent,
                               std::vector<std::pair<Tensor, Tensor>> data,
                               PairDiscriminator discriminator)
    : GANInference("BiGANInference", {}, {}, std::move(data)),
      codes_(std::move(latent)),
      discriminator_(std::move(discriminator)) {}

void BiGANInference::initialize(GANOptions options) {
  if (codes_.size() != 1) {
    throw ed::invalid_argument(algorithm() +
                               ": latent must bind the generator's code to the encoder's: "
                               "{{z, z_encoded}}, got " +
                               std::to_string(codes_.size()) + " bindings");
  }
  const auto& [z, encoded] = codes_.front();
  if (!z || !encoded || z.shape().cols != encoded.shape().cols) {
    throw ed::invalid_argument(
        algorithm() + ": the code z and the encoder's z_encoded must have the same columns, got " +
        (z ? to_string(z.shape()) : std::string("none")) + " and " +
        (encoded ? to_string(encoded.shape()) : std::string("none")));
  }
  initialize_adversarial(common_from(options), options);
}

GANInference::Losses BiGANInference::build_losses() {
  const auto& [generated, real] = generated_pairs().front();
  const auto& [z, encoded] = codes_.front();
  const auto [d_real, d_fake] = discriminate_both(
      [this](const std::vector<Tensor>& xz) { return discriminator_(xz[0], xz[1]); },
      {real, encoded}, {generated, z});
  Losses losses;
  losses.loss_d = mean(softplus(-d_real)) + mean(softplus(d_fake));
  losses.loss = mean(softplus(d_real)) + mean(softplus(-d_fake));
  losses.discriminator_inputs = {real, encoded, generated, z};
  return losses;
}

}  // namespace ed
