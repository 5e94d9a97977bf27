// MonteCarlo: per-chain targets, states and records of draws (Note [Chains]).
#include "edpp/inference/mcmc/monte_carlo.hpp"

#include <boost/random/uniform_real_distribution.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/messages.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/distributions/factor.hpp"
#include "edpp/inference/mcmc/diagnostics.hpp"
#include "edpp/parallel/packing.hpp"
#include "edpp/parallel/worker.hpp"

namespace ed {

// The one threading path of the chains: chain k > 0 on worker k − 1, chain 0 on the caller's
// thread. update() hands each worker one draw; run() hands each all of its draws, so chains run
// apart for the whole run and meet only at its end.
struct MonteCarlo::Threads {
  std::vector<std::function<void()>> tasks;              // [chain]: one draw
  std::vector<std::unique_ptr<detail::Worker>> workers;  // one per chain but the first

  // Runs tasks[k] for every chain, in parallel, and rethrows the first error (by chain).
  void run(const std::vector<std::function<void()>>& chain_tasks) {
    for (std::size_t k = 1; k < chain_tasks.size(); ++k) workers[k - 1]->start(&chain_tasks[k]);
    std::exception_ptr error;
    try {
      chain_tasks[0]();
    } catch (...) {
      error = std::current_exception();
    }
    for (std::size_t k = 1; k < chain_tasks.size(); ++k) {
      try {
        workers[k - 1]->wait();
      } catch (...) {
        if (!error) error = std::current_exception();
      }
    }
    if (error) std::rethrow_exception(error);
  }
};

MonteCarlo::MonteCarlo(std::string name, std::vector<LatentPair> latent, Data data)
    : Inference(std::move(name), std::move(latent), std::move(data)) {}

MonteCarlo::~MonteCarlo() = default;

void MonteCarlo::initialize_monte_carlo(const CommonOptions& common, int chains, long n_warmup) {
  ProcessGroup* group = common.distributed;
  if (!group) {
    build_chains(common, chains, n_warmup);
    return;
  }
  const CommonOptions agreed = with_agreed_seed(common);
  group->collectively([&] { build_chains(agreed, chains, n_warmup); });
}

void MonteCarlo::initialize_monte_carlo(const MonteCarloCommon& c) {
  if (c.common.n_iter < 0) {
    throw ed::invalid_argument(algorithm() + ": n_iter must be non-negative, got " +
                               std::to_string(c.common.n_iter));
  }
  CommonOptions updates = c.common;  // every update of run(), warm-up included
  updates.n_iter = c.n_warmup + c.common.n_iter;
  initialize_monte_carlo(updates, c.chains, c.n_warmup);
}

void MonteCarlo::build_chains(const CommonOptions& common, int chains, long n_warmup) {
  if (chains < 1) {
    throw ed::invalid_argument(algorithm() + ": chains must be at least 1, got " +
                               std::to_string(chains));
  }
  if (n_warmup < 0) {
    throw ed::invalid_argument(algorithm() + ": n_warmup must be non-negative, got " +
                               std::to_string(n_warmup));
  }
  const int processes = common.distributed ? common.distributed->size() : 1;
  const int rank = common.distributed ? common.distributed->rank() : 0;
  if (chains < processes) {
    throw ed::invalid_argument(algorithm() + ": " + std::to_string(chains) + " chains for " +
                               std::to_string(processes) +
                               " processes; each process runs at least one chain");
  }
  initialize_inference(common);
  log_columns_.clear();
  if (TrainingLog* log = training_log()) {
    write_log_rows_myself();  // one row per draw of chain 0, also when chains run on threads
    for (std::string name : own_sampler_param_names()) {
      if (name.ends_with("__")) name.resize(name.size() - 2);
      log_columns_.push_back(name);
    }
    for (const char* name : {"accept_stat", "warmup"}) log->add_column(name);
    for (const std::string& name : log_columns_) log->add_column(name.c_str());
    log->add_column("ess_bulk_lp");
  }
  chains_.clear();
  gathered_.clear();
  total_chains_ = chains;
  threads_.reset();
  n_warmup_ = n_warmup;

  // The model at placeholder positions, one per latent on its unconstrained scale.
  std::vector<Tensor> placeholders, values;
  std::vector<Index> offsets;
  std::vector<Matrix> starts;
  std::vector<Tensor> log_jacobians;  // elementwise, one per latent not on the real line
  dimension_ = 0;
  for (std::size_t i = 0; i < latent().size(); ++i) {
    const RandomVariable& z = latent()[i].latent;
    const Shape shape = z.value().shape();
    const Support support = z.support();
    const bool discrete = support.is_discrete();
    if (!shape.is_known() || (discrete && uses_gradients())) {
      throw ed::invalid_argument(algorithm() + ": the latent " + z.describe() +
                                 " must have a known shape and a continuous support");
    }
    if (const auto& q = latent()[i].approximation) {
      const std::vector<Tensor> params = q->params();
      const Index size = shape.rows * shape.cols;
      if (params.size() != 1 || !params[0].is_variable() || params[0].shape().cols != size) {
        throw ed::invalid_argument(algorithm() + ": the approximation " + q->describe() +
                                   " of latent " + z.describe() +
                                   " must be an Empirical whose params are a variable of " +
                                   std::to_string(size) + " columns (one draw per row)");
      }
      // Its draws are read back in its event shape (posterior predictives copy it in): a
      // transposed event would broadcast silently downstream.
      if (q->value().shape() != shape) {
        throw ed::invalid_argument(
            algorithm() + ": the Empirical " + q->describe() + " of latent " + z.describe() +
            " holds draws of shape " + to_string(q->value().shape()) + ", not the latent's " +
            to_string(shape) + "; give it the latent's: ed::Empirical(params, {" +
            std::to_string(shape.rows) + ", " + std::to_string(shape.cols) + "})");
      }
    }
    // A discrete latent's state is its value; it starts at 0 (a label of every discrete family).
    const Shape u_shape = discrete ? shape : unconstrained_shape(support, shape);
    const Tensor u = placeholder(u_shape, algorithm() + "/u" + std::to_string(i));
    placeholders.push_back(u);
    offsets.push_back(dimension_);
    dimension_ += u_shape.rows * u_shape.cols;
    values.push_back(discrete ? u : constrain(support, u));
    // A latent whose constrained value is u itself needs no Jacobian term (it would be zeros).
    if (!discrete && values.back() != u) {
      log_jacobians.push_back(log_det_jacobian(support, u));
    }
    Matrix start = discrete ? Matrix::Zero(shape.rows, shape.cols) : Matrix();
    for (const auto& [rv, value] : common_options().init) {
      if (rv == z) start = discrete ? value : unconstrain(support, value);
    }
    starts.push_back(start);
  }
  const ModelTerms terms = model_terms(values);
  const Tensor log_density = terms.log_joint(log_jacobians);
  // The ed::deterministic() quantities of this model, recorded after the latents.
  deterministic_names_.clear();
  deterministic_shapes_.clear();
  std::vector<Tensor> recorded = values;
  for (const auto& [name, value] : detail::deterministics()) {
    if (!reaches_a_latent({value})) continue;
    recorded.push_back(detail::copy_graph(value, terms.substitutions));
    deterministic_names_.push_back(name);
    deterministic_shapes_.push_back(value.shape());
  }

  // Chain k has the same stream on whichever process runs it: rank k mod size.
  for (int k = rank; k < chains; k += processes) {
    auto c = std::make_unique<Chain>();
    c->index_ = k;
    c->rng_.seed(seed() ^ (0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(k + 1)));
    c->placeholders_ = placeholders;
    c->offsets_ = offsets;
    c->target_ = std::make_unique<Program>(std::vector<Tensor>{log_density},
                                           uses_gradients() ? placeholders : std::vector<Tensor>{},
                                           terms.substitutions);
    if (chains_.empty()) require_bound(*c->target_);
    if (!values.empty()) c->constrained_ = std::make_unique<Program>(recorded);
    // `init` entries where given; the rest drawn uniform on (−2, 2) by redraw_random_start,
    // the same draw that replaces a start where the density fails.
    c->position_.resize(dimension_);
    for (std::size_t i = 0; i < placeholders.size(); ++i) {
      const Shape s = placeholders[i].shape();
      const bool random = starts[i].size() == 0;
      const Matrix start = random ? Matrix(Matrix::Zero(s.rows, s.cols)) : starts[i];
      c->random_start_.push_back(random);
      c->values_.push_back(start);
      c->position_.segment(offsets[i], start.size()) =
          Eigen::Map<const Eigen::VectorXd>(start.data(), start.size());
    }
    c->redraw_random_start();
    c->set(c->position_);
    c->draws_.resize(recorded.size());
    c->sampler_params_.assign(own_sampler_param_names().size(), 0.0);
    chains_.push_back(std::move(c));
  }
  if (chains_.size() > 1) {
    threads_ = std::make_unique<Threads>();
    for (std::size_t k = 0; k < chains_.size(); ++k) {
      Chain* c = chains_[k].get();
      threads_->tasks.emplace_back([this, c] { step_chain(*c); });
      if (k > 0) threads_->workers.push_back(std::make_unique<detail::Worker>());
    }
  }
  session().set_substitutions(terms.latent_substitutions);
}

const Program& MonteCarlo::Chain::values_at_position() {
  set(position_);
  constrained_->forward(feed_, rng_);
  return *constrained_;
}

void MonteCarlo::Chain::set(const Eigen::VectorXd& u) {
  for (std::size_t i = 0; i < values_.size(); ++i) {
    Matrix& v = values_[i];
    Eigen::Map<Eigen::VectorXd>(v.data(), v.size()) = u.segment(offsets_[i], v.size());
  }
}

// Note [Failed evaluations]: a trajectory or proposal may step where the model's own checks
// fail (a scale exp(u) that underflows to 0, a rate that overflows): the target's density there
// is 0, so the evaluation counts as log density −inf — a divergence for NUTS, a rejection for
// HMC, MH and SGLD — never an exception that ends the run. Only the starting point is strict
// (MonteCarlo::start_chain): an error there is the user's model or data, and is raised.
double MonteCarlo::Chain::evaluate(const Eigen::VectorXd& u, Eigen::VectorXd* gradient) {
  constexpr double kMinusInf = -std::numeric_limits<double>::infinity();
  set(u);
  double value = kMinusInf;
  try {
    target_->forward(feed_, rng_);
    value = target_->output(0)(0, 0);
    if (gradient && std::isfinite(value)) target_->backward();
  } catch (const ed::invalid_argument& e) {
    if (strict_) throw;
    note_failure(e.what());
    value = kMinusInf;
  } catch (const ed::numerical_error& e) {
    if (strict_) throw;
    note_failure(e.what());
    value = kMinusInf;
  }
  if (std::isnan(value)) value = kMinusInf;
  if (!gradient) return value;
  gradient->resize(u.size());
  if (!std::isfinite(value)) {
    gradient->setZero();
    return value;
  }
  for (std::size_t i = 0; i < values_.size(); ++i) {
    const Matrix& g = target_->gradient(i);
    gradient->segment(offsets_[i], g.size()) =
        Eigen::Map<const Eigen::VectorXd>(g.data(), g.size());
  }
  if (!gradient->allFinite()) {
    note_failure("the gradient is not finite");
    gradient->setZero();
    return kMinusInf;
  }
  return value;
}

void MonteCarlo::Chain::note_failure(const char* what) {
  if (failed_evaluations_ == 0) first_failure_ = what;
  ++failed_evaluations_;
}

double MonteCarlo::Chain::log_density(const Eigen::VectorXd& u) { return evaluate(u, nullptr); }

double MonteCarlo::Chain::log_density_and_gradient(const Eigen::VectorXd& u,
                                                   Eigen::VectorXd& gradient) {
  return evaluate(u, &gradient);
}

bool MonteCarlo::Chain::redraw_random_start() {
  boost::random::uniform_real_distribution<double> uniform(-2.0, 2.0);
  bool any = false;
  for (std::size_t i = 0; i < values_.size(); ++i) {
    if (!random_start_[i]) continue;
    any = true;
    for (Index j = 0; j < values_[i].size(); ++j) {
      position_(offsets_[i] + j) = uniform(rng_.engine());
    }
  }
  return any;
}

double MonteCarlo::start_chain(Chain& chain, Eigen::VectorXd& gradient) {
  // Strict (Note [Failed evaluations]): the user's errors surface here, with the chain named.
  // A random start is drawn again where the density fails, as Stan does (up to 100 times).
  constexpr int kStartAttempts = 100;
  double value = 0.0;
  int attempts = 0;
  // Failures at rejected starts are not the run's: forgotten once a start is found.
  const long failures_before = chain.failed_evaluations_;
  const std::string first_failure_before = chain.first_failure_;
  const auto retried = [&] {
    return attempts > 1 ? " (the same at " + std::to_string(attempts) + " random starting points)"
                        : std::string();
  };
  for (;;) {
    ++attempts;
    chain.strict_ = true;
    try {
      value = chain.log_density_and_gradient(chain.position(), gradient);
    } catch (const ed::invalid_argument& e) {
      chain.strict_ = false;
      if (attempts < kStartAttempts && chain.redraw_random_start()) continue;
      throw ed::invalid_argument(algorithm() + ": chain " + std::to_string(chain.index()) +
                                 ", at the starting point: " + e.what() + retried());
    } catch (const ed::numerical_error& e) {
      chain.strict_ = false;
      if (attempts < kStartAttempts && chain.redraw_random_start()) continue;
      throw ed::numerical_error(algorithm() + ": chain " + std::to_string(chain.index()) +
                                ", at the starting point: " + e.what() + retried());
    }
    chain.strict_ = false;
    if (std::isfinite(value)) {
      chain.failed_evaluations_ = failures_before;
      chain.first_failure_ = first_failure_before;
      return value;
    }
    if (attempts >= kStartAttempts || !chain.redraw_random_start()) break;
  }
  // Name the latents and where they start, on their own scale.
  std::string where;
  const Program* at = chain.constrained_ ? &chain.values_at_position() : nullptr;
  for (std::size_t i = 0; i < latent().size(); ++i) {
    where += i == 0 ? "" : ", ";
    where += latent()[i].latent.describe();
    if (at) {
      const Matrix& v = at->output(i);
      where += " = " + std::to_string(v(0, 0));
      if (v.size() > 1) where += " …";
    }
  }
  throw ed::numerical_error(algorithm() + ": chain " + std::to_string(chain.index()) +
                            ": the log density (or its gradient) at the starting point is not "
                            "finite (" +
                            where + ")" + retried() + "; give starting values with options.init");
}

void MonteCarlo::report_acceptance(const char* when_low, const char* when_high) const {
  const double rate = acceptance_rate();
  if (std::isnan(rate) || (rate >= 0.01 && rate <= 0.995)) return;
  detail::warn_format("%s: the acceptance rate of the kept draws is %.3f; %s", algorithm().c_str(),
                      rate, rate < 0.01 ? when_low : when_high);
}

long MonteCarlo::failed_evaluations() const {
  long total = 0;
  for (const auto& c : chains_) total += c->failed_evaluations_;
  return total;
}

void MonteCarlo::report_failed_evaluations(const char* treated_as) const {
  const long total = failed_evaluations();
  if (total == 0) return;
  std::string first;
  for (const auto& c : chains_) {
    if (c->failed_evaluations_ > 0 && first.empty()) first = c->first_failure_;
  }
  detail::warn_format(
      "%s: %ld evaluations of the log density failed inside trajectories or proposals "
      "and were treated as %s (the first: %s)",
      algorithm().c_str(), total, treated_as, first.c_str());
}

void MonteCarlo::step_chain(Chain& c) {
  c.log_density_ = std::numeric_limits<double>::quiet_NaN();
  const auto start = std::chrono::steady_clock::now();
  const double accept = draw(c);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  (c.iteration_ < n_warmup_ ? c.warmup_seconds_ : c.sampling_seconds_) += seconds;
  ++c.iteration_;
  if (!std::isfinite(c.log_density_)) c.log_density_ = c.log_density(c.position_);
  if (c.index_ == 0) log_draw(c, accept);
  if (c.iteration_ <= n_warmup_) return;
  c.accept_sum_ += accept;
  ++c.accept_count_;
  c.sampler_draws_.push_back(c.log_density_);
  c.sampler_draws_.push_back(accept);
  c.sampler_draws_.insert(c.sampler_draws_.end(), c.sampler_params_.begin(),
                          c.sampler_params_.end());
  if (!c.constrained_) return;
  const Program& at = c.values_at_position();
  const long t = c.iteration_ - n_warmup_ - 1;  // this kept draw's index in its chain
  for (std::size_t i = 0; i < c.draws_.size(); ++i) {
    const Matrix& value = at.output(i);
    c.draws_[i].insert(c.draws_[i].end(), value.data(), value.data() + value.size());
    // Its row of the Empirical's params, when there is room (finalize() writes the rest).
    if (i >= latent().size()) continue;  // a deterministic quantity
    if (const auto& q = latent()[i].approximation) {
      Matrix& params = detail::mutable_value(q->params()[0]);
      const long kept = common_options().n_iter - n_warmup_;  // run() makes n_iter updates
      const Index row = c.index_ * kept + t;
      if (t < kept && row < params.rows()) {
        params.row(row) = Eigen::Map<const Eigen::RowVectorXd>(value.data(), value.size());
      }
    }
  }
}

void MonteCarlo::log_draw(const Chain& c, double accept) {
  TrainingLog* log = training_log();
  if (!log) return;
  log->set("loss", -c.log_density_);
  log->set("accept_stat", accept);
  log->set("warmup", c.iteration_ <= n_warmup_ ? 1.0 : 0.0);
  for (std::size_t i = 0; i < log_columns_.size(); ++i) {
    log->set(log_columns_[i].c_str(), c.sampler_params_[i]);
  }
  // The bulk ESS of lp__ over the kept draws so far (this one not yet among them), at a
  // hundredth of the run's updates: each costs a pass over the draws.
  const long kept = c.iteration_ - n_warmup_ - 1;
  const long every = std::max(1L, common_options().n_iter / 100);
  if (kept >= 20 && (kept % every == 0)) {
    const std::size_t stride = 2 + c.sampler_params_.size();
    Matrix lp(kept, 1);
    for (long t = 0; t < kept; ++t)
      lp(t, 0) = c.sampler_draws_[static_cast<std::size_t>(t) * stride];
    log->set("ess_bulk_lp", ess_bulk(lp));
  }
  log->write_row(c.iteration_);
}

void MonteCarlo::prepare_feeds(const Feed& feed) {
  for (auto& c : chains_) {
    c->feed_ = feed;
    for (std::size_t i = 0; i < c->placeholders_.size(); ++i) {
      c->feed_.emplace_back(c->placeholders_[i], c->values_[i]);
    }
  }
}

void MonteCarlo::run(const Feed& feed) {
  if (!is_initialized()) initialize_with_defaults();
  ProcessGroup* g = group();
  if (!g) {
    run_chains(feed);
    finalize(feed);
    return;
  }
  // A chain that fails on one process stops every process before the gather.
  g->collectively([&] { run_chains(feed); });
  finalize(feed);
}

void MonteCarlo::run_chains(const Feed& feed) {
  gathered_.clear();
  // The first run() warms up and draws; a later one continues every chain with n_iter more
  // kept draws (no second warm-up: the adapted step sizes and metrics stay).
  const long n = iteration() == 0 ? common_options().n_iter : kept_per_chain();
  if (chains_.size() < 2) {
    run_updates(feed, n);
    return;
  }
  prepare_feeds(feed);
  start_progress(n);
  std::vector<std::function<void()>> whole_runs;
  for (std::size_t k = 0; k < chains_.size(); ++k) {
    whole_runs.emplace_back([this, k, n] {
      Chain& c = *chains_[k];
      for (long i = 0; i < n; ++i) {
        step_chain(c);
        if (k == 0) {
          Info info;
          info.t = i + 1;
          info.loss = -c.log_density_;
          print_progress(info);
        }
      }
    });
  }
  threads_->run(whole_runs);
  set_iteration(iteration() + n);
}

Info MonteCarlo::do_update(const Feed& feed) {
  gathered_.clear();  // the draws move on from the gathered ones
  prepare_feeds(feed);
  if (threads_) {
    threads_->run(threads_->tasks);
  } else {
    for (auto& c : chains_) step_chain(*c);
  }
  Info info;
  double loss = 0.0, accept = 0.0;
  for (auto& c : chains_) {
    loss -= c->log_density_;
    accept += c->accept_count_ > 0 ? c->accept_sum_ / static_cast<double>(c->accept_count_) : 0.0;
  }
  info.loss = loss / static_cast<double>(chains_.size());
  info.accept_rate = accept / static_cast<double>(chains_.size());
  return info;
}

double MonteCarlo::do_loss(const Feed& feed) {
  Chain& c = *chains_.front();
  c.feed_ = feed;
  for (std::size_t i = 0; i < c.placeholders_.size(); ++i) {
    c.feed_.emplace_back(c.placeholders_[i], c.values_[i]);
  }
  c.strict_ = true;  // a loss asked for by the user reports the model's errors
  double value;
  try {
    value = c.log_density(c.position_);
  } catch (...) {
    c.strict_ = false;
    throw;
  }
  c.strict_ = false;
  return -value;
}

Index MonteCarlo::dimension() const { return dimension_; }

int MonteCarlo::num_chains() const {
  return static_cast<int>(gathered_.empty() ? chains_.size() : gathered_.size());
}

const std::vector<double>& MonteCarlo::chain_draws(int chain, std::size_t i) const {
  const auto k = static_cast<std::size_t>(chain);
  return gathered_.empty() ? chains_[k]->draws_[i] : gathered_[k].draws[i];
}

const std::vector<double>& MonteCarlo::chain_sampler_draws(int chain) const {
  const auto k = static_cast<std::size_t>(chain);
  return gathered_.empty() ? chains_[k]->sampler_draws_ : gathered_[k].sampler_draws;
}

std::vector<std::string> MonteCarlo::sampler_param_names() const {
  std::vector<std::string> names = {"lp__", "accept_stat__"};
  for (std::string& n : own_sampler_param_names()) names.push_back(std::move(n));
  return names;
}

Matrix MonteCarlo::sampler_params(int chain) const {
  if (chain < 0 || chain >= num_chains()) {
    throw ed::invalid_argument(algorithm() + ": no chain " + std::to_string(chain) +
                               " (there are " + std::to_string(num_chains()) + ")");
  }
  const std::vector<double>& all = chain_sampler_draws(chain);
  const auto width = static_cast<Index>(sampler_param_names().size());
  const Index n = static_cast<Index>(all.size()) / width;
  return Eigen::Map<const Matrix>(all.data(), width, n).transpose();
}

std::pair<double, double> MonteCarlo::elapsed_seconds(int chain) const {
  for (const auto& c : chains_) {
    if (c->index_ == chain) return {c->warmup_seconds_, c->sampling_seconds_};
  }
  return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
}

long MonteCarlo::kept_per_chain() const { return common_options().n_iter - n_warmup_; }

void MonteCarlo::gather_chains() {
  // Each chain's record, in one buffer: its index, acceptance sum and count, the sampler's
  // report, each latent's draws, and the per-draw sampler parameters.
  detail::Packer mine;
  for (const auto& c : chains_) {
    mine.number(c->index_);
    mine.number(c->accept_sum_);
    mine.number(static_cast<double>(c->accept_count_));
    mine.numbers(chain_report(*c));
    for (const auto& d : c->draws_) mine.numbers(d);
    mine.numbers(c->sampler_draws_);
  }
  const std::vector<double> all = group()->all_gather(mine.buffer());
  std::vector<ChainRecord> records(static_cast<std::size_t>(total_chains_));
  detail::Unpacker in(all);
  while (!in.done()) {
    const int k = static_cast<int>(in.number());
    ChainRecord& r = records[static_cast<std::size_t>(k)];
    r.accept_sum = in.number();
    r.accept_count = static_cast<long>(in.number());
    const std::vector<double> report = in.numbers();
    if (k % group()->size() != group()->rank()) {
      receive_chain_report(k, report);  // a chain run elsewhere
    }
    r.draws.resize(latent().size() + deterministic_names_.size());
    for (auto& d : r.draws) d = in.numbers();
    r.sampler_draws = in.numbers();
  }
  gathered_ = std::move(records);
}

Matrix MonteCarlo::record(std::size_t index, Index size, int chain) const {
  if (chain < 0 || chain >= num_chains()) {
    throw ed::invalid_argument(algorithm() + ": no chain " + std::to_string(chain) +
                               " (there are " + std::to_string(num_chains()) + ")");
  }
  const std::vector<double>& all = chain_draws(chain, index);
  const Index n = static_cast<Index>(all.size()) / size;
  return Eigen::Map<const Matrix>(all.data(), size, n).transpose();
}

Matrix MonteCarlo::all_chains(std::size_t index, Index size) const {
  std::vector<Matrix> parts;
  Index rows = 0;
  for (int k = 0; k < num_chains(); ++k) {
    parts.push_back(record(index, size, k));
    rows += parts.back().rows();
  }
  Matrix out(rows, size);
  Index at = 0;
  for (const Matrix& p : parts) {
    out.middleRows(at, p.rows()) = p;
    at += p.rows();
  }
  return out;
}

namespace {
Index size_of(Shape s) { return s.rows * s.cols; }
}  // namespace

Matrix MonteCarlo::draws(const RandomVariable& z, int chain) const {
  for (std::size_t i = 0; i < latent().size(); ++i) {
    if (latent()[i].latent == z) return record(i, size_of(z.value().shape()), chain);
  }
  latent_pair(z);  // throws, naming it
  return {};
}

Matrix MonteCarlo::draws(const RandomVariable& z) const {
  for (std::size_t i = 0; i < latent().size(); ++i) {
    if (latent()[i].latent == z) return all_chains(i, size_of(z.value().shape()));
  }
  latent_pair(z);  // throws, naming it
  return {};
}

std::size_t MonteCarlo::deterministic_index(const std::string& name) const {
  for (std::size_t i = 0; i < deterministic_names_.size(); ++i) {
    if (deterministic_names_[i] == name) return i;
  }
  std::string known;
  for (const std::string& n : deterministic_names_) known += (known.empty() ? "" : ", ") + n;
  throw ed::invalid_argument(algorithm() + ": no deterministic quantity '" + name +
                             "' is recorded (recorded: " + (known.empty() ? "none" : known) +
                             "; name it with ed::deterministic before initialize())");
}

Matrix MonteCarlo::draws(const std::string& name) const {
  const std::size_t i = deterministic_index(name);
  return all_chains(latent().size() + i, size_of(deterministic_shapes_[i]));
}

Matrix MonteCarlo::draws(const std::string& name, int chain) const {
  const std::size_t i = deterministic_index(name);
  return record(latent().size() + i, size_of(deterministic_shapes_[i]), chain);
}

Matrix MonteCarlo::draws_by_chain(const RandomVariable& z, Index element) const {
  Matrix out;
  for (int c = 0; c < num_chains(); ++c) {
    const Matrix chain = draws(z, c);
    if (element < 0 || element >= chain.cols()) {
      throw ed::invalid_argument(algorithm() + ": element " + std::to_string(element) +
                                 " is outside the " + z.describe());
    }
    if (c == 0) out.resize(chain.rows(), num_chains());
    out.col(c) = chain.col(element);
  }
  return out;
}

void MonteCarlo::finalize(const Feed&) {
  require_initialized("finalize()");
  if (group()) gather_chains();
  for (std::size_t i = 0; i < latent().size(); ++i) {
    if (const auto& q = latent()[i].approximation) {
      detail::mutable_value(q->params()[0]) = draws(latent()[i].latent);
    }
  }
}

double MonteCarlo::acceptance_rate() const {
  double sum = 0.0;
  long count = 0;
  for (const auto& c : chains_) {
    sum += c->accept_sum_;
    count += c->accept_count_;
  }
  if (!gathered_.empty()) {
    sum = 0.0;
    count = 0;
    for (const ChainRecord& r : gathered_) {
      sum += r.accept_sum;
      count += r.accept_count;
    }
  }
  return count == 0 ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(count);
}

}  // namespace ed
