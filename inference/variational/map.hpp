// MAP inference: Edward's ed.MAP — point estimates of latent variables by gradient descent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "edpp/distributions/point_mass.hpp"
#include "edpp/inference/variational/variational.hpp"

namespace ed {

/// A latent variable with a point mass the user made: `{z, ed::PointMass(param)}`.
struct LatentBinding {
  LatentBinding(RandomVariable latent, PointMass estimate)
      : latent(std::move(latent)), estimate(std::move(estimate)) {}
  RandomVariable latent;
  PointMass estimate;
};

/// Settings of MAP::initialize, written with designated initialisers:
/// `inference.initialize({.optimizer = ed::Adam(5e-3), .n_iter = 500})`.
struct MapOptions {
  AnyOptimizer optimizer = edward_adam();  ///< Edward's default: Adam(0.1·0.9^⌊t/100⌋)
  long n_iter = 1000;                      ///< iterations of run()
  long n_print = 0;                        ///< progress cadence of run(); 0: n_iter / 100
  /// Point-mass initialisation and the session's engine; unset: the next seed of ed::set_seed's
  /// sequence.
  std::optional<std::uint64_t> seed = std::nullopt;
  /// Per data variable weight of its log-likelihood (N/M for minibatches of M out of N).
  std::vector<std::pair<RandomVariable, double>> scale = {};
  double clip_norm = 0.0;             ///< rescale the gradient to at most this global norm (0: off)
  std::vector<Tensor> var_list = {};  ///< variables to train (empty: every variable of the loss)
  /// Starting points of latent variables on their constrained scale (as Stan's init); the others
  /// start from N(0, 1) on the unconstrained scale.
  std::vector<std::pair<RandomVariable, Matrix>> init = {};
  /// Threads for update(): with more than one, the batch's rows are split into blocks that run
  /// in parallel when every data term allows it (Note [Row sharding]); otherwise, or for models
  /// whose nodes mix rows or draw, one thread. threading() says which.
  int threads = 1;
  /// Data parallelism over a group of processes (an ed::mpi::Context), each bound to its shard
  /// of the rows; the priors are counted once (Note [Data parallelism]).
  ProcessGroup* distributed = nullptr;
  std::string logdir = {};  ///< the training log's folder (empty: none)
};

/// Maximum a posteriori estimation. The loss is the negative log joint,
///   −( Σ_data scale · Σ log p(x | ·) + Σ_latent Σ log p(z) ),
/// summed over elements (a total, as Edward's inference.loss). Each latent variable gets a
/// point mass whose parameter lives in unconstrained space, mapped onto the variable's support
/// by `constrain` (exp for positive, sigmoid for the unit interval, …); the objective is the
/// density on the constrained scale, with no Jacobian term (as Stan's optimizer), so the
/// estimate is the mode of p(z | x) itself. Trainable variables of the graph (dense layers) are
/// optimised too, which makes `MAP({}, data)` maximum likelihood for a neural network.
///
/// Example (Edward's normal–normal model):
///   auto mu = ed::Normal(0.0, 1.0);
///   auto x = ed::Normal(mu * ed::Matrix::Ones(50, 1), 1.0);
///   ed::MAP inference({mu}, {{x, x_data}});
///   inference.initialize({.optimizer = ed::Adam(0.1), .n_iter = 500});
///   inference.run();
///   double mode = inference.value(mu)(0, 0);   // = Σx / 51
class MAP final : public VariationalInference {
 public:
  /// Point masses are made for each latent variable, initialised from N(0, 1) on the
  /// unconstrained scale (seeded by MapOptions::seed).
  MAP(std::vector<RandomVariable> latent_vars, Data data = {});
  /// Latent variables with user-made point masses (their parameter is used as it is, on the
  /// constrained scale).
  MAP(std::initializer_list<LatentBinding> latent_vars, Data data = {});

  /// Builds the loss program. @throws ed::invalid_argument for a latent variable of unknown
  /// shape or discrete support, a data binding whose shape does not fit, options naming
  /// variables that are not latent or data, a random variable the model uses but nobody bound,
  /// or nothing to train.
  void initialize(MapOptions options = {});
  /// The estimate of a latent variable on its constrained scale.
  Matrix value(const RandomVariable& latent);

 private:
  Loss build_loss_and_gradients() override;
  void initialize_with_defaults() override { initialize(); }
  // Each latent's estimate on its constrained scale (a node of the graph), after initialize.
  std::vector<Tensor> estimates_;
};

}  // namespace ed
