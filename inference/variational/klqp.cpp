// KLqp: the ELBO with pathwise or score-function gradients, analytic KL, baselines.
#include "edpp/inference/variational/klqp.hpp"

#include <cmath>

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/kl.hpp"
#include "edpp/distributions/multivariate.hpp"
#include "edpp/distributions/normal.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

Tensor total(const std::vector<Tensor>& terms) {
  Tensor sum_of;
  for (const Tensor& t : terms) sum_of = sum_of ? sum_of + t : t;
  return sum_of ? sum_of : Tensor(0.0);
}

}  // namespace

KLqp::KLqp(std::vector<LatentPair> latent, Data data)
    : KLqp("KLqp", KLqpEstimator::automatic, std::move(latent), std::move(data)) {}

KLqp::KLqp(std::initializer_list<LatentPair> latent, Data data)
    : KLqp(std::vector<LatentPair>(latent), std::move(data)) {}

KLqp::KLqp(std::vector<RandomVariable> latent, Data data)
    : KLqp("KLqp", KLqpEstimator::automatic, detail::unpaired(std::move(latent)), std::move(data)) {
}

KLqp::KLqp(const char* name, KLqpEstimator estimator, std::vector<LatentPair> latent, Data data)
    : VariationalInference(name, std::move(latent), std::move(data)), requested_(estimator) {}

ReparameterizationKLqp::ReparameterizationKLqp(std::vector<LatentPair> latent, Data data)
    : KLqp("ReparameterizationKLqp", KLqpEstimator::reparameterization, std::move(latent),
           std::move(data)) {}
ReparameterizationKLKLqp::ReparameterizationKLKLqp(std::vector<LatentPair> latent, Data data)
    : KLqp("ReparameterizationKLKLqp", KLqpEstimator::reparameterization_kl, std::move(latent),
           std::move(data)) {}
ScoreKLqp::ScoreKLqp(std::vector<LatentPair> latent, Data data)
    : KLqp("ScoreKLqp", KLqpEstimator::score, std::move(latent), std::move(data)) {}
ScoreRBKLqp::ScoreRBKLqp(std::vector<LatentPair> latent, Data data)
    : KLqp("ScoreRBKLqp", KLqpEstimator::score_rb, std::move(latent), std::move(data)) {}

void KLqp::initialize(KLqpOptions o) {
  auto fail = [&](const std::string& what) {
    throw ed::invalid_argument(algorithm() + ": " + what);
  };
  if (o.n_samples < 1) fail("n_samples must be at least 1, got " + std::to_string(o.n_samples));
  for (const auto& [rv, weight] : o.kl_scaling) {
    bool known = false;
    for (const LatentPair& p : latent()) known = known || p.latent == rv;
    if (!known) fail("options.kl_scaling names a " + rv.describe() + " that is not latent");
    if (!(std::isfinite(weight) && weight > 0.0)) {
      fail("options.kl_scaling for " + rv.describe() + " is " + std::to_string(weight) +
           "; a KL weight must be finite and positive");
    }
  }
  for (const LatentPair& p : latent()) {
    if (!p.approximation) {
      const Support support = p.latent.support();
      if (support.is_discrete() || !p.latent.value().shape().is_known()) {
        fail("the latent " + p.latent.describe() +
             " needs a variational family {z, qz}: an automatic guide needs a continuous "
             "support and a known shape");
      }
      continue;
    }
    require_approximation(p, "variational family");
    // q must put its mass where the latent lives: log p(z) of a draw outside is −inf.
    const Support z_support = p.latent.support(), q_support = p.approximation->support();
    if (z_support.is_discrete() != q_support.is_discrete()) {
      fail("the variational family " + p.approximation->describe() + " is " +
           (q_support.is_discrete() ? "discrete" : "continuous") + " but the latent " +
           p.latent.describe() + " is " + (z_support.is_discrete() ? "discrete" : "continuous") +
           "; give a q of the latent's kind (Categorical or Bernoulli for a discrete latent)");
    }
    if (!z_support.set().is_everything() && q_support.set().is_everything()) {
      fail("the variational family " + p.approximation->describe() + " has support " +
           q_support.name() + " but the latent " + p.latent.describe() + " lives on " +
           z_support.name() +
           "; use a q on that support (LogNormal or Gamma for a positive "
           "latent, Beta for one in (0, 1)), or give the latent alone for an automatic guide, "
           "which transforms");
    }
  }
  options_ = o;
  baselines_.clear();
  baselines_started_ = false;
  start_user_approximations(o.init);
  initialize_variational(o);
}

