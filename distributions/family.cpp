// FamilyDistribution: validation, checks and the support restriction shared by every family.
#include "edpp/distributions/family.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed::detail {

FamilyDistribution::FamilyDistribution(std::shared_ptr<const extend::Family> spec,
                                       std::vector<Tensor> params)
    : spec_(std::move(spec)), params_(std::move(params)) {
  for (std::size_t i = 0; i < params_.size(); ++i) {
    if (!params_[i]) {
      throw ed::invalid_argument(spec_->name + ": " + spec_->params[i].name + " Tensor is empty");
    }
  }
  if (spec_->params_broadcast) {
    for (std::size_t i = 0; i < params_.size(); ++i) {
      for (std::size_t j = i + 1; j < params_.size(); ++j) {
        broadcast_params(spec_->name, spec_->params[i].name, params_[i], spec_->params[j].name,
                         params_[j]);
      }
    }
  }
}

Support FamilyDistribution::support() const {
  if (spec_->support_of) {
    if (std::optional<Support> s = spec_->support_of(params_)) return *s;
  }
  return spec_->support;
}

std::vector<Tensor> FamilyDistribution::checked() const {
  std::vector<Tensor> out;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const auto& c = spec_->params[i].constraint;
    out.push_back(c ? check(params_[i], *c, spec_->name, spec_->params[i].name) : params_[i]);
  }
  return out;
}

Tensor FamilyDistribution::log_prob(const Tensor& x) const {
  const Support& domain = spec_->domain ? *spec_->domain : spec_->support;
  if (spec_->pointwise)
    return pointwise_log_prob(spec_->name, *spec_->pointwise, domain, x, checked());
  const Tensor density = spec_->log_prob(checked(), x);
  if (domain.set().is_everything()) return density;
  return restrict_to(density, in_domain(x, domain));
}

Tensor FamilyDistribution::sample(const Tensor& like) const {
  return spec_->sample(checked(), like);
}

Tensor FamilyDistribution::mean() const {
  if (!spec_->mean) return Distribution::mean();
  return spec_->mean(checked());
}

Tensor FamilyDistribution::variance() const {
  if (!spec_->variance) return Distribution::variance();
  return spec_->variance(checked());
}

}  // namespace ed::detail

namespace ed::extend {

std::shared_ptr<Family> count_family(std::string name, std::vector<FamilyParameter> params) {
  auto s = std::make_shared<Family>();
  s->name = std::move(name);
  s->params = std::move(params);
  s->support = Support::nonnegative_integer();
  s->reparameterized = false;  // draws are integers: no gradient reaches the parameters
  return s;
}

std::vector<Tensor> with_like(std::vector<Tensor> params, const Tensor& like) {
  if (like) params.push_back(like);
  return params;
}

std::shared_ptr<const Distribution> make_distribution(const std::shared_ptr<const Family>& family,
                                                      std::vector<Tensor> params) {
  return std::make_shared<detail::FamilyDistribution>(family, std::move(params));
}

}  // namespace ed::extend
