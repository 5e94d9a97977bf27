// KLqp: Edward's variational inference by minimising KL(q ‖ p), and its estimator variants.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/inference/variational/variational.hpp"

namespace ed {

/// The form of the automatic guide KLqp builds for latent variables given without q.
enum class Guide {
  mean_field,  ///< an independent Normal per unconstrained coordinate (Stan's meanfield ADVI)
  full_rank,   ///< one multivariate Normal over every coordinate (Stan's fullrank ADVI)
};

/// Settings of KLqp::initialize (and of its variants), with designated initialisers:
/// `inference.initialize({.optimizer = ed::Adam(1e-2), .n_iter = 2000, .n_samples = 5})`.
struct KLqpOptions {
  AnyOptimizer optimizer = edward_adam();  ///< Edward's default: Adam(0.1·0.9^⌊t/100⌋)
  long n_iter = 1000;                      ///< iterations of run()
  long n_print = 0;                        ///< progress cadence of run(); 0: n_iter / 100
  int n_samples = 1;                       ///< draws of q per step in the ELBO estimate
  std::optional<std::uint64_t> seed = std::nullopt;  ///< unset: ed::set_seed's sequence
  /// Per data variable weight of its log-likelihood (N/M for minibatches of M out of N).
  std::vector<std::pair<RandomVariable, double>> scale = {};
  /// Per latent variable weight of its KL term (Edward's kl_scaling): its prior and q terms.
  std::vector<std::pair<RandomVariable, double>> kl_scaling = {};
  /// Starting means of latents on their constrained scale (Stan's ADVI init): an automatic
  /// guide's mean starts at the unconstrained value; a user's Normal q's variable loc is set.
  std::vector<std::pair<RandomVariable, Matrix>> init = {};
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  int threads = 1;                    ///< KLqp draws, so it runs on one thread (threading() says)
  Guide guide = Guide::mean_field;    ///< for latent variables given without q
  /// Data parallelism over a group of processes, each bound to its shard of the rows (the
  /// reparameterisation estimators): every process draws the same z, the KL terms count once.
  ProcessGroup* distributed = nullptr;
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// How the gradient of the ELBO is estimated.
enum class KLqpEstimator {
  automatic,              ///< KLqp: as Edward chooses (below)
  reparameterization,     ///< pathwise gradients through the draws of q
  reparameterization_kl,  ///< pathwise likelihood term, analytic KL(q ‖ p)
  score,                  ///< score function with a baseline
  score_rb,               ///< score function, Rao–Blackwellised per latent, with baselines
};

/// Variational inference with KL(q ‖ p) (Edward's ed.KLqp). For latent z with approximation
/// q (any random variable whose parameters are graph variables,
/// `ed::Normal qz(ed::variable(m0), ed::softplus(ed::variable(s0)))`), the loss is the negative
/// ELBO,
///   −ELBO = −E_q[ Σ scale·log p(x | z) + Σ log p(z) − Σ log q(z) ],
/// estimated with `n_samples` draws of q per step, and update() steps the optimizer on its
/// gradient. The estimator (as Edward's KLqp chooses): when every q is reparameterised,
/// pathwise gradients, with the KL term in closed form when every pair has one (ed::kl_divergence:
/// Normal–Normal, Gamma–Gamma, or a rule registered with ed::extend::register_kl);
/// otherwise the score function, Rao–Blackwellised per latent (each latent's learning signal
/// holds only the terms of its Markov blanket), with a running-mean baseline per latent.
/// A latent with discrete support and a Categorical/Bernoulli q works through the score function.
/// After run(), `ed::eval(qz.mean())` and `ed::eval(qz.stddev())` read the fit; session()
/// fetches see each latent as a draw of its q; `ed::copy(y, {{z, qz}})` is the posterior
/// predictive.
///
/// Example (Edward's normal–normal model):
///   ed::Normal mu(0.0, 1.0);
///   ed::Normal x(mu * ed::Matrix::Ones(50, 1), 1.0);
///   ed::Normal qmu(ed::variable(ed::Matrix::Zero(1, 1)), ed::softplus(ed::variable(...)));
///   ed::KLqp inference({{mu, qmu}}, {{x, x_data}});
///   inference.initialize({.optimizer = ed::Adam(0.05), .n_iter = 2000, .n_samples = 5});
///   inference.run();
class KLqp : public VariationalInference {
 public:
  /// @param latent  `{{z, qz}, …}`: each latent with its variational family
  KLqp(std::vector<LatentPair> latent, Data data = {});
  /// The same from a brace list, `KLqp({{z, qz}}, data)` (preferred over the guide overload).
  KLqp(std::initializer_list<LatentPair> latent, Data data = {});
  /// Automatic guides (Stan's ADVI, Pyro's autoguides): latent variables without q get a
  /// Normal on their unconstrained scale (mean-field, or full-rank by `options.guide`), with the
  /// log |Jacobian| of each bijector in the objective; posterior_draws/mean/stddev report each
  /// latent on its own scale.
  explicit KLqp(std::vector<RandomVariable> latent, Data data = {});