void KLqp::start_user_approximations(
    const std::vector<std::pair<RandomVariable, Matrix>>& init) const {
  // A user's q starts at options.init through its loc; an automatic guide's in build_guide().
  for (const auto& [rv, value] : init) {
    for (const LatentPair& p : latent()) {
      if (!(p.latent == rv) || !p.approximation) continue;
      const auto normal = p.approximation->distribution().params_of("Normal");
      if (!normal || !(*normal)[0].is_variable() || (*normal)[0].shape() != shape_of(value)) {
        throw ed::invalid_argument(
            algorithm() + ": options.init for latent " + p.latent.describe() +
            ": its approximation " + p.approximation->describe() +
            " has no variable loc of that shape to start from; set its variables' initial "
            "values instead");
      }
      (*normal)[0].assign(value);
    }
  }
}

double KLqp::kl_weight(const RandomVariable& z) const {
  for (const auto& [rv, w] : options_.kl_scaling) {
    if (rv == z) return w;
  }
  return 1.0;
}

void KLqp::build_guide() {
  guide_.assign(latent().size(), std::nullopt);
  full_loc_ = full_tril_ = Tensor();
  Index dimension = 0;
  for (std::size_t j = 0; j < latent().size(); ++j) {
    const LatentPair& p = latent()[j];
    if (p.approximation) continue;
    const Shape u = unconstrained_shape(p.latent.support(), p.latent.value().shape());
    GuidePart part;
    part.offset = dimension;
    part.size = u.rows * u.cols;
    dimension += part.size;
    // Stan's ADVI start: mean 0 (or options.init), standard deviation 1 (log scale 0).
    part.start = Matrix::Zero(u.rows, u.cols);
    for (const auto& [rv, value] : options_.init) {
      if (rv == p.latent) part.start = unconstrain(p.latent.support(), value);
    }
    if (options_.guide == Guide::mean_field) {
      part.loc = variable(part.start, algorithm() + "/guide" + std::to_string(j) + "/loc");
      part.scale = exp(variable(Matrix::Zero(u.rows, u.cols),
                                algorithm() + "/guide" + std::to_string(j) + "/log_scale"));
    }
    guide_[j] = part;
  }
  if (dimension > 0 && options_.guide == Guide::full_rank) {
    // L = strictly-lower(R) + diag(exp(diag R)): lower-triangular with a positive diagonal.
    Matrix start(dimension, 1);
    for (const auto& part : guide_) {
      if (part) {
        start.middleRows(part->offset, part->size) =
            Eigen::Map<const Eigen::VectorXd>(part->start.data(), part->size);
      }
    }
    full_loc_ = variable(start, algorithm() + "/guide/loc");
    const Tensor raw = variable(Matrix::Zero(dimension, dimension), algorithm() + "/guide/tril");
    const Matrix strictly_lower =
        Matrix::Ones(dimension, dimension).triangularView<Eigen::StrictlyLower>();
    full_tril_ = raw * strictly_lower + exp(raw) * Matrix::Identity(dimension, dimension);
  }
}

KLqp::LatentDraws KLqp::draw_latents(bool stop) const {
  LatentDraws out;
  Tensor u_all, log_q_all;
  if (full_loc_) {
    const Tensor eps = extend::draw(extend::samplers::normal, {}, {full_loc_});
    u_all = full_loc_ + matmul(full_tril_, eps);
    if (stop) u_all = stop_gradient(u_all);
    // log N(u | loc, L Lᵀ), through the multivariate family (rows are events).
    log_q_all =
        sum(MultivariateNormalTriL(transpose(full_loc_), full_tril_).log_prob(transpose(u_all)));
  }
  bool joint_placed = false;
  for (std::size_t j = 0; j < latent().size(); ++j) {
    const LatentPair& p = latent()[j];
    if (p.approximation) {
      Tensor value = p.approximation->sample();
      if (stop) value = stop_gradient(value);
      out.values.push_back(value);
      out.log_q.push_back(sum(p.approximation->log_prob(value)));
      continue;
    }
    const GuidePart& part = *guide_[j];
    const Support support = p.latent.support();
    const Shape shape = unconstrained_shape(support, p.latent.value().shape());
    Tensor u, log_q_u;
    if (u_all) {
      u = reshape(slice_rows(u_all, part.offset, part.size), shape.rows, shape.cols);
      log_q_u = joint_placed ? Tensor(0.0) : log_q_all;
      joint_placed = true;
    } else {
      const Normal q(part.loc, part.scale);
      u = q.sample();
      if (stop) u = stop_gradient(u);
      log_q_u = sum(q.log_prob(u));
    }
    // log q(z) = log q(u) − log |det ∂z/∂u|: the guide's density carried onto z's scale.
    out.values.push_back(constrain(support, u));
    out.log_q.push_back(log_q_u - sum(log_det_jacobian(support, u)));
  }
  return out;
}

