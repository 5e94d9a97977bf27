// WakeSleep: one objective whose two parts touch disjoint variables — the wake phase's log joint
// at held draws of q, and the sleep phase's log q at a held fantasy of the model.
#include "edpp/inference/variational/wake_sleep.hpp"

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/copy.hpp"

namespace ed {

WakeSleep::WakeSleep(std::vector<LatentPair> latent, Data data)
    : VariationalInference("WakeSleep", std::move(latent), std::move(data)) {}

WakeSleep::WakeSleep(std::initializer_list<LatentPair> latent, Data data)
    : WakeSleep(std::vector<LatentPair>(latent), std::move(data)) {}

void WakeSleep::initialize(WakeSleepOptions o) {
  auto fail = [&](const std::string& what) {
    throw ed::invalid_argument(algorithm() + ": " + what);
  };
  if (o.n_samples < 1) fail("n_samples must be at least 1, got " + std::to_string(o.n_samples));
  if (o.threads != 1) fail("threads must be 1: a fantasy is drawn for the whole model");
  if (o.distributed) fail("options.distributed is not supported");
  if (!o.init.empty()) fail("options.init is not supported: set q's variables instead");
  for (const LatentPair& p : latent()) {
    require_approximation(p, "approximation");
    if (!p.latent.value_is_sample()) {
      fail("the latent " + p.latent.describe() +
           " has a given value; the sleep phase needs its own draw from the prior");
    }
  }
  for (const DataBinding& d : data()) {
    if (!d.variable.value_is_sample()) {
      fail("the data variable " + d.variable.describe() +
           " has a given value; the sleep phase needs its own draw (the fantasy)");
    }
  }
  options_ = o;
  initialize_variational(o);
}

VariationalInference::Loss WakeSleep::build_loss_and_gradients() {
  Loss loss;
  // Wake: the log joint at draws of q, held constant (its gradient reaches the model only).
  Tensor wake;
  for (int s = 0; s < options_.n_samples; ++s) {
    std::vector<Tensor> draws;
    for (const LatentPair& p : latent()) {
      const Tensor draw = p.approximation->sample();
      loss.own_draws.push_back(draw);
      draws.push_back(stop_gradient(draw));
    }
    const ModelTerms terms = model_terms(draws);
    const Tensor log_joint = terms.log_joint();
    wake = wake ? wake + log_joint : log_joint;
    if (s == 0) loss.session_substitutions = terms.latent_substitutions;
  }
  wake = wake / static_cast<double>(options_.n_samples);
  // Sleep: a fantasy (z, x) from the model's own draws, held constant; q at the fantasy z with
  // the data swapped for the fantasy x (its gradient reaches q only).
  Swap fantasy;
  for (const DataBinding& d : data()) {
    fantasy.emplace_back(d.value, stop_gradient(d.variable.value()));
    loss.own_draws.push_back(d.variable.value());
  }
  Tensor sleep;
  for (const LatentPair& p : latent()) {
    const Tensor z = stop_gradient(p.latent.value());
    loss.own_draws.push_back(p.latent.value());
    const Tensor term = sum(detail::copy_quietly(*p.approximation, fantasy).log_prob(z));
    sleep = sleep ? sleep + term : term;
  }
  loss.loss = -wake;
  loss.surrogate = -(wake + sleep);
  return loss;
}

}  // namespace ed
