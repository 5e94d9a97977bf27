// GANInference: two players, each a program differentiated for its own variables and an
// optimiser; the discriminator called once on both halves.
#include "edpp/inference/adversarial/gan_inference.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/program.hpp"

namespace ed {

struct GANInference::Player {
  const char* name;  // "generator", "discriminator": as errors name it
  std::unique_ptr<Optimizer> optimizer;
  std::unique_ptr<Program> program;  // its loss, differentiated for its variables
  std::vector<Tensor> variables;
  std::vector<Matrix*> values;
  std::vector<const Matrix*> gradients;
};

GANInference::GANInference(std::vector<std::pair<Tensor, Tensor>> data, Discriminator discriminator)
    : GANInference("GANInference", {}, {}, std::move(data)) {
  discriminator_ = std::move(discriminator);
}

GANInference::GANInference(std::string name, std::vector<LatentPair> latent, Data data,
                           std::vector<std::pair<Tensor, Tensor>> generated)
    : Inference(std::move(name), std::move(latent), std::move(data)),
      generated_(std::move(generated)) {}

GANInference::~GANInference() = default;

CommonOptions GANInference::common_from(const GANOptions& o) {
  return {.n_iter = o.n_iter, .n_print = o.n_print, .seed = o.seed, .logdir = o.logdir};
}

void GANInference::initialize(GANOptions options) {
  initialize_adversarial(common_from(options), options);
}

std::pair<Tensor, Tensor> GANInference::discriminate_both(
    const std::function<Tensor(const std::vector<Tensor>&)>& discriminate,
    const std::vector<Tensor>& first, const std::vector<Tensor>& second) const {
  std::vector<Tensor> stacked;
  Index rows_first = Dynamic, rows_second = Dynamic;
  for (std::size_t i = 0; i < first.size(); ++i) {
    const Index a = first[i].shape().rows, b = second[i].shape().rows;
    if (a == Dynamic || b == Dynamic) {
      throw ed::invalid_argument(algorithm() +
                                 ": the discriminator's inputs need known row counts (one call "
                                 "on both halves is split back by rows); got " +
                                 to_string(first[i].shape()) + " and " +
                                 to_string(second[i].shape()));
    }
    if (i == 0) {
      rows_first = a;
      rows_second = b;
    } else if (a != rows_first || b != rows_second) {
      throw ed::invalid_argument(algorithm() +
                                 ": the discriminator's inputs must have one row per data row; "
                                 "got " +
                                 std::to_string(rows_first) + " and " + std::to_string(a) +
                                 " rows (and " + std::to_string(rows_second) + " and " +
                                 std::to_string(b) + " in the other half)");
    }
    stacked.push_back(concat({first[i], second[i]}, 0));
  }
  const Tensor logits = discriminate(stacked);
  if (!logits || logits.shape().rows != rows_first + rows_second) {
    throw ed::invalid_argument(algorithm() +
                               ": the discriminator must give one row of logits per input row (" +
                               std::to_string(rows_first + rows_second) + "), got " +
                               (logits ? to_string(logits.shape()) : std::string("no tensor")));
  }
  return {slice_rows(logits, 0, rows_first), slice_rows(logits, rows_first, rows_second)};
}

GANInference::Losses GANInference::build_losses() {
  const auto& [generated, real] = generated_.front();
  const auto [d_real, d_fake] =
      discriminate_both([this](const std::vector<Tensor>& x) { return discriminator_(x.front()); },
                        {real}, {generated});
  // Cross-entropies on logits: −log σ(d) = softplus(−d), −log(1 − σ(d)) = softplus(d).
  Losses losses;
  losses.loss_d = mean(softplus(-d_real)) + mean(softplus(d_fake));
  losses.loss = mean(softplus(-d_fake));
  losses.discriminator_inputs = {generated, real};
  return losses;
}

void GANInference::initialize_adversarial(const CommonOptions& common, const GANOptions& options) {
  auto fail = [&](const std::string& what) {
    throw ed::invalid_argument(algorithm() + ": " + what);
  };
  if (options.discriminator_steps < 1) {
    fail("discriminator_steps must be at least 1, got " +
         std::to_string(options.discriminator_steps));
  }
  if (common.distributed) fail("options.distributed is not supported");
  for (const auto& [generated, real] : generated_) {
    if (!generated || !real) fail("a data binding holds an empty tensor");
    const Shape a = generated.shape(), b = real.shape();
    if (a.cols != b.cols || (a.rows != Dynamic && b.rows != Dynamic && a.rows != b.rows)) {
      fail("the generated data has shape " + to_string(a) + " but the real data " + to_string(b));
    }
  }
  // The GAN family binds tensors (no random variables); ImplicitKLqp binds the model's data.
  if (data().empty() && generated_.size() != 1) {
    fail("data must bind one generated tensor to its real data: {{x_generated, x_real}}, got " +
         std::to_string(generated_.size()) + " bindings");
  }
  initialize_inference(common);
  generator_.reset();
  discriminator_player_.reset();
  discriminator_steps_ = options.discriminator_steps;

  const Losses losses = build_losses();
  // The discriminator's variables: those of its loss that its inputs do not reach.
  const std::vector<Tensor> upstream =
      Program(losses.discriminator_inputs, {}, losses.substitutions).variables();
  auto is_upstream = [&](const Tensor& v) {
    return std::find(upstream.begin(), upstream.end(), v) != upstream.end();
  };
  std::vector<Tensor> theirs;
  for (const Tensor& v : Program({losses.loss_d}, {}, losses.substitutions).variables()) {
    if (!is_upstream(v)) theirs.push_back(v);
  }
  if (theirs.empty()) fail("the discriminator has no variables to train (write it with ed::dense)");
  auto is_discriminators = [&](const Tensor& v) {
    return std::find(theirs.begin(), theirs.end(), v) != theirs.end();
  };
  const std::vector<Tensor> reached = Program({losses.loss}, {}, losses.substitutions).variables();
  std::vector<Tensor> ours = options.var_list;
  for (const Tensor& v : ours) {
    if (!v || !v.is_variable()) fail("var_list holds a tensor that is not a variable");
    if (is_discriminators(v)) {
      fail("var_list names variable '" + v.name() + "', which is the discriminator's");
    }
    if (std::find(reached.begin(), reached.end(), v) == reached.end()) {
      fail("var_list names variable '" + v.name() +
           "', which the generator's loss does not depend on (it would not move)");
    }
  }
  if (ours.empty()) {
    for (const Tensor& v : reached) {
      if (!is_discriminators(v)) ours.push_back(v);
    }
  }
  if (ours.empty()) fail("the generator has no variables to train");

  auto make_player = [&](const char* name, const Tensor& loss, std::vector<Tensor> variables,
                         const AnyOptimizer& optimizer) {
    auto p = std::make_unique<Player>();
    p->name = name;
    p->optimizer = optimizer.make();
    p->program =
        std::make_unique<Program>(std::vector<Tensor>{loss}, variables, losses.substitutions);
    for (std::size_t i = 0; i < variables.size(); ++i) {
      p->values.push_back(&detail::mutable_value(variables[i]));
      p->gradients.push_back(&p->program->gradient(i));
    }
    p->variables = std::move(variables);
    return p;
  };
  discriminator_player_ =
      make_player("discriminator", losses.loss_d, std::move(theirs), options.optimizer_d);
  generator_ = make_player("generator", losses.loss, std::move(ours), options.optimizer);
  eval_ = std::make_unique<Program>(std::vector<Tensor>{losses.loss}, std::vector<Tensor>{},
                                    losses.substitutions);
  session().set_substitutions(losses.session_substitutions);
}

double GANInference::step(Player& p, const Feed& feed) {
  auto fail = [&](const std::string& what) {
    std::ostringstream msg;
    msg << algorithm() << ": iteration " << iteration() + 1 << ": the " << p.name << "'s " << what;
    if (auto node = p.program->first_nonfinite_value()) {
      msg << "; the first non-finite value is " << *node;
    }
    throw ed::numerical_error(msg.str());
  };
  Rng& rng = session().rng();
  p.program->forward(feed, rng);
  const double loss = p.program->output(0)(0, 0);
  if (!std::isfinite(loss)) fail("loss is " + std::to_string(loss));
  p.program->backward();
  for (std::size_t i = 0; i < p.gradients.size(); ++i) {
    if (!p.gradients[i]->allFinite()) {
      fail("gradient of " + p.variables[i].name() + " is not finite");
    }
  }
  auto reevaluate = [&] {
    p.program->forward(feed, rng);
    p.program->backward();
    return p.program->output(0)(0, 0);
  };
  p.optimizer->step(p.values, p.gradients, reevaluate);
  return loss;
}

double GANInference::update_discriminator(const Feed& feed) {
  require_initialized("update_discriminator()");
  const double loss = step(*discriminator_player_, feed);
  after_discriminator_step(discriminator_player_->values);
  return loss;
}

double GANInference::update_generator(const Feed& feed) {
  require_initialized("update_generator()");
  return step(*generator_, feed);
}

Info GANInference::do_update(const Feed& feed) {
  Info info;
  for (int k = 0; k < discriminator_steps_; ++k) {
    const double loss_d = update_discriminator(feed);
    if (k == 0) info.loss_d = loss_d;
  }
  info.loss = update_generator(feed);
  return info;
}

double GANInference::do_loss(const Feed& feed) {
  eval_->forward(feed, session().rng());
  return eval_->output(0)(0, 0);
}

std::vector<Tensor> GANInference::generator_variables() {
  require_initialized("generator_variables()");
  return generator_->variables;
}

std::vector<Tensor> GANInference::discriminator_variables() {
  require_initialized("discriminator_variables()");
  return discriminator_player_->variables;
}

std::vector<Tensor> GANInference::state_variables() {
  std::vector<Tensor> all = generator_->variables;
  all.insert(all.end(), discriminator_player_->variables.begin(),
             discriminator_player_->variables.end());
  return all;
}

void GANInference::after_load() {
  generator_->optimizer->reset();
  discriminator_player_->optimizer->reset();
}

}  // namespace ed