VariationalInference::Loss KLqp::build_loss_and_gradients() {
  build_guide();
  bool reparameterized = true, analytic = true, guided = false;
  for (const LatentPair& p : latent()) {
    if (!p.approximation) {
      guided = true;
      analytic = false;
      continue;
    }
    reparameterized = reparameterized && p.approximation->is_reparameterized();
    analytic = analytic && kl_divergence(*p.approximation, p.latent).has_value();
  }
  if (guided && options_.guide == Guide::full_rank && requested_ == KLqpEstimator::score_rb) {
    throw ed::invalid_argument(algorithm() +
                               ": a full-rank guide has one joint density, which cannot be split "
                               "per latent for Rao-Blackwellisation; use KLqp or ScoreKLqp");
  }
  chosen_ = requested_;
  if (chosen_ == KLqpEstimator::automatic && guided && !reparameterized &&
      options_.guide == Guide::full_rank) {
    chosen_ = KLqpEstimator::score;
  }
  report_values_ = draw_latents(false).values;
  if (chosen_ == KLqpEstimator::automatic) {
    chosen_ = !reparameterized ? KLqpEstimator::score_rb
              : analytic       ? KLqpEstimator::reparameterization_kl
                               : KLqpEstimator::reparameterization;
  }
  if ((chosen_ == KLqpEstimator::reparameterization ||
       chosen_ == KLqpEstimator::reparameterization_kl) &&
      !reparameterized) {
    for (const LatentPair& p : latent()) {
      if (p.approximation && !p.approximation->is_reparameterized()) {
        throw ed::invalid_argument(algorithm() + ": the variational family " +
                                   p.approximation->describe() +
                                   " is not reparameterised; use ScoreKLqp or KLqp");
      }
    }
  }
  switch (chosen_) {
    case KLqpEstimator::reparameterization_kl:
      return reparameterization_loss(true);
    case KLqpEstimator::score:
      return score_loss(false);
    case KLqpEstimator::score_rb:
      return score_loss(true);
    default:
      return reparameterization_loss(false);
  }
}

VariationalInference::Loss KLqp::reparameterization_loss(bool analytic_kl_term) {
  // The negative ELBO averaged over the samples, as terms (Note [Loss as terms]): each
  // sample's data terms with weight scale/S, its KL terms (prior minus q, or −KL) divided by S.
  const double per_sample = 1.0 / static_cast<double>(options_.n_samples);
  Loss loss;
  // KL(q ‖ p), or its estimate log q − log p at the draws, averaged: for the training log.
  Tensor kl_total;
  for (int s = 0; s < options_.n_samples; ++s) {
    const LatentDraws drawn = draw_latents(false);
    const std::vector<Tensor>& draws = drawn.values;
    const ModelTerms terms = model_terms(draws);
    for (const auto& [density, weight] : terms.data_terms) {
      loss.data_terms.emplace_back(density, weight * per_sample);
    }
    for (std::size_t j = 0; j < latent().size(); ++j) {
      const LatentPair& p = latent()[j];
      Tensor kl_part;
      if (analytic_kl_term) {
        // −KL(q ‖ p) with p's parameters seen at this sample's values of the other latents.
        const auto kl = kl_divergence(*p.approximation, p.latent);
        if (!kl) {
          throw ed::invalid_argument(algorithm() + ": no closed-form KL between the " +
                                     p.approximation->describe() + " and the latent " +
                                     p.latent.describe() + "; use ReparameterizationKLqp");
        }
        kl_part = -sum(broadcast_like(detail::copy_graph(*kl, terms.substitutions), draws[j]));
      } else {
        kl_part = terms.latent_terms[j] - drawn.log_q[j];
      }
      const double w = kl_weight(p.latent) * per_sample;
      loss.global_terms.push_back(w == 1.0 ? kl_part : w * kl_part);
      kl_total = kl_total ? kl_total - per_sample * kl_part : -per_sample * kl_part;
    }
    for (const Tensor& f : terms.factor_terms) {
      loss.global_terms.push_back(per_sample == 1.0 ? f : per_sample * f);
    }
    if (s == 0) loss.session_substitutions = terms.latent_substitutions;
    for (const Tensor& d : draws) loss.own_draws.push_back(d);
  }
  if (kl_total) loss.logged.emplace_back("kl", kl_total);
  return loss;
}

