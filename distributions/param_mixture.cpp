// ParamMixture: components by gathering their parameters' rows at the assignments; the
// collapsed density by logsumexp over components.
#include "edpp/distributions/param_mixture.hpp"

#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bounded.hpp"
#include "edpp/distributions/discrete.hpp"
#include "edpp/distributions/graph.hpp"
#include "edpp/distributions/location_scale.hpp"
#include "edpp/distributions/multivariate.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/distributions/positive.hpp"

namespace ed {

namespace {

/// Row-wise log density of `component` at x: one value per row (an elementwise family's
/// columns are the coordinates of one draw).
Tensor per_row(const Tensor& log_density) {
  return log_density.shape().cols == 1 ? log_density : sum(log_density, 1);
}

class ParamMixtureDistribution final : public Distribution {
 public:
  ParamMixtureDistribution(Tensor weights, std::vector<Tensor> params, ComponentFamily family,
                           Tensor assignments, bool collapsed)
      : weights_(std::move(weights)),
        params_(std::move(params)),
        family_(std::move(family)),
        collapsed_(collapsed) {
    std::vector<Tensor> gathered;
    for (const Tensor& p : params_) gathered.push_back(gather_rows(p, assignments));
    conditional_ = family_(gathered).distribution_ptr();
  }
  std::string_view name() const override { return "ParamMixture"; }
  Tensor log_prob(const Tensor& x) const override {
    return collapsed_ ? marginal_log_prob(x) : conditional_->log_prob(x);
  }
  Tensor sample(const Tensor& like = Tensor()) const override { return conditional_->sample(like); }
  Tensor mean() const override { return matmul(weights_, family_(params_).mean()); }
  Tensor variance() const override {
    const RandomVariable components = family_(params_);
    const Tensor mean = matmul(weights_, components.mean());
    return matmul(weights_, components.variance() + square(components.mean())) - square(mean);
  }
  Support support() const override { return conditional_->support(); }
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override {
    std::vector<Tensor> all{weights_};
    all.insert(all.end(), params_.begin(), params_.end());
    return all;
  }

  Tensor marginal_log_prob(const Tensor& x) const {
    const Index k = weights_.shape().cols;
    std::vector<Tensor> columns;
    for (Index j = 0; j < k; ++j) {
      std::vector<Tensor> row_params;
      for (const Tensor& p : params_) row_params.push_back(row(p, j));
      columns.push_back(per_row(family_(row_params).log_prob(x)));
    }
    return logsumexp(concat(columns, 1) + log(weights_), 1);
  }

