// MAP: a point mass per latent variable; the loss is the negative log joint at them.
#include "edpp/inference/variational/map.hpp"

#include <boost/random/normal_distribution.hpp>

#include "edpp/core/errors.hpp"
#include "edpp/distributions/bijectors.hpp"

namespace ed {

namespace {
std::vector<LatentPair> pairs_of(std::initializer_list<LatentBinding> latent) {
  std::vector<LatentPair> pairs;
  for (const auto& b : latent) pairs.push_back({b.latent, b.estimate});
  return pairs;
}

Matrix standard_normal(Shape shape, Rng& rng) {
  boost::random::normal_distribution<double> normal;
  Matrix m(shape.rows, shape.cols);
  for (Index k = 0; k < m.size(); ++k) m.data()[k] = normal(rng.engine());
  return m;
}
}  // namespace

MAP::MAP(std::vector<RandomVariable> latent_vars, Data data)
    : VariationalInference("MAP", detail::unpaired(std::move(latent_vars)), std::move(data)) {}

MAP::MAP(std::initializer_list<LatentBinding> latent_vars, Data data)
    : VariationalInference("MAP", pairs_of(latent_vars), std::move(data)) {}

void MAP::initialize(MapOptions o) { initialize_variational(o); }

VariationalInference::Loss MAP::build_loss_and_gradients() {
  Rng init_rng(seed());
  estimates_.clear();
  for (std::size_t i = 0; i < latent().size(); ++i) {
    const auto& [z, user_estimate] = latent()[i];
    if (user_estimate) {  // a user's PointMass: its parameter, as it is
      estimates_.push_back(user_estimate->params().front());
      continue;
    }
    const Shape shape = z.value().shape();
    if (!shape.is_known()) {
      throw ed::invalid_argument("MAP: the shape of latent " + z.describe() +
                                 " must be known to place a point mass");
    }
    const Support support = z.support();
    if (support.is_discrete()) {
      throw ed::invalid_argument("MAP: the latent " + z.describe() + " has the discrete " +
                                 support.name() +
                                 " support; MAP optimises continuous latents only");
    }
    Matrix start = standard_normal(unconstrained_shape(support, shape), init_rng);
    for (const auto& [rv, value] : common_options().init) {
      if (rv == z) start = unconstrain(support, value);
    }
    const Tensor u = variable(start, "MAP/q" + std::to_string(i));
    estimates_.push_back(constrain(support, u));
  }
  const ModelTerms terms = model_terms(estimates_);
  Loss loss;
  loss.data_terms = terms.data_terms;
  loss.global_terms = terms.latent_terms;
  loss.global_terms.insert(loss.global_terms.end(), terms.factor_terms.begin(),
                           terms.factor_terms.end());
  loss.substitutions = terms.substitutions;
  loss.session_substitutions = terms.latent_substitutions;
  return loss;
}

Matrix MAP::value(const RandomVariable& latent) {
  require_initialized("value()");
  for (std::size_t i = 0; i < this->latent().size(); ++i) {
    if (this->latent()[i].latent == latent) return session().run({estimates_[i]})[0];
  }
  latent_pair(latent);  // throws, naming it
  return {};
}

}  // namespace ed
