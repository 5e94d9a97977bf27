// Inference: bindings and their checks, the log joint by substitution, session, loop, progress.
#include "edpp/inference/inference.hpp"

#include <algorithm>
#include <cmath>

#include "edpp/core/checkpoint.hpp"
#include "edpp/core/copy.hpp"
#include "edpp/core/errors.hpp"
#include "edpp/core/messages.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/seed.hpp"
#include "edpp/distributions/checks.hpp"
#include "edpp/distributions/factor.hpp"
#include "edpp/inference/progress.hpp"

namespace ed {

namespace {

// How a data binding is named in errors: "data 'y'" for a placeholder, "data" for a constant.
std::string data_label(const DataBinding& d) {
  if (d.value.is_placeholder() && !d.value.name().empty()) return "data '" + d.value.name() + "'";
  return "data";
}

bool same(const RandomVariable& a, const RandomVariable& b) { return a.value() == b.value(); }

}  // namespace

namespace detail {
std::vector<LatentPair> unpaired(std::vector<RandomVariable> latent) {
  std::vector<LatentPair> pairs;
  for (auto& z : latent) pairs.push_back({std::move(z), std::nullopt});
  return pairs;
}

const DataBinding& predictive_binding(const Data& data, const char* who) {
  if (data.size() != 1) {
    throw ed::invalid_argument(std::string(who) +
                               ": data must bind one random variable (the posterior predictive) "
                               "to its observed values; got " +
                               std::to_string(data.size()) +
                               " bindings (feed placeholders through options.feed)");
  }
  return data.front();
}
}  // namespace detail

Inference::Inference(std::string name, std::vector<LatentPair> latent, Data data)
    : name_(std::move(name)), latent_(std::move(latent)), data_(std::move(data)) {}

Inference::~Inference() = default;

void Inference::require_initialized(const char* what) const {
  if (!session_) {
    throw ed::invalid_argument(name_ + ": " + what +
                               " called before initialize(); call initialize(options) first "
                               "(run() initialises with the default options itself)");
  }
}

void Inference::initialize_inference(const CommonOptions& options) {
  auto fail = [&](const std::string& what) { throw ed::invalid_argument(name_ + ": " + what); };
  if (latent_.empty() && data_.empty() && !binds_its_own_data()) {
    fail("no latent variables and no data");
  }
  // Each variable is bound once: as a latent or to data.
  for (std::size_t i = 0; i < latent_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (same(latent_[i].latent, latent_[j].latent)) {
        fail("the latent " + latent_[i].latent.describe() + " is listed twice");
      }
    }
    for (const DataBinding& d : data_) {
      if (same(latent_[i].latent, d.variable)) {
        fail("the " + d.variable.describe() + " is both latent and bound to data");
      }
    }
  }
  for (std::size_t i = 0; i < data_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (same(data_[i].variable, data_[j].variable)) {
        fail("the " + data_[i].variable.describe() + " is bound to data twice");
      }
    }
  }
  // Data shapes: a variable of one row (or column) may describe every row of its data (iid
  // draws, as Stan's vectorised sampling statements); other sizes must agree.
  for (const DataBinding& d : data_) {
    if (!d.value) fail(data_label(d) + " for the " + d.variable.describe() + " is empty");
    const Shape a = d.variable.value().shape(), b = d.value.shape();
    auto clash = [](Index x, Index y) { return x != Dynamic && y != Dynamic && x != y && x != 1; };
    if (clash(a.rows, b.rows) || clash(a.cols, b.cols)) {
      fail(data_label(d) + " for a " + d.variable.describe() + " has shape " + to_string(b));
    }
    // Data given as a matrix is checked against its family's support now, not at the first
    // update (placeholders are checked on every run, by the check node of model_terms).
    if (d.value.is_constant()) {
      const Support domain = d.variable.distribution().domain();
      if (!domain.set().contains_all(d.value.value())) {
        Program check(
            {detail::check(d.value, domain, d.variable.distribution().name(), data_label(d))});
        Rng unused;
        check.forward({}, unused);
      }
    }
  }
  // Data whose distribution depends on no latent and no trainable variable adds a constant to
  // the objective: legal (Edward allows it), but nearly always a model built apart from the
  // latents it was meant to inform, so it is said.
  for (const DataBinding& d : data_) {
    const std::vector<Tensor> params = d.variable.params();
    if (!Program(params).variables().empty() || reaches_a_latent(params)) continue;
    detail::warn_format(
        "%s: the %s bound to %s depends on no latent variable and no trainable variable: its "
        "log-likelihood is a constant that informs nothing in this inference",
        name_.c_str(), d.variable.describe().c_str(), data_label(d).c_str());
  }
  // Options that name variables must name ones this inference knows.
  // (Loop variables rather than structured bindings: lambdas capture them in every compiler.)
  for (const auto& scaled : options.scale) {
    const RandomVariable& rv = scaled.first;
    const bool is_data = std::any_of(data_.begin(), data_.end(),
                                     [&](const DataBinding& d) { return same(d.variable, rv); });
    if (!is_data) {
      fail("options.scale names a " + rv.describe() +
           " that is not bound to data (scale weighs data log-likelihoods)");
    }
    // A weight counts the data that many times (N/M for minibatches): it must be a positive
    // finite number, or the fit silently answers another question.
    if (!(std::isfinite(scaled.second) && scaled.second > 0.0)) {
      fail("options.scale for " + rv.describe() + " must be finite and positive, got " +
           std::to_string(scaled.second));
    }
  }
  if (options.n_iter < 0) {
    fail("n_iter must be non-negative, got " + std::to_string(options.n_iter));
  }
  if (options.n_print < 0) {
    fail("n_print must be non-negative, got " + std::to_string(options.n_print));
  }
  for (const auto& initial : options.init) {
    const RandomVariable& rv = initial.first;
    const Matrix& value = initial.second;
    auto it = std::find_if(latent_.begin(), latent_.end(),
                           [&](const LatentPair& p) { return same(p.latent, rv); });
    if (it == latent_.end()) {
      fail("options.init names a " + rv.describe() + " that is not a latent variable");
    }
    if (shape_of(value) != rv.value().shape()) {
      fail("the initial value of latent " + rv.describe() + " has shape " +
           to_string(shape_of(value)));
    }
  }
  options_ = options;
  seed_ = detail::seed_or_next(options.seed);
  session_ = std::make_unique<Session>(seed_);
  t_ = 0;
  start_progress(-1);
  log_.reset();  // closes a previous run's log first (it may be the same folder)
  update_writes_log_rows_ = true;
  const bool speaks = !options.distributed || options.distributed->is_root();
  if (!options.logdir.empty() && speaks) {
    log_ = std::make_unique<TrainingLog>(options.logdir);
    log_->add_column("loss");
  }
}

