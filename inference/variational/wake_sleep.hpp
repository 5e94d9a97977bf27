// WakeSleep: Edward's ed.WakeSleep — the model fitted on draws of q (wake), q fitted on the
// model's fantasies (sleep).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/variational/variational.hpp"

namespace ed {

/// Settings of WakeSleep::initialize.
struct WakeSleepOptions {
  AnyOptimizer optimizer = Adam(1e-2);               ///< both phases step with it
  long n_iter = 1000;                                ///< iterations of run()
  long n_print = 0;                                  ///< progress cadence of run(); 0: n_iter / 100
  int n_samples = 1;                                 ///< draws of q per step in the wake phase
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Per data variable weight of its log-likelihood in the wake phase.
  std::vector<std::pair<RandomVariable, double>> scale = {};
  std::vector<std::pair<RandomVariable, Matrix>> init = {};  ///< not used: set q's variables
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  int threads = 1;                    ///< one thread (the fantasies are global)
  ProcessGroup* distributed = nullptr;  ///< not supported
  std::string logdir = {};              ///< the training log's folder (empty: none)
};

/// The wake-sleep algorithm (Hinton, Dayan, Frey and Neal 1995), as Edward's ed.WakeSleep with
/// its default sleep phase for q:
///  - wake: z ~ q(z | x) on the data, held constant; the model's variables follow
///    ∇ log p(x, z) (`n_samples` draws, averaged);
///  - sleep: a fantasy (z, x) ~ p drawn from the model itself (each latent's own draw from its
///    prior, each data variable's own draw given them); q's variables follow ∇ log q(z | x)
///    at it, with the data swapped for the fantasy x.
/// So q(z | x) must be built from the very tensor bound to x in `data` (a placeholder, or a
/// Tensor made once from the Matrix), which the sleep phase replaces by the fantasy: an
/// inference network, amortised over x. Edward's sleep phase evaluates q on prior draws of z
/// with the real data in place; here x is the fantasy drawn with z, as in Hinton et al. One
/// fantasy per step. The reported loss is the wake phase's −log p(x, z).
class WakeSleep final : public VariationalInference {
 public:
  /// @param latent  `{{z, qz}, …}`: each latent with its (amortised) approximation
  WakeSleep(std::vector<LatentPair> latent, Data data = {});
  WakeSleep(std::initializer_list<LatentPair> latent, Data data = {});

  /// @throws ed::invalid_argument for a latent without q, n_samples < 1, threads > 1, a group,
  /// or `init`.
  void initialize(WakeSleepOptions options = {});

 private:
  Loss build_loss_and_gradients() override;
  void initialize_with_defaults() override { initialize(); }

  WakeSleepOptions options_;
};

}  // namespace ed
