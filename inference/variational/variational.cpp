// VariationalInference: compiling the loss, threading, checked optimizer steps.
#include "edpp/inference/variational/variational.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/program.hpp"
#include "edpp/parallel/sharded_loss.hpp"

namespace ed {

struct VariationalInference::State {
  OptimizerOptions options;
  std::unique_ptr<Optimizer> optimizer;
  std::unique_ptr<Program> train;  // loss and gradients
  std::unique_ptr<Program> eval;   // loss only: its buffers keep their own (e.g. test-set) shape
  std::unique_ptr<detail::ShardedLoss> sharded;  // when rows are split over threads
  std::string threading = "1 thread";
  std::vector<Matrix*> params;
  std::vector<Matrix*> local_grads;  // where this process's gradients land (train or sharded)
  std::vector<Matrix*> grads;        // what the optimizer reads: local_grads, or the group's sums
  ProcessGroup* group = nullptr;     // Note [Data parallelism]
  std::vector<double> reduction;     // [loss, every gradient flattened]: summed over the group
  std::vector<Matrix> group_grads;   // the group's summed gradients
  std::vector<Tensor> trainable;
  Tensor objective;  // this process's loss, as compiled
  Substitutions substitutions;
  std::size_t reported = 0;  // the train program's output holding the reported loss
  std::vector<double> monitors;
  std::vector<const char*> logged;  // Loss::logged's names, outputs after the monitors
};

VariationalInference::VariationalInference(std::string name, std::vector<LatentPair> latent,
                                           Data data)
    : Inference(std::move(name), std::move(latent), std::move(data)) {}

VariationalInference::~VariationalInference() = default;

void VariationalInference::initialize_variational(const CommonOptions& common,
                                                  const OptimizerOptions& options) {
  ProcessGroup* group = common.distributed;
  if (!group) {
    build_state(common, options);
    return;
  }
  const CommonOptions agreed = with_agreed_seed(common);
  // A failure on one process (data outside its family's support in its shard) must reach all.
  group->collectively([&] { build_state(agreed, options); });
  // Every process starts from rank 0's parameters, so all take the same steps.
  broadcast_matrices(*group, state_->params);
}

void VariationalInference::build_state(const CommonOptions& common,
                                       const OptimizerOptions& options) {
  initialize_inference(common);
  if (options.threads < 1) {
    throw ed::invalid_argument(algorithm() + ": threads must be at least 1, got " +
                               std::to_string(options.threads));
  }
  if (!(std::isfinite(options.clip_norm) && options.clip_norm >= 0.0)) {
    throw ed::invalid_argument(algorithm() +
                               ": clip_norm must be finite and non-negative (0: off), got " +
                               std::to_string(options.clip_norm));
  }
  state_.reset();
  auto s = std::make_unique<State>();
  s->options = options;
  s->optimizer = options.optimizer.make();
  s->group = common.distributed;

  Loss built = build_loss_and_gradients();
  const bool is_sum = !built.loss && !built.surrogate && built.monitors.empty();
  if (s->group) {
    if (!is_sum) {
      throw ed::invalid_argument(
          algorithm() +
          ": data-parallel training needs a loss that is a sum over data rows plus a part counted "
          "once; this one is not (score-function estimators' learning signals are global): use "
          "a reparameterised KLqp, MAP or LaplaceApproximation with .distributed");
    }
    // Each process's objective: its rows' terms, and on rank 0 only the terms counted once. The
    // graph is the same on every rank (the weight is a constant), so random draws agree.
    const double once = s->group->is_root() ? 1.0 : 0.0;
    for (Tensor& term : built.global_terms) term = once * term;
  }
  if (!built.loss) built.loss = negated_sum(built.data_terms, built.global_terms);
  s->objective = built.loss;
  s->substitutions = built.substitutions;
  s->eval = std::make_unique<Program>(std::vector<Tensor>{built.loss}, std::vector<Tensor>{},
                                      built.substitutions);
  require_bound(*s->eval, built.own_draws);
  // Every variable the objective reaches: what is trained by default, and where var_list's
  // entries must be (a variable the loss does not reach would silently never move).
  const std::vector<Tensor> reached =
      Program({built.surrogate ? built.surrogate : built.loss}, {}, built.substitutions)
          .variables();
  std::vector<Tensor> trainable = options.var_list;
  for (const Tensor& v : trainable) {
    if (!v || !v.is_variable()) {
      throw ed::invalid_argument(algorithm() + ": var_list holds a tensor that is not a variable");
    }
    if (std::find(reached.begin(), reached.end(), v) == reached.end()) {
      throw ed::invalid_argument(algorithm() + ": var_list names variable '" + v.name() +
                                 "', which the loss does not depend on (it would not move)");
    }
  }
  if (trainable.empty()) {
    for (const Tensor& v : reached) {
      if (std::find(built.untrained.begin(), built.untrained.end(), v) == built.untrained.end()) {
        trainable.push_back(v);
      }
    }
  }
  if (trainable.empty()) {
    throw ed::invalid_argument(algorithm() + ": nothing to train: the loss depends on no variable");
  }
  s->trainable = trainable;
  if (options.threads > 1) {
    std::string why = "the loss is not a sum over data points";
    if (is_sum) {
      s->sharded = detail::ShardedLoss::make(built.data_terms, built.global_terms, built.own_draws,
                                             trainable, built.substitutions, options.threads, why);
    }
    s->threading = s->sharded ? std::to_string(options.threads) + " threads (rows split in blocks)"
                              : "1 thread: " + why;
  }
  if (s->group) {
    const int size = s->group->size();
    s->threading =
        std::to_string(size) + (size == 1 ? " process, " : " processes, ") + s->threading;
  }
  // The whole-batch training program only when the rows are not split over threads.
  if (!s->sharded) {
    // Outputs: the objective differentiated, the reported loss when that differs, monitors.
    std::vector<Tensor> outputs = {built.surrogate ? built.surrogate : built.loss};
    if (built.surrogate) outputs.push_back(built.loss);
    s->reported = outputs.size() - 1;
    outputs.insert(outputs.end(), built.monitors.begin(), built.monitors.end());
    s->monitors.resize(built.monitors.size());
    if (training_log()) {
      for (const auto& [name, value] : built.logged) {
        s->logged.push_back(name);
        outputs.push_back(value);
      }
    }
    s->train = std::make_unique<Program>(outputs, trainable, built.substitutions);
  }
  std::size_t reduced = 1;
  for (std::size_t i = 0; i < trainable.size(); ++i) {
    s->params.push_back(&detail::mutable_value(trainable[i]));
    s->local_grads.push_back(s->sharded ? &s->sharded->gradient(i) : &s->train->gradient(i));
    reduced += static_cast<std::size_t>(s->params.back()->size());
  }
  s->grads = s->local_grads;
  if (s->group) {
    s->reduction.resize(reduced);
    for (Matrix* p : s->params) s->group_grads.emplace_back(Matrix::Zero(p->rows(), p->cols()));
    for (std::size_t i = 0; i < trainable.size(); ++i) s->grads[i] = &s->group_grads[i];
  }
  session().set_substitutions(built.session_substitutions);
  state_ = std::move(s);
}

Info VariationalInference::do_update(const Feed& feed) {
  State& s = *state_;
  const long t = iteration() + 1;
  auto fail = [&](const std::string& what, const std::optional<std::string>& node) {
    std::ostringstream msg;
    msg << algorithm() << ": iteration " << t << ": " << what;
    if (node) msg << "; the first non-finite value is " << *node;
    throw ed::numerical_error(msg.str());
  };
  Rng& rng = session().rng();
  // This process's loss and gradients (into s.local_grads), on one program or on row blocks in
  // parallel; `checked`: stop at a non-finite value, naming the first non-finite node.
  auto evaluate_locally = [&](bool checked) {
    double value = 0.0;
    if (s.sharded) {
      value = s.sharded->evaluate(feed, rng);
    } else {
      s.train->forward(feed, rng);
      value = s.train->output(s.reported)(0, 0);
      if (std::isfinite(value) && std::isfinite(s.train->output(0)(0, 0))) s.train->backward();
    }
    if (!checked) return value;
    auto first_nonfinite = [&] {
      return s.sharded ? s.sharded->first_nonfinite_value() : s.train->first_nonfinite_value();
    };
    if (!std::isfinite(value)) {
      std::ostringstream what;
      // A NaN's sign bit says nothing (the loss's negation flips it): "nan", never "-nan".
      what << "the loss is "
           << (std::isnan(value) ? std::numeric_limits<double>::quiet_NaN() : value);
      fail(what.str(), first_nonfinite());
    }
    if (s.train && !std::isfinite(s.train->output(0)(0, 0))) {
      fail("the gradient objective is not finite", first_nonfinite());
    }
    for (std::size_t i = 0; i < s.local_grads.size(); ++i) {
      if (!s.local_grads[i]->allFinite()) {
        fail("the gradient of " + s.trainable[i].name() + " is not finite", first_nonfinite());
      }
    }
    return value;
  };
  // With a group, the loss and gradients summed over its processes (into s.grads): a failure
  // on any process stops every one, with its message.
  auto evaluate = [&](bool checked) {
    if (!s.group) return evaluate_locally(checked);
    std::string error;
    double value = 0.0;
    try {
      value = evaluate_locally(checked);
    } catch (const std::exception& e) {
      error = e.what();
    }
    s.reduction[0] = value;
    pack_matrices(s.local_grads, s.reduction.data() + 1);
    s.group->sum(s.reduction, error);
    unpack_matrices(s.reduction.data() + 1, s.grads);  // s.grads point at s.group_grads
    return s.reduction[0];
  };
  const double loss = evaluate(true);
  if (s.group) {  // finite parts may still sum to an overflow
    if (!std::isfinite(loss)) fail("the loss summed over the processes is not finite", {});
    for (std::size_t i = 0; i < s.grads.size(); ++i) {
      if (!s.grads[i]->allFinite()) {
        fail(
            "the gradient of " + s.trainable[i].name() + " summed over the processes is not finite",
            {});
      }
    }
  }
  for (std::size_t i = 0; i < s.monitors.size(); ++i) {
    s.monitors[i] = s.train->output(s.reported + 1 + i)(0, 0);
  }
  TrainingLog* log = training_log();
  for (std::size_t i = 0; i < s.logged.size(); ++i) {
    log->set(s.logged[i], s.train->output(s.reported + 1 + s.monitors.size() + i)(0, 0));
  }
  if (s.options.clip_norm > 0.0 || log) {
    double norm2 = 0.0;
    for (const Matrix* g : s.grads) norm2 += g->squaredNorm();
    const double norm = std::sqrt(norm2);
    if (log) log->set("gradient_norm", norm);  // before clipping: what clip_norm is set against
    if (s.options.clip_norm > 0.0 && norm > s.options.clip_norm) {
      for (Matrix* g : s.grads) *g *= s.options.clip_norm / norm;
    }
  }
  auto reevaluate = [&]() { return evaluate(false); };
  s.optimizer->step(s.params, std::span<const Matrix* const>(s.grads.data(), s.grads.size()),
                    reevaluate);
  if (!s.monitors.empty()) after_step(s.monitors);
  return {t, loss};
}

double VariationalInference::do_loss(const Feed& feed) {
  State& s = *state_;
  if (!s.group) {
    s.eval->forward(feed, session().rng());
    return s.eval->output(0)(0, 0);
  }
  double value = 0.0;
  std::string error;
  try {
    s.eval->forward(feed, session().rng());
    value = s.eval->output(0)(0, 0);
  } catch (const std::exception& e) {
    error = e.what();
  }
  s.group->sum({&value, 1}, error);
  return value;
}

std::vector<Tensor> VariationalInference::variables() {
  require_initialized("variables()");
  return state_->trainable;
}

std::string VariationalInference::threading() {
  require_initialized("threading()");
  return state_->threading;
}

const Tensor& VariationalInference::objective() const { return state_->objective; }
const Substitutions& VariationalInference::objective_substitutions() const {
  return state_->substitutions;
}

std::vector<Tensor> VariationalInference::state_variables() { return state_->trainable; }

void VariationalInference::after_load() { state_->optimizer->reset(); }

}  // namespace ed