 private:
  Tensor weights_;
  std::vector<Tensor> params_;
  ComponentFamily family_;
  bool collapsed_;
  std::shared_ptr<const Distribution> conditional_;
};

template <class F>
ComponentFamily two(F make) {
  return [make](const std::vector<Tensor>& p) -> RandomVariable {
    if (p.size() != 2) throw ed::invalid_argument("ParamMixture: this family takes 2 parameters");
    return make(p[0], p[1]);
  };
}

template <class F>
ComponentFamily one(F make) {
  return [make](const std::vector<Tensor>& p) -> RandomVariable {
    if (p.size() != 1) throw ed::invalid_argument("ParamMixture: this family takes 1 parameter");
    return make(p[0]);
  };
}

}  // namespace

ComponentFamily component_family(std::string_view name) {
  using T = const Tensor&;
  if (name == "Normal") return two([](T a, T b) { return Normal(a, b); });
  if (name == "LogNormal") return two([](T a, T b) { return LogNormal(a, b); });
  if (name == "Cauchy") return two([](T a, T b) { return Cauchy(a, b); });
  if (name == "Laplace") return two([](T a, T b) { return Laplace(a, b); });
  if (name == "Logistic") return two([](T a, T b) { return Logistic(a, b); });
  if (name == "Gamma") return two([](T a, T b) { return Gamma(a, b); });
  if (name == "InverseGamma") return two([](T a, T b) { return InverseGamma(a, b); });
  if (name == "Beta") return two([](T a, T b) { return Beta(a, b); });
  if (name == "Binomial") return two([](T a, T b) { return Binomial(a, b); });
  if (name == "Multinomial") return two([](T a, T b) { return Multinomial(a, b); });
  if (name == "MultivariateNormalDiag") {
    return two([](T a, T b) { return MultivariateNormalDiag(a, b); });
  }
  if (name == "Exponential") return one([](T a) { return Exponential(a); });
  if (name == "Bernoulli") return one([](T a) { return Bernoulli(a); });
  if (name == "Poisson") return one([](T a) { return Poisson(a); });
  if (name == "Categorical") return one([](T a) { return Categorical(a); });
  if (name == "StudentT") {
    return [](const std::vector<Tensor>& p) -> RandomVariable {
      if (p.size() != 3) throw ed::invalid_argument("ParamMixture: StudentT takes 3 parameters");
      return StudentT(p[0], p[1], p[2]);
    };
  }
  throw ed::invalid_argument("ParamMixture: no built-in family named '" + std::string(name) +
                             "'; pass a function from the parameters to a random variable");
}

namespace {
struct Parts {
  std::shared_ptr<const Distribution> distribution;
  Categorical cat;
  RandomVariable components;
  Index k;
};

Parts build(const Tensor& weights, const std::vector<Tensor>& params, const ComponentFamily& family,
            Index n, bool collapsed) {
  if (!family) throw ed::invalid_argument("ParamMixture: no component family");
  if (n < 1) throw ed::invalid_argument("ParamMixture: n must be at least 1");
  const Shape w = weights.shape();
  if (w.cols == Dynamic || (w.rows != 1 && w.rows != n)) {
    throw ed::invalid_argument("ParamMixture: mixing_weights " + to_string(w) +
                               " must be 1×K or n×K (n = " + std::to_string(n) +
                               ") with a known K");
  }
  if (params.empty()) throw ed::invalid_argument("ParamMixture: no component parameters");
  for (std::size_t j = 0; j < params.size(); ++j) {
    if (params[j].shape().rows != w.cols) {
      throw ed::invalid_argument("ParamMixture: component parameter " + std::to_string(j) +
                                 " has shape " + to_string(params[j].shape()) + ", but its " +
                                 "rows must be the " + std::to_string(w.cols) +
                                 " components of mixing_weights " + to_string(w));
    }
  }
  const Tensor per_row_weights = broadcast_like(weights, Matrix::Zero(n, w.cols));
  Categorical cat = Categorical::from_probs(per_row_weights);
  RandomVariable components = family(params);
  // Edward keeps the components out of the graph's collections: they are a view of the
  // parameters, not a variable of the model (complete_conditional would count them).
  detail::hide_from_graph(components);
  auto distribution = std::make_shared<ParamMixtureDistribution>(per_row_weights, params, family,
                                                                 cat.value(), collapsed);
  return {std::move(distribution), std::move(cat), std::move(components), w.cols};
}
}  // namespace

ParamMixture::ParamMixture(const Tensor& mixing_weights,
                           const std::vector<Tensor>& component_params,
                           const ComponentFamily& family, Index n, bool collapsed)
    : ParamMixture([&] {
        Parts parts = build(mixing_weights, component_params, family, n, collapsed);
        return ParamMixture(std::move(parts.distribution), std::move(parts.cat),
                            std::move(parts.components), parts.k);
      }()) {}

ParamMixture::ParamMixture(const Tensor& mixing_weights,
                           const std::vector<Tensor>& component_params, std::string_view family,
                           Index n, bool collapsed)
    : ParamMixture(mixing_weights, component_params, component_family(family), n, collapsed) {}

ParamMixture::ParamMixture(std::shared_ptr<const Distribution> distribution, Categorical cat,
                           RandomVariable components, Index k)
    : RandomVariable(std::move(distribution)),
      cat_(std::move(cat)),
      components_(std::move(components)),
      num_components_(k) {}

Tensor ParamMixture::marginal_log_prob(const Tensor& x) const {
  return static_cast<const ParamMixtureDistribution&>(distribution()).marginal_log_prob(x);
}

}  // namespace ed
