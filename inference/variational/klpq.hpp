// KLpq: Edward's variational inference by minimising the inclusive KL(p ‖ q).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/variational/variational.hpp"

namespace ed {

/// Settings of KLpq::initialize.
struct KLpqOptions {
  AnyOptimizer optimizer = edward_adam();  ///< Edward's default: Adam(0.1·0.9^⌊t/100⌋)
  long n_iter = 1000;                      ///< iterations of run()
  long n_print = 0;                        ///< progress cadence of run(); 0: n_iter / 100
  int n_samples = 10;                      ///< draws of q per step (importance samples)
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Per data variable weight of its log-likelihood (N/M for minibatches of M out of N).
  std::vector<std::pair<RandomVariable, double>> scale = {};
  std::vector<std::pair<RandomVariable, Matrix>> init = {};  ///< not used: set q's variables
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  int threads = 1;                    ///< the weights are global: KLpq runs on one thread
  ProcessGroup* distributed = nullptr;  ///< not supported (the weights are global)
  std::string logdir = {};              ///< the training log's folder (empty: none)
};

/// Variational inference with the inclusive divergence KL(p ‖ q) (Edward's ed.KLpq; Minka's
/// expectation propagation objective). Its gradient in q's parameters, −E_p[∇ log q(z)], is
/// estimated by self-normalised importance sampling with q as the proposal: for S draws
/// z_s ~ q, log w_s = log p(x, z_s) − log q(z_s) and w̄ = softmax(log w), the optimizer follows
///   −Σ_s w̄_s ∇ log q(z_s)   (w̄ and z_s held constant),
/// and the model's own variables (variational EM) follow Σ_s w̄_s ∇ log p(x, z_s), the
/// importance-sampled gradient of log p(x). The loss reported is −log((1/S) Σ_s w_s), the
/// importance-sampled estimate of −log p(x): it falls towards −log p(x) as q covers p.
///
/// Because it penalises q for missing mass where p has it, KLpq's q covers every mode of a
/// multimodal posterior (a Normal q on two separated modes sits between them, wide enough for
/// both), where KLqp's q locks onto one. q needs full support over the posterior for the weights
/// to be sound: a q narrower than p gives weights dominated by few draws (raise n_samples).
class KLpq final : public VariationalInference {
 public:
  /// @param latent  `{{z, qz}, …}`: each latent with its variational family (required)
  KLpq(std::vector<LatentPair> latent, Data data = {});
  KLpq(std::initializer_list<LatentPair> latent, Data data = {});

  /// @throws ed::invalid_argument for a latent without q, a q of another shape or support,
  /// n_samples < 1, threads > 1, or a group.
  void initialize(KLpqOptions options = {});

 private:
  Loss build_loss_and_gradients() override;
  void initialize_with_defaults() override { initialize(); }

  KLpqOptions options_;
};

}  // namespace ed
