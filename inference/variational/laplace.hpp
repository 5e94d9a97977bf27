// LaplaceApproximation: Edward's ed.Laplace — a Normal at the mode with the inverse Hessian.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/variational/variational.hpp"
#include "edpp/optim/lbfgs.hpp"

namespace ed {

/// Settings of LaplaceApproximation::initialize. The fields are KLqpOptions' (one options
/// literal fits every variational algorithm); the default optimizer is L-BFGS, since the mode
/// must be found precisely for its Hessian to mean anything.
struct LaplaceOptions {
  AnyOptimizer optimizer = LBFGS();
  long n_iter = 200;  ///< optimizer iterations of run() before the Hessian
  long n_print = 0;   ///< progress cadence of run(); 0: n_iter / 100
  int n_samples = 1;  ///< unused (the Laplace approximation draws nothing): KLqpOptions' field
  std::optional<std::uint64_t> seed = std::nullopt;           ///< unset: ed::set_seed's sequence
  std::vector<std::pair<RandomVariable, double>> scale = {};  ///< per data variable weight
  /// Where the mode search starts, per latent on its constrained scale (written into q's loc).
  std::vector<std::pair<RandomVariable, Matrix>> init = {};
  double clip_norm = 0.0;
  std::vector<Tensor> var_list = {};
  int threads = 1;  ///< the mode search's rows split over threads (Note [Row sharding])
  /// Data parallelism (Note [Data parallelism]): each process holds its shard of the rows; the
  /// mode search and the Hessian sum over the group, so every process writes the same q.
  ProcessGroup* distributed = nullptr;
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// The Laplace approximation (Edward's ed.Laplace; `ed::Laplace` is the distribution). run()
/// finds the mode of the log joint in the means of the q's, then takes the Hessian H of the
/// negative log joint there (central differences of the reverse-mode gradient, symmetrised)
/// and writes its inverse into each q:
///  - `MultivariateNormalTriL` q: scale_tril = the Cholesky factor of its block of H⁻¹;
///  - `Normal` q: scale = the marginal standard deviations sqrt(diag(H⁻¹)). (Edward wrote
///    1/sqrt(diag(H)), which understates them when latents correlate: diag(H)⁻¹ is the
///    conditional variance, diag(H⁻¹) the marginal one.)
/// A q's loc must be a variable; its scale a variable or an elementwise bijection of one
/// (exp(v), softplus(v)), which is inverted. A latent on a constrained support is
/// approximated on its unconstrained scale (log σ for a positive σ), with the log Jacobian in
/// the objective, as Stan's Laplace sampler does: its q then describes the unconstrained value.
class LaplaceApproximation final : public VariationalInference {
 public:
  /// @param latent  `{{z, qz}, …}` with qz a Normal or a MultivariateNormalTriL
  LaplaceApproximation(std::vector<LatentPair> latent, Data data = {});

  /// @throws ed::invalid_argument for a q that is not Normal/MultivariateNormalTriL, whose loc
  /// is not a variable, or whose shape differs from its latent's.
  void initialize(LaplaceOptions options = {});
  /// Computes the Hessian at the current estimate and writes the q's scales (run() calls it
  /// after its updates; call it yourself after update() loops).
  /// @throws ed::numerical_error when the Hessian is not positive definite (not at a mode).
  void finalize(const Feed& feed = {}) override;
  /// The Hessian of the negative log joint at the last finalize(), over every latent stacked
  /// column-major (on the unconstrained scale for constrained latents).
  const Matrix& hessian() const { return hessian_; }

 private:
  Loss build_loss_and_gradients() override;
  void initialize_with_defaults() override { initialize(); }

  std::vector<Tensor> positions_;  // each latent's mode estimate (the q's loc variable)
  Matrix hessian_;
};

}  // namespace ed
