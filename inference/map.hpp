// MAP inference: Edward's ed.MAP — point estimates of latent variables by gradient descent.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "core/feed.hpp"
#include "core/session.hpp"
#include "distributions/point_mass.hpp"
#include "distributions/random_variable.hpp"
#include "inference/optimizers.hpp"

namespace ed {

/// One observed variable bound to its data: a placeholder, or a Matrix (bound as a constant).
struct DataBinding {
  DataBinding(RandomVariable variable, Tensor value)
      : variable(std::move(variable)), value(std::move(value)) {}
  RandomVariable variable;
  Tensor value;
};
/// `{{y, y_ph}, {x, x_data}}`.
using Data = std::vector<DataBinding>;

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
  AnyOptimizer optimizer = Adam(1e-1);  ///< Edward's default optimizer is Adam(0.1)
  long n_iter = 1000;                   ///< iterations of run()
  long n_print = 0;                     ///< progress cadence of run(); 0: n_iter / 100
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
  /// whose nodes mix rows, one thread. threading() says which.
  int threads = 1;
};

/// The result of one update: the iteration just done and the loss before its step.
struct Info {
  long t = 0;
  double loss = 0.0;
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
class MAP {
 public:
  /// Point masses are made for each latent variable, initialised from N(0, 1) on the
  /// unconstrained scale (seeded by MapOptions::seed).
  MAP(std::vector<RandomVariable> latent_vars, Data data = {});
  /// Latent variables with user-made point masses (their parameter is used as it is, on the
  /// constrained scale).
  MAP(std::initializer_list<LatentBinding> latent_vars, Data data = {});
  ~MAP();

  /// Builds the loss program. @throws ed::invalid_argument for a latent variable of unknown
  /// shape or discrete support, a data binding whose shape does not fit, or nothing to train.
  void initialize(MapOptions options = {});
  /// One optimisation step. @throws ed::numerical_error naming the iteration and the first node
  /// whose value became NaN or ±inf, when the loss or a gradient is not finite.
  Info update(const Feed& feed = {});
  /// The loss at the current estimate, without a step.
  double loss(const Feed& feed = {});
  /// n_iter updates with a progress bar on stderr.
  void run(const Feed& feed = {});
  /// The estimate of a latent variable on its constrained scale.
  Matrix value(const RandomVariable& latent);
  /// The session whose programs see every latent variable at its estimate.
  Session& session();
  /// The iteration counter (updates done).
  long iteration() const;
  /// How update() runs: "1 thread", "2 threads (rows split in blocks)", or "1 thread: <why>".
  std::string threading();
  /// Every trained variable (point-mass parameters and graph variables).
  std::vector<Tensor> variables();
  /// Writes every trained variable to `path` atomically (see save_variables).
  void save(const std::string& path);
  /// Restores every trained variable from `path`; on any error nothing changes
  /// (see load_variables). Optimizer state restarts.
  void load(const std::string& path);

 private:
  struct State;
  void require_initialized();
  std::vector<std::pair<RandomVariable, std::optional<PointMass>>> latent_;
  Data data_;
  std::unique_ptr<State> state_;
};

}  // namespace ed
