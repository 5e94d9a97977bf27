// KLpq: self-normalised importance weights from q, and the weighted score of q as the objective.
#include "edpp/inference/variational/klpq.hpp"

#include <cmath>

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed {

KLpq::KLpq(std::vector<LatentPair> latent, Data data)
    : VariationalInference("KLpq", std::move(latent), std::move(data)) {}

KLpq::KLpq(std::initializer_list<LatentPair> latent, Data data)
    : KLpq(std::vector<LatentPair>(latent), std::move(data)) {}

void KLpq::initialize(KLpqOptions o) {
  auto fail = [&](const std::string& what) {
    throw ed::invalid_argument(algorithm() + ": " + what);
  };
  if (o.n_samples < 1) fail("n_samples must be at least 1, got " + std::to_string(o.n_samples));
  if (o.threads != 1) {
    fail("threads must be 1: the importance weights tie every row of the data together");
  }
  if (o.distributed) fail("options.distributed is not supported: the weights are global");
  if (!o.init.empty()) fail("options.init is not supported: set q's variables instead");
  for (const LatentPair& p : latent()) {
    require_approximation(p, "variational family");
    const Support z_support = p.latent.support(), q_support = p.approximation->support();
    if (z_support.is_discrete() != q_support.is_discrete() ||
        (!z_support.set().is_everything() && q_support.set().is_everything())) {
      fail("the variational family " + p.approximation->describe() + " (support " +
           q_support.name() + ") does not fit the latent " + p.latent.describe() + " (support " +
           z_support.name() + "); use a q on the latent's support");
    }
  }
  options_ = o;
  initialize_variational(o);
}

VariationalInference::Loss KLpq::build_loss_and_gradients() {
  Loss loss;
  std::vector<Tensor> log_w, log_q, log_p;
  for (int s = 0; s < options_.n_samples; ++s) {
    std::vector<Tensor> draws;
    Tensor log_q_s;
    for (const LatentPair& p : latent()) {
      draws.push_back(stop_gradient(p.approximation->sample()));
      const Tensor term = sum(p.approximation->log_prob(draws.back()));
      log_q_s = log_q_s ? log_q_s + term : term;
    }
    const ModelTerms terms = model_terms(draws);
    log_p.push_back(terms.log_joint());
    log_q.push_back(log_q_s);
    log_w.push_back(log_p.back() - log_q_s);
    if (s == 0) loss.session_substitutions = terms.latent_substitutions;
  }
  // The normalised weights, held constant: the objective differentiates only the scores.
  const Tensor log_weights = concat(log_w, 0);
  const Tensor weights = stop_gradient(softmax(log_weights, 0));
  // −log((1/S) Σ w_s): the importance-sampled −log p(x), finite while one weight is.
  loss.loss = std::log(static_cast<double>(options_.n_samples)) - logsumexp(log_weights, 0);
  const Tensor scores = concat(log_q, 0) + concat(log_p, 0);
  loss.surrogate = -sum(weights * scores);
  return loss;
}

}  // namespace ed
