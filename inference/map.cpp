// MAP: builds the negative log joint with substitutions, then steps an optimizer on it.
#include "inference/map.hpp"

#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <sstream>

#include "core/checkpoint.hpp"
#include "core/errors.hpp"
#include "core/ops.hpp"
#include "core/program.hpp"
#include "distributions/bijectors.hpp"
#include "inference/progress.hpp"
#include "inference/sharded_loss.hpp"

namespace ed {

struct MAP::State {
  explicit State(const MapOptions& o, std::uint64_t seed) : options(o), session(seed) {}
  MapOptions options;
  Session session;
  std::unique_ptr<Optimizer> optimizer;
  std::unique_ptr<Program> train;  // loss and gradients
  std::unique_ptr<Program> eval;   // loss only: its buffers keep their own (e.g. test-set) shape
  std::unique_ptr<detail::ShardedLoss> sharded;  // when rows are split over threads
  std::string threading = "1 thread";
  std::vector<Matrix*> params;
  std::vector<Matrix*> grads;  // where the loss's gradients land (train or sharded)
  std::vector<std::pair<Tensor, Tensor>> estimates;  // latent value → its estimate
  std::vector<Tensor> trainable;
  long t = 0;
};

MAP::MAP(std::vector<RandomVariable> latent_vars, Data data) : data_(std::move(data)) {
  for (auto& z : latent_vars) latent_.emplace_back(std::move(z), std::nullopt);
}

MAP::MAP(std::initializer_list<LatentBinding> latent_vars, Data data) : data_(std::move(data)) {
  for (const auto& b : latent_vars) latent_.emplace_back(b.latent, b.estimate);
}

MAP::~MAP() = default;

namespace {

std::string describe(const RandomVariable& rv) {
  const std::string& name = rv.value().name();
  return std::string(rv.distribution().name()) + (name.empty() ? "" : " '" + name + "'");
}

void check_data_shape(const RandomVariable& rv, const Tensor& value) {
  const Shape a = rv.value().shape(), b = value.shape();
  // A random variable of one row (or column) may describe every row of its data (iid draws, as
  // Stan's vectorised sampling statements); other sizes must agree.
  auto clash = [](Index x, Index y) { return x != Dynamic && y != Dynamic && x != y && x != 1; };
  if (clash(a.rows, b.rows) || clash(a.cols, b.cols)) {
    throw ed::invalid_argument("MAP: data for a " + describe(rv) + " of shape " + to_string(a) +
                               " has shape " + to_string(b));
  }
}

Matrix standard_normal(Shape shape, Rng& rng) {
  boost::random::normal_distribution<double> normal;
  Matrix m(shape.rows, shape.cols);
  for (Index k = 0; k < m.size(); ++k) m.data()[k] = normal(rng.engine());
  return m;
}

}  // namespace

void MAP::initialize(MapOptions options) {
  const std::uint64_t seed = options.seed ? *options.seed : detail::next_seed();
  state_ = std::make_unique<State>(options, seed);
  State& s = *state_;
  s.optimizer = options.optimizer.make();
  Rng init_rng(seed);

  Substitutions substitutions;
  std::vector<Tensor> terms;
  std::vector<Tensor> prior_terms;
  std::vector<detail::ShardedLoss::WeightedTerm> data_terms;
  for (std::size_t i = 0; i < latent_.size(); ++i) {
    const auto& [z, user_estimate] = latent_[i];
    Tensor estimate;
    if (user_estimate) {
      estimate = user_estimate->params_value();
    } else {
      const Shape shape = z.value().shape();
      if (!shape.is_known()) {
        throw ed::invalid_argument("MAP: the shape of latent " + describe(z) + " is " +
                                   to_string(shape) + "; it must be known to place a point mass");
      }
      const Support support = z.support();
      Matrix start = standard_normal(unconstrained_shape(support, shape), init_rng);
      for (const auto& [rv, value] : options.init) {
        if (!(rv == z)) continue;
        if (shape_of(value) != shape) {
          throw ed::invalid_argument("MAP: the initial value of latent " + describe(z) +
                                     " has shape " + to_string(shape_of(value)) + ", expected " +
                                     to_string(shape));
        }
        start = unconstrain(support, value);
      }
      const Tensor u = variable(start, "MAP/q" + std::to_string(i));
      estimate = constrain(support, u);
    }
    substitutions.emplace_back(z.value(), estimate);
    s.estimates.emplace_back(z.value(), estimate);
    terms.push_back(sum(z.log_prob(estimate)));
    prior_terms.push_back(terms.back());
  }
  for (const DataBinding& d : data_) {
    check_data_shape(d.variable, d.value);
    substitutions.emplace_back(d.variable.value(), d.value);
    double weight = 1.0;
    for (const auto& [rv, w] : options.scale) {
      if (rv == d.variable) weight = w;
    }
    const Tensor density = d.variable.log_prob(d.value);
    data_terms.emplace_back(density, weight);
    terms.push_back(weight == 1.0 ? sum(density) : weight * sum(density));
  }
  if (terms.empty()) throw ed::invalid_argument("MAP: no latent variables and no data");
  Tensor log_joint = terms.front();
  for (std::size_t i = 1; i < terms.size(); ++i) log_joint = log_joint + terms[i];
  const Tensor loss = -log_joint;

  std::vector<Tensor> trainable = options.var_list;
  if (trainable.empty()) trainable = Program({loss}, {}, substitutions).variables();
  if (trainable.empty()) {
    throw ed::invalid_argument("MAP: nothing to train: the loss depends on no variable");
  }
  s.eval =
      std::make_unique<Program>(std::vector<Tensor>{loss}, std::vector<Tensor>{}, substitutions);
  s.trainable = trainable;
  if (options.threads > 1) {
    std::string why;
    s.sharded = detail::ShardedLoss::make(data_terms, prior_terms, trainable, substitutions,
                                          options.threads, why);
    s.threading = s.sharded ? std::to_string(options.threads) + " threads (rows split in blocks)"
                            : "1 thread: " + why;
  }
  // The whole-batch training program only when the rows are not split over threads.
  if (!s.sharded) {
    s.train = std::make_unique<Program>(std::vector<Tensor>{loss}, trainable, substitutions);
  }
  for (std::size_t i = 0; i < trainable.size(); ++i) {
    s.params.push_back(&detail::mutable_value(trainable[i]));
    s.grads.push_back(s.sharded ? &s.sharded->gradient(i) : &s.train->gradient(i));
  }
  // Fetches in session() see latent variables at their estimates (data stays as the user feeds).
  Substitutions latent_only(s.estimates.begin(), s.estimates.end());
  s.session.set_substitutions(std::move(latent_only));
}

void MAP::require_initialized() {
  if (!state_) initialize();
}

Info MAP::update(const Feed& feed) {
  require_initialized();
  State& s = *state_;
  const long t = s.t + 1;
  auto fail = [&](const std::string& what, const std::optional<std::string>& node) {
    std::ostringstream msg;
    msg << "MAP: iteration " << t << ": " << what;
    if (node) msg << "; the first non-finite value is " << *node;
    throw ed::numerical_error(msg.str());
  };
  // Loss and gradients (into s.grads), on one program or on row blocks in parallel.
  auto evaluate = [&]() {
    if (s.sharded) return s.sharded->evaluate(feed, s.session.rng());
    s.train->forward(feed, s.session.rng());
    const double value = s.train->output(0)(0, 0);
    if (std::isfinite(value)) s.train->backward();
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
  s.t = t;
  return {t, loss};
}

double MAP::loss(const Feed& feed) {
  require_initialized();
  state_->eval->forward(feed, state_->session.rng());
  return state_->eval->output(0)(0, 0);
}

void MAP::run(const Feed& feed) {
  require_initialized();
  const long n = state_->options.n_iter;
  const long every = state_->options.n_print > 0 ? state_->options.n_print : std::max(1L, n / 100);
  ProgressBar bar(n, every);
  for (long i = 0; i < n; ++i) {
    const Info info = update(feed);
    bar.update(i + 1, info.loss);
  }
}

Matrix MAP::value(const RandomVariable& latent) {
  require_initialized();
  for (const auto& [z, estimate] : state_->estimates) {
    if (z == latent.value()) return state_->session.run({estimate})[0];
  }
  throw ed::invalid_argument("MAP::value: " + describe(latent) +
                             " is not a latent variable of this inference");
}

Session& MAP::session() {
  require_initialized();
  return state_->session;
}

long MAP::iteration() const { return state_ ? state_->t : 0; }

std::string MAP::threading() {
  require_initialized();
  return state_->threading;
}

std::vector<Tensor> MAP::variables() {
  require_initialized();
  return state_->trainable;
}

void MAP::save(const std::string& path) { save_variables(path, variables()); }

void MAP::load(const std::string& path) {
  load_variables(path, variables());
  state_->optimizer->reset();
}

}  // namespace ed