  /// n draws of z from its fitted approximation, on z's own scale: row t is draw t, flattened
  /// column-major. @throws ed::invalid_argument when z is not latent, or before initialize().
  Matrix posterior_draws(const RandomVariable& z, long n = 1000);
  /// The approximate posterior mean and standard deviation of z elementwise (z's shape), from
  /// n draws.
  Matrix posterior_mean(const RandomVariable& z, long n = 4000);
  Matrix posterior_stddev(const RandomVariable& z, long n = 4000);

  /// Builds the loss. @throws ed::invalid_argument for a latent without q, a q whose shape
  /// differs from its latent's, n_samples < 1, kl_scaling naming a non-latent, or (the
  /// analytic-KL variant) a pair without a closed-form KL.
  void initialize(KLqpOptions options = {});
  /// The estimator in use after initialize() (automatic resolved).
  KLqpEstimator estimator() const { return chosen_; }

 protected:
  KLqp(const char* name, KLqpEstimator estimator, std::vector<LatentPair> latent, Data data);

 private:
  Loss build_loss_and_gradients() override;
  void initialize_with_defaults() override { initialize(); }
  void after_step(const std::vector<double>& monitors) override;
  Loss reparameterization_loss(bool analytic_kl);
  Loss score_loss(bool rao_blackwell);
  double kl_weight(const RandomVariable& z) const;

  // One draw of every latent (held constant when `stop`, for score functions) and log q of each
  // at it on the latent's own scale; under a full-rank guide the joint log q sits with the
  // first guided latent.
  struct LatentDraws {
    std::vector<Tensor> values, log_q;
  };
  LatentDraws draw_latents(bool stop) const;
  void build_guide();
  void start_user_approximations(const std::vector<std::pair<RandomVariable, Matrix>>& init) const;
  std::size_t index_of(const RandomVariable& z) const;

  struct GuidePart {  // one latent under the automatic guide
    Index offset = 0, size = 0;
    Tensor loc, scale;  // mean-field: this latent's Normal on the unconstrained scale
    Matrix start;       // where its mean starts (unconstrained)
  };
  std::vector<std::optional<GuidePart>> guide_;
  Tensor full_loc_, full_tril_;        // full-rank guide over every guided coordinate
  std::vector<Tensor> report_values_;  // one draw of each latent on its own scale

  KLqpEstimator requested_;
  KLqpEstimator chosen_ = KLqpEstimator::automatic;
  KLqpOptions options_;
  std::vector<Tensor> baselines_;  // score estimators: one running mean per learning signal
  bool baselines_started_ = false;
};

/// KLqp with pathwise (reparameterisation) gradients (Edward's ReparameterizationKLqp).
class ReparameterizationKLqp final : public KLqp {
 public:
  ReparameterizationKLqp(std::vector<LatentPair> latent, Data data = {});
};

/// Pathwise gradients of the likelihood term and the KL term in closed form (Edward's
/// ReparameterizationKLKLqp). @throws at initialize() for a pair without a closed-form KL.
class ReparameterizationKLKLqp final : public KLqp {
 public:
  ReparameterizationKLKLqp(std::vector<LatentPair> latent, Data data = {});
};

/// Score-function gradients with a running-mean baseline (Edward's ScoreKLqp).
class ScoreKLqp final : public KLqp {
 public:
  ScoreKLqp(std::vector<LatentPair> latent, Data data = {});
};

/// Score-function gradients, Rao–Blackwellised per latent (Edward's ScoreRBKLqp).
class ScoreRBKLqp final : public KLqp {
 public:
  ScoreRBKLqp(std::vector<LatentPair> latent, Data data = {});
};

}  // namespace ed
