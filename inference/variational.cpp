// VariationalInference: compiling the loss, threading, checked optimizer steps.
#include "inference/variational.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/errors.hpp"
#include "core/program.hpp"
#include "inference/sharded_loss.hpp"

namespace ed {

struct VariationalInference::State {
  OptimizerOptions options;
  std::unique_ptr<Optimizer> optimizer;
  std::unique_ptr<Program> train;  // loss and gradients
  std::unique_ptr<Program> eval;   // loss only: its buffers keep their own (e.g. test-set) shape
  std::unique_ptr<detail::ShardedLoss> sharded;  // when rows are split over threads
  std::string threading = "1 thread";
  std::vector<Matrix*> params;
  std::vector<Matrix*> grads;  // where the loss's gradients land (train or sharded)
  std::vector<Tensor> trainable;
  std::size_t reported = 0;  // the train program's output holding the reported loss
  std::vector<double> monitors;
};

VariationalInference::VariationalInference(std::string name, std::vector<LatentPair> latent,
                                           Data data)
    : Inference(std::move(name), std::move(latent), std::move(data)) {}

VariationalInference::~VariationalInference() = default;

void VariationalInference::initialize_variational(const CommonOptions& common,
                                                  const OptimizerOptions& options) {
  initialize_inference(common);
  state_.reset();
  auto s = std::make_unique<State>();
  s->options = options;
  s->optimizer = options.optimizer.make();

  const Loss built = build_loss_and_gradients();
  s->eval = std::make_unique<Program>(std::vector<Tensor>{built.loss}, std::vector<Tensor>{},
                                      built.substitutions);
  require_bound(*s->eval, built.own_draws);
  std::vector<Tensor> trainable = options.var_list;
  if (trainable.empty()) {
    for (const Tensor& v :
         Program({built.surrogate ? built.surrogate : built.loss}, {}, built.substitutions)
             .variables()) {
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
    if (!built.data_terms.empty() && !built.surrogate && built.monitors.empty()) {
      s->sharded = detail::ShardedLoss::make(built.data_terms, built.other_terms, trainable,
                                             built.substitutions, options.threads, why);
    }
    s->threading = s->sharded ? std::to_string(options.threads) + " threads (rows split in blocks)"
                              : "1 thread: " + why;
  }
  // The whole-batch training program only when the rows are not split over threads.
  if (!s->sharded) {
    // Outputs: the objective differentiated, the reported loss when that differs, monitors.
    std::vector<Tensor> outputs = {built.surrogate ? built.surrogate : built.loss};
    if (built.surrogate) outputs.push_back(built.loss);
    s->reported = outputs.size() - 1;
    outputs.insert(outputs.end(), built.monitors.begin(), built.monitors.end());
    s->monitors.resize(built.monitors.size());
    s->train = std::make_unique<Program>(outputs, trainable, built.substitutions);
  }
  for (std::size_t i = 0; i < trainable.size(); ++i) {
    s->params.push_back(&detail::mutable_value(trainable[i]));
    s->grads.push_back(s->sharded ? &s->sharded->gradient(i) : &s->train->gradient(i));
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
  // Loss and gradients (into s.grads), on one program or on row blocks in parallel.
  auto evaluate = [&]() {
    if (s.sharded) return s.sharded->evaluate(feed, rng);
    s.train->forward(feed, rng);
    const double value = s.train->output(s.reported)(0, 0);
    if (std::isfinite(value) && std::isfinite(s.train->output(0)(0, 0))) s.train->backward();
    return value;
  };
  auto first_nonfinite = [&] {
    return s.sharded ? s.sharded->first_nonfinite_value() : s.train->first_nonfinite_value();
  };
  const double loss = evaluate();
  if (!std::isfinite(loss)) {
    std::ostringstream what;
    what << "the loss is " << loss;
    fail(what.str(), first_nonfinite());
  }
  for (std::size_t i = 0; i < s.monitors.size(); ++i) {
    s.monitors[i] = s.train->output(s.reported + 1 + i)(0, 0);
  }
  if (s.train && !std::isfinite(s.train->output(0)(0, 0))) {
    fail("the gradient objective is not finite", first_nonfinite());
  }
  for (std::size_t i = 0; i < s.grads.size(); ++i) {
    if (!s.grads[i]->allFinite()) {
      fail("the gradient of " + s.trainable[i].name() + " is not finite", first_nonfinite());
    }
  }
  if (s.options.clip_norm > 0.0) {
    double norm2 = 0.0;
    for (const Matrix* g : s.grads) norm2 += g->squaredNorm();
    const double norm = std::sqrt(norm2);
    if (norm > s.options.clip_norm) {
      for (Matrix* g : s.grads) *g *= s.options.clip_norm / norm;
    }
  }
  auto reevaluate = [&]() { return evaluate(); };
  s.optimizer->step(s.params, std::span<const Matrix* const>(s.grads.data(), s.grads.size()),
                    reevaluate);
  if (!s.monitors.empty()) after_step(s.monitors);
  return {t, loss};
}

double VariationalInference::do_loss(const Feed& feed) {
  state_->eval->forward(feed, session().rng());
  return state_->eval->output(0)(0, 0);
}

std::vector<Tensor> VariationalInference::variables() {
  require_initialized("variables()");
  return state_->trainable;
}

std::string VariationalInference::threading() {
  require_initialized("threading()");
  return state_->threading;
}

std::vector<Tensor> VariationalInference::state_variables() { return state_->trainable; }

void VariationalInference::after_load() { state_->optimizer->reset(); }

}  // namespace ed