Inference::ModelTerms Inference::model_terms(const std::vector<Tensor>& latent_values) const {
  ModelTerms terms;
  // Every latent's value and every data variable's value is swapped into copies of the
  // densities (copy, not only a program substitution, so that several sets of latent values —
  // one per Monte Carlo sample of q — can live in one program).
  std::vector<Tensor> checked;
  for (std::size_t i = 0; i < latent_.size(); ++i) {
    terms.substitutions.emplace_back(latent_[i].latent.value(), latent_values[i]);
    terms.latent_substitutions.emplace_back(latent_[i].latent.value(), latent_values[i]);
  }
  for (const DataBinding& d : data_) {
    // Data off the family's support stops with the family and the binding named, instead of a
    // −inf loss.
    checked.push_back(detail::check(d.value, d.variable.distribution().domain(),
                                    d.variable.distribution().name(), data_label(d)));
    terms.substitutions.emplace_back(d.variable.value(), checked.back());
  }
  const Swap& swap = terms.substitutions;
  for (std::size_t i = 0; i < latent_.size(); ++i) {
    terms.latent_terms.push_back(
        detail::copy_graph(sum(latent_[i].latent.log_prob(latent_values[i])), swap));
  }
  // A factor() term belongs to this model when it reaches one of its latents.
  for (const Tensor& f : detail::factors()) {
    if (reaches_a_latent({f})) terms.factor_terms.push_back(detail::copy_graph(sum(f), swap));
  }
  for (std::size_t k = 0; k < data_.size(); ++k) {
    double weight = 1.0;
    for (const auto& [rv, w] : options_.scale) {
      if (same(rv, data_[k].variable)) weight = w;
    }
    terms.data_terms.emplace_back(detail::copy_graph(data_[k].variable.log_prob(checked[k]), swap),
                                  weight);
  }
  return terms;
}

