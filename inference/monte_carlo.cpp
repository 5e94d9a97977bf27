// MonteCarlo: the unconstrained target, its state, and the record of draws.
#include "inference/monte_carlo.hpp"

#include <boost/random/uniform_real_distribution.hpp>

#include <cmath>
#include <limits>

#include "core/errors.hpp"
#include "core/ops.hpp"
#include "distributions/bijectors.hpp"

namespace ed {

struct MonteCarlo::State {
  std::vector<Tensor> positions;  // one variable per latent, unconstrained
  std::vector<Index> offsets;     // where each starts in the stacked state
  Eigen::VectorXd position;
  std::unique_ptr<Program> target;         // log density, gradients in the positions
  std::unique_ptr<Program> constrained;    // the latents' values on their own scale
  std::vector<std::vector<double>> draws;  // per latent: draws appended, each flattened
  double accept_sum = 0.0;
  long accept_count = 0;
};

MonteCarlo::MonteCarlo(std::string name, std::vector<LatentPair> latent, Data data)
    : Inference(std::move(name), std::move(latent), std::move(data)) {}

MonteCarlo::~MonteCarlo() = default;

void MonteCarlo::initialize_monte_carlo(const CommonOptions& common) {
  initialize_inference(common);
  auto s = std::make_unique<State>();
  Rng init_rng(seed());
  boost::random::uniform_real_distribution<double> uniform(-2.0, 2.0);
  std::vector<Tensor> values;
  Tensor log_jacobian;
  Index dimension = 0;
  for (std::size_t i = 0; i < latent().size(); ++i) {
    const RandomVariable& z = latent()[i].latent;
    const Shape shape = z.value().shape();
    const Support support = z.support();
    if (!shape.is_known() || support.is_discrete()) {
      throw ed::invalid_argument(algorithm() + ": the latent " + z.describe() +
                                 " must have a known shape and a continuous support");
    }
    const Shape u_shape = unconstrained_shape(support, shape);
    Matrix start(u_shape.rows, u_shape.cols);
    for (Index k = 0; k < start.size(); ++k) start.data()[k] = uniform(init_rng.engine());
    for (const auto& [rv, value] : common_options().init) {
      if (rv == z) start = unconstrain(support, value);
    }
    const Tensor u = variable(start, algorithm() + "/u" + std::to_string(i));
    s->positions.push_back(u);
    s->offsets.push_back(dimension);
    dimension += start.size();
    values.push_back(constrain(support, u));
    const Tensor jacobian = sum(log_det_jacobian(support, u));
    log_jacobian = log_jacobian ? log_jacobian + jacobian : jacobian;
  }
  const ModelTerms terms = model_terms(values);
  Tensor log_density = -terms.negative_log_joint();
  if (log_jacobian) log_density = log_density + log_jacobian;
  s->target = std::make_unique<Program>(std::vector<Tensor>{log_density}, s->positions,
                                        terms.substitutions);
  require_bound(*s->target);
  if (!values.empty()) s->constrained = std::make_unique<Program>(values);
  s->position.resize(dimension);
  for (std::size_t i = 0; i < s->positions.size(); ++i) {
    const Matrix& v = s->positions[i].value();
    s->position.segment(s->offsets[i], v.size()) =
        Eigen::Map<const Eigen::VectorXd>(v.data(), v.size());
  }
  s->draws.resize(latent().size());
  for (const LatentPair& p : latent()) {
    if (!p.approximation) continue;
    const std::vector<Tensor> params = p.approximation->params();
    const Index size = p.latent.value().shape().rows * p.latent.value().shape().cols;
    if (params.size() != 1 || !params[0].is_variable() || params[0].shape().cols != size) {
      throw ed::invalid_argument(algorithm() + ": the approximation " +
                                 p.approximation->describe() + " of latent " + p.latent.describe() +
                                 " must be an Empirical whose params are a variable of " +
                                 std::to_string(size) + " columns (one draw per row)");
    }
  }
  session().set_substitutions(terms.latent_substitutions);
  state_ = std::move(s);
}

Eigen::VectorXd& MonteCarlo::position() { return state_->position; }

Index MonteCarlo::dimension() const { return state_ ? state_->position.size() : 0; }

void MonteCarlo::set_state(const Eigen::VectorXd& u) {
  State& s = *state_;
  for (std::size_t i = 0; i < s.positions.size(); ++i) {
    Matrix& v = detail::mutable_value(s.positions[i]);
    Eigen::Map<Eigen::VectorXd>(v.data(), v.size()) = u.segment(s.offsets[i], v.size());
  }
}

double MonteCarlo::log_density(const Eigen::VectorXd& u, const Feed& feed) {
  set_state(u);
  state_->target->forward(feed, session().rng());
  return state_->target->output(0)(0, 0);
}

double MonteCarlo::log_density_and_gradient(const Eigen::VectorXd& u, Eigen::VectorXd& gradient,
                                            const Feed& feed) {
  State& s = *state_;
  const double value = log_density(u, feed);
  gradient.resize(u.size());
  if (!std::isfinite(value)) {
    gradient.setZero();
    return value;
  }
  s.target->backward();
  for (std::size_t i = 0; i < s.positions.size(); ++i) {
    const Matrix& g = s.target->gradient(i);
    gradient.segment(s.offsets[i], g.size()) =
        Eigen::Map<const Eigen::VectorXd>(g.data(), g.size());
  }
  return value;
}

Info MonteCarlo::do_update(const Feed& feed) {
  State& s = *state_;
  const double accept = draw(feed, session().rng());
  s.accept_sum += accept;
  ++s.accept_count;
  set_state(s.position);
  if (s.constrained) {
    s.constrained->forward(feed, session().rng());
    for (std::size_t i = 0; i < s.draws.size(); ++i) {
      const Matrix& value = s.constrained->output(i);
      s.draws[i].insert(s.draws[i].end(), value.data(), value.data() + value.size());
      // Row t of the Empirical's params, when it has room (finalize() writes the rest).
      if (const auto& q = latent()[i].approximation) {
        Matrix& params = detail::mutable_value(q->params()[0]);
        const Index t = static_cast<Index>(s.draws[i].size() / value.size()) - 1;
        if (t < params.rows()) {
          params.row(t) = Eigen::Map<const Eigen::RowVectorXd>(value.data(), value.size());
        }
      }
    }
  }
  Info info;
  info.loss = -log_density(s.position, feed);
  info.accept_rate = accept;
  return info;
}

double MonteCarlo::do_loss(const Feed& feed) { return -log_density(state_->position, feed); }

std::vector<Tensor> MonteCarlo::state_variables() { return state_->positions; }

void MonteCarlo::after_load() {
  State& s = *state_;
  for (std::size_t i = 0; i < s.positions.size(); ++i) {
    const Matrix& v = s.positions[i].value();
    s.position.segment(s.offsets[i], v.size()) =
        Eigen::Map<const Eigen::VectorXd>(v.data(), v.size());
  }
}

Matrix MonteCarlo::draws(const RandomVariable& z) const {
  for (std::size_t i = 0; i < latent().size(); ++i) {
    if (!(latent()[i].latent == z)) continue;
    if (!state_) return Matrix(0, z.value().shape().rows * z.value().shape().cols);
    const Index size = z.value().shape().rows * z.value().shape().cols;
    const std::vector<double>& all = state_->draws[i];
    const Index n = static_cast<Index>(all.size()) / size;
    // Stored draw after draw; row t of the result is draw t.
    return Eigen::Map<const Matrix>(all.data(), size, n).transpose();
  }
  latent_pair(z);  // throws, naming it
  return {};
}

void MonteCarlo::finalize(const Feed&) {
  require_initialized("finalize()");
  for (std::size_t i = 0; i < latent().size(); ++i) {
    if (const auto& q = latent()[i].approximation) {
      detail::mutable_value(q->params()[0]) = draws(latent()[i].latent);
    }
  }
}

double MonteCarlo::acceptance_rate() const {
  if (!state_ || state_->accept_count == 0) return std::numeric_limits<double>::quiet_NaN();
  return state_->accept_sum / static_cast<double>(state_->accept_count);
}

}  // namespace ed
