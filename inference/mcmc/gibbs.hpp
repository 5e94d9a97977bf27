// Gibbs: Edward's ed.Gibbs — each latent drawn in turn from its complete conditional.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed {

/// Settings of Gibbs::initialize.
struct GibbsOptions {
  long n_iter = 1000;  ///< sweeps kept per chain
  long n_print = 0;    ///< progress cadence; 0: (n_warmup + n_iter) / 100
  long n_warmup = 0;   ///< sweeps per chain before the kept ones (Edward keeps every sweep)
  int chains = 1;      ///< chains, on threads, each with its own random stream
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Not supported (must stay empty): a complete conditional counts every data term once.
  std::vector<std::pair<RandomVariable, double>> scale = {};
  /// Starting values (default: uniform on (−2, 2) on each latent's unconstrained scale, as the
  /// other samplers; 0 for a discrete latent). The first sweep's first block is drawn given
  /// them.
  std::vector<std::pair<RandomVariable, Matrix>> init = {};
  ProcessGroup* distributed = nullptr;  ///< chains across processes, as NUTS's
  std::string logdir = {};              ///< the training log's folder (empty: none)
  /// The order of the blocks in a sweep: every latent once (default: the order given).
  std::vector<RandomVariable> scan_order = {};
  /// A new random order in every sweep (a random-scan Gibbs sampler) instead of scan_order.
  bool random_scan = false;
};

/// Gibbs sampling (Edward's ed.Gibbs): a sweep draws each latent in turn from its complete
/// conditional given the current values of the others and the data (ed::complete_conditional,
/// within the blanket of the latents and the data), so every block is accepted. A latent given
/// a proposal in `proposals` moves by one Metropolis–Hastings step instead (Metropolis-within-
/// Gibbs): the proposal `ed::Normal(z, 0.5)` is written in terms of z (and may use the other
/// latents), and the move is accepted with the MH probability of the joint density. Discrete
/// latents (a mixture's assignments) are allowed. The driver gives chains, warm-up, seeds,
/// draws and diagnostics; accept_stat__ is the mean acceptance of the sweep's MH blocks (1
/// with none).
class Gibbs final : public MonteCarlo {
 public:
  using Proposals = std::vector<std::pair<RandomVariable, RandomVariable>>;
  /// @param latent     `{{z, qz}, …}` with qz an ed::Empirical (or empty approximations)
  /// @param proposals  `{{z, proposal_z}, …}` for the latents drawn by Metropolis–Hastings
  Gibbs(std::initializer_list<LatentPair> latent, Data data = {}, Proposals proposals = {});
  Gibbs(std::vector<LatentPair> latent, Data data = {}, Proposals proposals = {});
  explicit Gibbs(std::vector<RandomVariable> latent, Data data = {}, Proposals proposals = {});
  ~Gibbs() override;

  /// Builds each chain's conditionals. @throws ed::invalid_argument for a latent without a
  /// conjugate conditional and no proposal (naming why), a factor on a latent without a
  /// proposal, `scale`, a scan order that is not every latent once, or as MonteCarlo.
  void initialize(GibbsOptions options = {});
  /// Writes the draws; warns about failed evaluations and MH blocks that never move.
  void finalize(const Feed& feed = {}) override;

 private:
  struct Programs;
  std::unique_ptr<Programs> build_programs() const;
  double draw(Chain& chain) override;
  bool uses_gradients() const override { return false; }
  void initialize_with_defaults() override { initialize(); }

  Proposals proposals_;
  std::vector<const RandomVariable*> proposal_of_;  // per latent: its proposal, or null
  GibbsOptions options_;
  std::vector<std::size_t> scan_;                    // latent indices in sweep order
  std::vector<std::unique_ptr<Programs>> programs_;  // per chain
};

}  // namespace ed