VariationalInference::Loss KLqp::score_loss(bool rao_blackwell) {
  // Gradient of the ELBO by the score function: for each learning signal f (the whole ELBO
  // sample, or per latent the terms of its Markov blanket), E_q[∇ log q(z) (f − b)] with z and f
  // held constant, plus the pathwise gradient of log p for the model's own variables.
  const int samples = options_.n_samples;
  const std::size_t signals = rao_blackwell ? latent().size() : 1;
  for (std::size_t k = 0; k < signals; ++k) {
    baselines_.push_back(
        variable(Matrix::Zero(1, 1), algorithm() + "/baseline" + std::to_string(k)));
  }
  Loss loss;
  std::vector<Tensor> elbo_samples, surrogate_parts;
  std::vector<std::vector<Tensor>> signal_samples(signals);
  for (int s = 0; s < samples; ++s) {
    const LatentDraws drawn = draw_latents(true);
    const std::vector<Tensor>& draws = drawn.values;
    std::vector<Tensor> log_q;
    for (std::size_t j = 0; j < latent().size(); ++j) {
      const double w = kl_weight(latent()[j].latent);
      log_q.push_back(w == 1.0 ? drawn.log_q[j] : w * drawn.log_q[j]);
    }
    const ModelTerms terms = model_terms(draws);
    std::vector<Tensor> log_p_terms;
    for (std::size_t j = 0; j < latent().size(); ++j) {
      const double w = kl_weight(latent()[j].latent);
      log_p_terms.push_back(w == 1.0 ? terms.latent_terms[j] : w * terms.latent_terms[j]);
    }
    for (const auto& [density, weight] : terms.data_terms) {
      log_p_terms.push_back(weight == 1.0 ? sum(density) : weight * sum(density));
    }
    log_p_terms.insert(log_p_terms.end(), terms.factor_terms.begin(), terms.factor_terms.end());
    const Tensor log_p = total(log_p_terms);
    elbo_samples.push_back(log_p - total(log_q));
    for (std::size_t k = 0; k < signals; ++k) {
      Tensor signal;
      if (!rao_blackwell) {
        signal = stop_gradient(elbo_samples.back());
      } else {
        // The terms of latent k's Markov blanket: those whose graph holds its draw.
        std::vector<Tensor> local;
        for (const Tensor& term : log_p_terms) {
          if (Program({term}).contains(draws[k])) local.push_back(term);
        }
        signal = stop_gradient(total(local) - log_q[k]);
      }
      signal_samples[k].push_back(signal);
      const Tensor score = rao_blackwell ? log_q[k] : total(log_q);
      surrogate_parts.push_back(score * (signal - baselines_[k]));
    }
    surrogate_parts.push_back(log_p);
    if (s == 0) loss.session_substitutions = terms.latent_substitutions;
  }
  const double n = static_cast<double>(samples);
  loss.loss = -total(elbo_samples) / n;
  loss.surrogate = -total(surrogate_parts) / n;
  for (std::size_t k = 0; k < signals; ++k) {
    loss.monitors.push_back(total(signal_samples[k]) / n);
  }
  loss.untrained = baselines_;
  return loss;
}

std::size_t KLqp::index_of(const RandomVariable& z) const {
  for (std::size_t j = 0; j < latent().size(); ++j) {
    if (latent()[j].latent == z) return j;
  }
  latent_pair(z);  // throws, naming it
  return 0;
}

Matrix KLqp::posterior_draws(const RandomVariable& z, long n) {
  require_initialized("posterior_draws()");
  if (n < 1) {
    throw ed::invalid_argument(algorithm() + ": posterior_draws needs at least 1 draw, got " +
                               std::to_string(n));
  }
  const std::size_t j = index_of(z);
  Program program({report_values_[j]});
  const Index size = z.value().shape().rows * z.value().shape().cols;
  Matrix draws(n, size);
  for (long t = 0; t < n; ++t) {
    program.forward({}, session().rng());
    const Matrix& v = program.output(0);
    draws.row(t) = Eigen::Map<const Eigen::RowVectorXd>(v.data(), size);
  }
  return draws;
}

Matrix KLqp::posterior_mean(const RandomVariable& z, long n) {
  const Matrix draws = posterior_draws(z, n);
  Matrix mean = draws.colwise().mean();
  mean.resize(z.value().shape().rows, z.value().shape().cols);
  return mean;
}

Matrix KLqp::posterior_stddev(const RandomVariable& z, long n) {
  const Matrix draws = posterior_draws(z, n);
  const Eigen::RowVectorXd mean = draws.colwise().mean();
  Matrix sd = ((draws.rowwise() - mean).array().square().colwise().sum() /
               static_cast<double>(std::max<long>(n - 1, 1)))
                  .sqrt()
                  .matrix();
  sd.resize(z.value().shape().rows, z.value().shape().cols);
  return sd;
}

void KLqp::after_step(const std::vector<double>& monitors) {
  // Running-mean baselines (decay 0.9), started at the first signal; a baseline fixed before
  // the draws it is used with keeps the estimator unbiased.
  for (std::size_t k = 0; k < baselines_.size(); ++k) {
    Matrix& b = detail::mutable_value(baselines_[k]);
    b(0, 0) = baselines_started_ ? 0.9 * b(0, 0) + 0.1 * monitors[k] : monitors[k];
  }
  baselines_started_ = true;
}

}  // namespace ed
