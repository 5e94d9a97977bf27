// BiGANInference: Edward's ed.BiGANInference — a generator and an encoder trained together
// against a discriminator of (x, z) pairs.
#pragma once

#include "edpp/inference/adversarial/gan_inference.hpp"

namespace ed {

/// A discriminator of pairs: logits, one row per row of x and z (written with ed::dense, e.g. on
/// concat({x, z}, 1)); called once on both halves stacked (Note [One discriminator call]).
using PairDiscriminator = std::function<Tensor(const Tensor& x, const Tensor& z)>;

/// Bidirectional GAN (Donahue, Krähenbühl and Darrell 2017; Dumoulin et al. 2017's ALI): the
/// discriminator tells real pairs (x, E(x)) from generated ones (G(z), z); it minimises
/// −mean log σ(d(x, E(x))) − mean log(1 − σ(d(G(z), z))), and the generator and encoder
/// together minimise the same cross-entropies with the labels swapped. At the optimum E
/// inverts G.
class BiGANInference final : public GANInference {
 public:
  /// @param latent  `{{z, z_encoded}}`: the generator's latent draw z (a random variable's
  ///   value: a fresh draw each step) and the encoder's code of the real data
  /// @param data    `{{x_generated, x_real}}`: G(z) and the real data
  BiGANInference(std::vector<std::pair<Tensor, Tensor>> latent,
                 std::vector<std::pair<Tensor, Tensor>> data, PairDiscriminator discriminator);

  /// @throws ed::invalid_argument for a latent binding that is not one pair of one shape, and as
  /// GANInference::initialize.
  void initialize(GANOptions options = {});

 private:
  Losses build_losses() override;
  void initialize_with_defaults() override { initialize(); }

  std::vector<std::pair<Tensor, Tensor>> codes_;
  PairDiscriminator discriminator_;
};

}  // namespace ed