bool Inference::reaches_a_latent(const std::vector<Tensor>& outputs) const {
  const Program reach(outputs);
  return std::any_of(latent_.begin(), latent_.end(),
                     [&](const LatentPair& p) { return reach.contains(p.latent.value()); });
}

Tensor Inference::negated_sum(const std::vector<std::pair<Tensor, double>>& data_terms,
                              const std::vector<Tensor>& other_terms) {
  // −(Σ w Σ data + Σ other) as one total of negated weights: negation is exact, so the value
  // is the chain of adds' to the bit (Note [Totals]).
  std::vector<std::pair<Tensor, double>> terms;
  for (const auto& [density, weight] : data_terms) terms.emplace_back(density, -weight);
  for (const Tensor& t : other_terms) terms.emplace_back(t, -1.0);
  if (terms.empty()) throw ed::invalid_argument("inference: no latent variables and no data");
  return detail::weighted_total(terms);
}

Tensor Inference::ModelTerms::log_joint(const std::vector<Tensor>& extra_terms) const {
  // The latent terms first: Monte Carlo's log density keeps the order it was written in.
  std::vector<std::pair<Tensor, double>> terms;
  for (const Tensor& t : latent_terms) terms.emplace_back(t, 1.0);
  for (const Tensor& t : factor_terms) terms.emplace_back(t, 1.0);
  for (const auto& [density, weight] : data_terms) terms.emplace_back(density, weight);
  if (terms.empty()) throw ed::invalid_argument("inference: no latent variables and no data");
  for (const Tensor& t : extra_terms) terms.emplace_back(t, 1.0);
  return detail::weighted_total(terms);
}

CommonOptions Inference::with_agreed_seed(const CommonOptions& options) {
  CommonOptions agreed = options;
  if (!options.distributed) return agreed;
  const std::uint64_t seed = detail::seed_or_next(options.seed);
  // Two 32-bit halves: a double holds each exactly.
  double halves[2] = {static_cast<double>(seed >> 32), static_cast<double>(seed & 0xffffffffu)};
  options.distributed->broadcast(halves);
  agreed.seed =
      (static_cast<std::uint64_t>(halves[0]) << 32) | static_cast<std::uint64_t>(halves[1]);
  // Options that must agree: with another n_iter a rank would make more updates than the
  // others (and wait in a call they never make); with other scales the sums are of different
  // objectives. Every rank sees every rank's values and throws the same error. The counts go
  // first, in a gather of one width, so that the weights' gather has one width too.
  ProcessGroup& group = *options.distributed;
  auto agree = [&](const std::vector<double>& mine, auto&& option) {
    const std::size_t width = mine.size();
    const std::vector<double> all = group.all_gather(mine);
    for (int r = 1; r < group.size(); ++r) {
      for (std::size_t k = 0; k < width; ++k) {
        const double here = all[static_cast<std::size_t>(r) * width + k], root = all[k];
        if (here == root || (std::isnan(here) && std::isnan(root))) continue;
        throw distributed_error(r, "options differ across processes: " + option(k) + " is " +
                                       detail::format("%g", root) + " on rank 0 but " +
                                       detail::format("%g", here) + " on rank " +
                                       std::to_string(r) +
                                       "; every process must be given the same options");
      }
    }
  };
  agree(
      {static_cast<double>(options.n_iter), static_cast<double>(options.scale.size())},
      [](std::size_t k) { return std::string(k == 0 ? "n_iter" : "the number of scale entries"); });
  std::vector<double> weights;
  for (const auto& [variable, weight] : options.scale) weights.push_back(weight);
  agree(weights, [](std::size_t k) { return "scale weight " + std::to_string(k); });
  return agreed;
}

void Inference::require_bound(const Program& program, const std::vector<Tensor>& allowed) const {
  if (auto unbound = program.first_random_variable(allowed)) {
    throw ed::invalid_argument(
        name_ + ": the model uses a " + *unbound +
        " random variable that is neither latent nor data, so it would be drawn anew on every "
        "evaluation; bind it as a latent variable or to data (an explicit sample() is a "
        "deliberate draw and allowed)");
  }
}

