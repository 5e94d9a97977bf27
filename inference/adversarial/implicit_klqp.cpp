// ImplicitKLqp: a model draw and q's draw at one global draw, told apart by the estimator.
#include "edpp/inference/adversarial/implicit_klqp.hpp"

#include <algorithm>

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/copy.hpp"

namespace ed {

ImplicitKLqp::ImplicitKLqp(std::vector<LatentPair> latent, Data data, RatioEstimator discriminator,
                           std::vector<RandomVariable> global)
    : GANInference("ImplicitKLqp", std::move(latent), std::move(data), {}),
      discriminator_(std::move(discriminator)),
      global_(std::move(global)) {}

bool ImplicitKLqp::is_global(const RandomVariable& z) const {
  return std::any_of(global_.begin(), global_.end(),
                     [&](const RandomVariable& g) { return g.value() == z.value(); });
}

void ImplicitKLqp::initialize(ImplicitKLqpOptions o) {
  auto fail = [&](const std::string& what) {
    throw ed::invalid_argument(algorithm() + ": " + what);
  };
  if (data().empty()) fail("there is no data binding: the ratio estimator compares data rows");
  for (const LatentPair& p : latent()) require_approximation(p, "approximation");
  for (const RandomVariable& g : global_) {
    const bool known = std::any_of(latent().begin(), latent().end(), [&](const LatentPair& p) {
      return p.latent.value() == g.value();
    });
    if (!known) fail("the global " + g.describe() + " is not a latent variable of this inference");
  }
  scale_ = 1.0;
  for (std::size_t i = 0; i < o.scale.size(); ++i) {
    if (i > 0 && o.scale[i].second != o.scale[0].second) {
      fail("the ratio term has one scale, but options.scale gives " +
           std::to_string(o.scale[0].second) + " and " + std::to_string(o.scale[i].second));
    }
    scale_ = o.scale[i].second;
  }
  const GANOptions gan = gan_options_of(o);
  CommonOptions common = common_from(gan);
  common.scale = o.scale;  // checked by the base: each entry a data variable
  initialize_adversarial(common, gan);
}

GANInference::Losses ImplicitKLqp::build_losses() {
  Losses losses;
  // β' ~ q(β), with log p(β') − log q(β'); q's draw is its own value, so a q(z | x, β) built on
  // q(β) sees the same β'.
  Swap at_beta;
  std::vector<Tensor> beta;
  Tensor log_ratio_global;
  for (const LatentPair& p : latent()) {
    if (!is_global(p.latent)) continue;
    const Tensor draw = p.approximation->value();
    at_beta.emplace_back(p.latent.value(), draw);
    beta.push_back(draw);
    const Tensor term = sum(p.latent.log_prob(draw)) - sum(p.approximation->log_prob(draw));
    log_ratio_global = log_ratio_global ? log_ratio_global + term : term;
    losses.session_substitutions.emplace_back(p.latent.value(), draw);
  }
  // The model's draw (z' ~ p(z | β'), then x' ~ p(x | z', β')) and q's (z ~ q, x the data).
  Swap model_draw = at_beta;
  std::vector<Tensor> z_model, z_q, x_model, x_q;
  for (const LatentPair& p : latent()) {
    if (is_global(p.latent)) continue;
    const Tensor z = detail::copy_quietly(p.latent, at_beta).value();
    model_draw.emplace_back(p.latent.value(), z);
    z_model.push_back(z);
    z_q.push_back(p.approximation->value());
    losses.session_substitutions.emplace_back(p.latent.value(), p.approximation->value());
  }
  for (const DataBinding& d : data()) {
    x_model.push_back(detail::copy_quietly(d.variable, model_draw).value());
    x_q.push_back(d.value);
  }
  std::vector<Tensor> model_rows = x_model, q_rows = x_q;
  model_rows.insert(model_rows.end(), z_model.begin(), z_model.end());
  q_rows.insert(q_rows.end(), z_q.begin(), z_q.end());
  const std::size_t n_x = x_model.size();
  const auto [r_model, r_q] = discriminate_both(
      [&](const std::vector<Tensor>& rows) {
        const std::vector<Tensor> x(rows.begin(), rows.begin() + static_cast<long>(n_x));
        const std::vector<Tensor> z(rows.begin() + static_cast<long>(n_x), rows.end());
        return discriminator_(x, z, beta);
      },
      model_rows, q_rows);
  // Logistic loss with the model's draws labelled 1, averaged over rows.
  losses.loss_d = mean(softplus(-r_model)) + mean(softplus(r_q));
  const Tensor ratio = scale_ * sum(r_q);
  losses.loss = log_ratio_global ? -(log_ratio_global + ratio) : -ratio;
  losses.discriminator_inputs = model_rows;
  losses.discriminator_inputs.insert(losses.discriminator_inputs.end(), q_rows.begin(),
                                     q_rows.end());
  losses.discriminator_inputs.insert(losses.discriminator_inputs.end(), beta.begin(), beta.end());
  return losses;
}

}  // namespace ed
