// Mixture log density (generic logsumexp or the fused normal mixture), moments and sampling.
#include "edpp/distributions/mixture.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/distributions/normal_mixture_op.hpp"

namespace ed {

namespace detail {

MixtureDistribution::MixtureDistribution(
    std::shared_ptr<const CategoricalDistribution> cat,
    std::vector<std::shared_ptr<const Distribution>> components, bool components_in_columns)
    : cat_(std::move(cat)), components_(std::move(components)), in_columns_(components_in_columns) {
  if (components_.empty()) throw ed::invalid_argument("Mixture: needs at least one component");
  const Index k = cat_->logits().shape().cols;
  if (!in_columns_ && k != Dynamic && static_cast<std::size_t>(k) != components_.size()) {
    throw ed::invalid_argument("Mixture: " + std::to_string(components_.size()) +
                               " components but the Categorical's logits have " +
                               std::to_string(k) + " columns");
  }
  if (in_columns_ && k != Dynamic) {
    // Same-family form: component k is column k of the components' batch.
    const Index columns = components_.front()->sample().shape().cols;
    if (columns != Dynamic && columns != k && columns != 1) {
      throw ed::invalid_argument("Mixture: the Categorical has " + std::to_string(k) +
                                 " classes but the components have " + std::to_string(columns) +
                                 " columns (one per class)");
    }
  }
  for (const auto& c : components_) {
    if (c->support().is_discrete() != components_.front()->support().is_discrete()) {
      throw ed::invalid_argument("Mixture: components mix discrete and continuous supports");
    }
  }
}

Tensor MixtureDistribution::component_columns(Tensor (Distribution::*moment)() const) const {
  if (in_columns_) return (components_.front().get()->*moment)();
  std::vector<Tensor> columns;
  for (const auto& c : components_) columns.push_back((c.get()->*moment)());
  return concat(columns, 1);
}

Tensor MixtureDistribution::log_prob(const Tensor& x) const {
  // Fused path: every component is a Normal.
  std::vector<std::vector<Tensor>> normals;  // each component's loc and scale
  for (const auto& c : components_) {
    if (auto p = c->params_of("Normal")) normals.push_back(std::move(*p));
  }
  if (normals.size() == components_.size()) {
    std::vector<Tensor> locs, scales, log_scales;
    bool scales_from_logs = true;  // every scale made as exp(u): u alone goes into the op
    for (const std::vector<Tensor>& p : normals) {
      const Tensor &loc = p[0], &scale = p[1];
      locs.push_back(loc);
      scales.push_back(scale);
      log_scales.push_back(log_of_positive(scale));
      scales_from_logs = scales_from_logs && exponent_of(scale).has_value();
    }
    auto join = [&](const std::vector<Tensor>& parts) {
      return in_columns_ ? parts.front() : concat(parts, 1);
    };
    if (scales_from_logs) {
      return normal_mixture_log_prob_log_scale(cat_->logits(), join(locs), join(log_scales), x);
    }
    return normal_mixture_log_prob(cat_->logits(), join(locs), join(scales), join(log_scales), x);
  }
  // Generic path: log Σ_k π_k p_k(x) = logsumexp_k(log_softmax(logits)_k + log p_k(x)).
  std::vector<Tensor> parts;
  for (const auto& c : components_) parts.push_back(c->log_prob(x));
  const Tensor component_log_probs = in_columns_ ? parts.front() : concat(parts, 1);
  return logsumexp(log_softmax(cat_->logits()) + component_log_probs, 1);
}

Tensor MixtureDistribution::sample(const Tensor& like) const {
  // Draw every component once per row of the batch, then keep the one the Categorical picks.
  const Tensor logits = like ? broadcast_like(cat_->logits(), col(like, 0)) : cat_->logits();
  const Tensor labels = CategoricalDistribution(logits).sample();
  if (in_columns_) return gather(components_.front()->sample(logits), labels);
  // Edward's list form: component k's draw (a row per data point, one or more columns) where
  // the label is k. Works for multivariate components too.
  Tensor picked;
  for (std::size_t k = 0; k < components_.size(); ++k) {
    const Tensor is_k = between(labels, double(k), double(k));
    const Tensor part = is_k * components_[k]->sample(col(logits, 0));
    picked = picked ? picked + part : part;
  }
  return picked;
}

Tensor MixtureDistribution::mean() const {
  return sum(softmax(cat_->logits()) * component_columns(&Distribution::mean), 1);
}

Tensor MixtureDistribution::variance() const {
  // Var = Σ π_k (σ_k² + μ_k²) − (Σ π_k μ_k)²
  const Tensor w = softmax(cat_->logits());
  const Tensor mu = component_columns(&Distribution::mean);
  const Tensor var = component_columns(&Distribution::variance);
  return sum(w * (var + square(mu)), 1) - square(sum(w * mu, 1));
}

std::vector<Tensor> MixtureDistribution::params() const {
  std::vector<Tensor> all = cat_->params();
  for (const auto& c : components_) {
    for (const Tensor& p : c->params()) all.push_back(p);
  }
  return all;
}

namespace {
std::shared_ptr<const CategoricalDistribution> categorical_of(const Categorical& cat) {
  return std::static_pointer_cast<const CategoricalDistribution>(cat.distribution_ptr());
}
std::vector<std::shared_ptr<const Distribution>> distributions_of(
    const std::vector<RandomVariable>& rvs) {
  std::vector<std::shared_ptr<const Distribution>> out;
  for (const auto& rv : rvs) out.push_back(rv.distribution_ptr());
  return out;
}
}  // namespace

}  // namespace detail

Mixture::Mixture(const Categorical& cat, const std::vector<RandomVariable>& components)
    : RandomVariable(std::make_shared<detail::MixtureDistribution>(
          detail::categorical_of(cat), detail::distributions_of(components), false)) {}

Mixture::Mixture(const Categorical& cat, const RandomVariable& components)
    : RandomVariable(std::make_shared<detail::MixtureDistribution>(
          detail::categorical_of(cat),
          std::vector<std::shared_ptr<const Distribution>>{components.distribution_ptr()}, true)) {}

}  // namespace ed