void Inference::require_approximation(const LatentPair& pair, const std::string& noun) const {
  if (!pair.approximation) {
    throw ed::invalid_argument(name_ + ": the latent " + pair.latent.describe() + " needs " +
                               (noun.front() == 'a' ? "an " : "a ") + noun + ": {{z, qz}}");
  }
  const Shape a = pair.latent.value().shape(), b = pair.approximation->value().shape();
  if (a.is_known() && b.is_known() && a != b) {
    throw ed::invalid_argument(name_ + ": the " + noun + " " + pair.approximation->describe() +
                               " of latent " + pair.latent.describe() + " has another shape");
  }
}

const LatentPair& Inference::latent_pair(const RandomVariable& z) const {
  for (const LatentPair& p : latent_) {
    if (same(p.latent, z)) return p;
  }
  throw ed::invalid_argument(name_ + ": the " + z.describe() +
                             " is not a latent variable of this inference");
}

Info Inference::update(const Feed& feed) {
  require_initialized("update()");
  Info info = do_update(feed);
  t_ = info.t = t_ + 1;
  if (log_ && update_writes_log_rows_) {
    log_->set("loss", info.loss);
    if (!std::isnan(info.loss_d)) log_->set("loss_d", info.loss_d);
    if (!std::isnan(info.accept_rate)) log_->set("accept_rate", info.accept_rate);
    log_->write_row(t_);
  }
  return info;
}

double Inference::loss(const Feed& feed) {
  require_initialized("loss()");
  return do_loss(feed);
}

void Inference::print_progress(const Info& info) {
  if (options_.distributed && !options_.distributed->is_root()) return;  // rank 0 speaks for all
  const long n = progress_total_ < 0 ? options_.n_iter : progress_total_;
  const long every = options_.n_print > 0 ? options_.n_print : std::max(1L, n / 100);
  if (!bar_) bar_ = std::make_unique<ProgressBar>(n, every);
  bar_->update(info.t, info.loss, info.loss_d);
}

void Inference::run(const Feed& feed) {
  if (!session_) initialize_with_defaults();
  run_updates(feed);
  finalize(feed);
}

void Inference::start_progress(long total) {
  bar_.reset();
  progress_total_ = total;
}

void Inference::run_updates(const Feed& feed, long updates) {
  start_progress(updates);
  const long start = t_;
  const long n = updates < 0 ? options_.n_iter : updates;
  for (long i = 0; i < n; ++i) {
    Info info = update(feed);
    info.t -= start;  // the bar counts this run's updates
    print_progress(info);
  }
}

Session& Inference::session() {
  require_initialized("session()");
  return *session_;
}

void Inference::save(const std::string& path) {
  require_initialized("save()");
  if (const std::string why = unsaved_state(); !why.empty()) {
    throw ed::invalid_argument(name_ + ": save() cannot write this algorithm's state: " + why);
  }
  if (ProcessGroup* group = options_.distributed) {
    // Every process holds the same state: rank 0 alone writes it, and all learn if it failed.
    group->collectively([&] {
      if (group->is_root()) save_variables(path, state_variables());
    });
    return;
  }
  save_variables(path, state_variables());
}

void Inference::load(const std::string& path) {
  require_initialized("load()");
  if (const std::string why = unsaved_state(); !why.empty()) {
    throw ed::invalid_argument(name_ + ": load() cannot restore this algorithm's state: " + why);
  }
  if (ProcessGroup* group = options_.distributed) {
    // Rank 0 reads the file and sends its values, so the others need not see the same disk.
    std::vector<Tensor> variables = state_variables();
    std::string error;
    if (group->is_root()) {
      try {
        load_variables(path, variables);
      } catch (const std::exception& e) {
        error = e.what();
      }
    }
    std::vector<Matrix*> values;
    for (const Tensor& v : variables) values.push_back(&detail::mutable_value(v));
    broadcast_matrices(*group, values, error);
    after_load();
    return;
  }
  load_variables(path, state_variables());
  after_load();
}

}  // namespace ed
