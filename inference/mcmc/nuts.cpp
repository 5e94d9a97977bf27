// NUTS: trajectories (multinomial, generalised no-U-turn), dual averaging, windowed metric.
#include "edpp/inference/mcmc/nuts.hpp"

#include <boost/random/uniform_01.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/messages.hpp"

namespace ed {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kMaxDeltaH = 1000.0;  // Stan's divergence threshold on the energy error
constexpr int kMaxTreeDepthBound = 30;

double log_sum_exp(double a, double b) {
  if (a == -kInf) return b;
  if (b == -kInf) return a;
  const double m = std::max(a, b);
  return m + std::log(std::exp(a - m) + std::exp(b - m));
}

// The generalised no-U-turn criterion: the trajectory keeps going while both ends still move
// along the summed momentum ρ (Betancourt 2017).
bool no_u_turn(const Eigen::VectorXd& sharp_minus, const Eigen::VectorXd& sharp_plus,
               const Eigen::VectorXd& rho) {
  return sharp_plus.dot(rho) > 0.0 && sharp_minus.dot(rho) > 0.0;
}

// The criterion on a trajectory of two halves, the initial one followed in time by the final
// one, as Stan checks it: on the whole (summed momentum ρ), and across the halves, each taken
// with its neighbour's nearest momentum, so that a U-turn inside the join is caught too.
// `cross` is scratch of the trajectory's dimension.
bool no_u_turn_merged(const Eigen::VectorXd& sharp_begin, const Eigen::VectorXd& sharp_end,
                      const Eigen::VectorXd& rho, const Eigen::VectorXd& sharp_init_end,
                      const Eigen::VectorXd& sharp_final_begin, const Eigen::VectorXd& rho_init,
                      const Eigen::VectorXd& rho_final, const Eigen::VectorXd& p_init_end,
                      const Eigen::VectorXd& p_final_begin, Eigen::VectorXd& cross) {
  if (!no_u_turn(sharp_begin, sharp_end, rho)) return false;
  cross = rho_init + p_final_begin;
  if (!no_u_turn(sharp_begin, sharp_final_begin, cross)) return false;
  cross = rho_final + p_init_end;
  return no_u_turn(sharp_init_end, sharp_end, cross);
}

}  // namespace

/// A point of phase space: position, momentum, and the log density with its gradient there.
struct NUTS::Point {
  Eigen::VectorXd q, p, g;
  double log_density = 0.0;
};

/// Everything one chain adapts and counts; touched only by that chain's thread.
struct NUTS::ChainState {
  Point current;
  bool started = false;
  detail::EuclideanMetric metric;
  double step_size = 1.0;
  detail::StepSizeAdaptation step_adaptation;  // dual averaging, in warm-up
  detail::AdaptationWindows windows;           // when the metric is estimated and updated
  // Post-warm-up reports.
  std::vector<double> energies;
  long divergences = 0, max_treedepth_hits = 0, leapfrog_steps = 0;
  bool divergent = false;          // the trajectory being built diverged
  Matrix reported_inverse_metric;  // a chain run by another process: its adapted M⁻¹

  // Note [Trajectory buffers]: every vector a trajectory needs lives here, sized at the first
  // draw and reused, so that a draw allocates nothing: the two ends of the trajectory and its
  // proposal in `ends`, and one set of subtree buffers per depth of build_tree's recursion (a
  // call at depth k uses subtrees[k]; its two children, made one after the other at depth
  // k − 1, share subtrees[k − 1]).
  struct Ends {
    Point z, forward, backward, sample, propose;
    Eigen::VectorXd p_sharp, p_fwd_fwd, p_fwd_bck, p_bck_fwd, p_bck_bck;
    Eigen::VectorXd p_sharp_fwd_fwd, p_sharp_fwd_bck, p_sharp_bck_fwd, p_sharp_bck_bck;
    Eigen::VectorXd rho, rho_fwd, rho_bck, cross;
  } ends;
  struct Subtree {
    Point propose_final;
    Eigen::VectorXd p_init_end, p_sharp_init_end, rho_init;
    Eigen::VectorXd p_final_begin, p_sharp_final_begin, rho_final, rho_subtree, cross;
  };
  std::vector<Subtree> subtrees;
};

NUTS::NUTS(std::initializer_list<LatentPair> latent, Data data)
    : MonteCarlo("NUTS", std::vector<LatentPair>(latent), std::move(data)) {}
NUTS::NUTS(std::vector<LatentPair> latent, Data data)
    : MonteCarlo("NUTS", std::move(latent), std::move(data)) {}
NUTS::NUTS(std::vector<RandomVariable> latent, Data data)
    : MonteCarlo("NUTS", detail::unpaired(std::move(latent)), std::move(data)) {}

NUTS::~NUTS() = default;

void NUTS::initialize(NUTSOptions o) {
  if (!(o.target_accept > 0.0 && o.target_accept < 1.0)) {
    throw ed::invalid_argument("NUTS: target_accept must be in (0, 1), got " +
                               std::to_string(o.target_accept));
  }
  // 2^30 leapfrog steps a draw is far past any useful trajectory, and the bound keeps the
  // per-depth buffers (Note [Trajectory buffers]) and the step count within reach.
  if (o.max_treedepth < 1 || o.max_treedepth > kMaxTreeDepthBound) {
    throw ed::invalid_argument("NUTS: max_treedepth must be in [1, " +
                               std::to_string(kMaxTreeDepthBound) + "], got " +
                               std::to_string(o.max_treedepth));
  }
  options_ = o;
  initialize_monte_carlo(monte_carlo_common(o));
  states_.assign(static_cast<std::size_t>(o.chains), ChainState{});
  for (ChainState& s : states_) {
    s.metric = detail::EuclideanMetric(o.metric, dimension());
    s.step_adaptation = detail::StepSizeAdaptation(o.target_accept);
    s.windows = detail::AdaptationWindows(o.n_warmup);
  }
}

void NUTS::find_step_size(Chain& chain, ChainState& s) {
  // Stan's init_stepsize: double or halve ε until one leapfrog step from a fresh momentum
  // crosses an acceptance of 0.8.
  auto energy_change = [&] {
    Point z = s.current;
    s.metric.sample_momentum(chain.rng().engine(), z.p);
    const double h0 = -z.log_density + s.metric.kinetic_energy(z.p);
    z.p += 0.5 * s.step_size * z.g;
    s.metric.move(s.step_size, z.p, z.q);
    z.log_density = chain.log_density_and_gradient(z.q, z.g);
    z.p += 0.5 * s.step_size * z.g;
    double h = -z.log_density + s.metric.kinetic_energy(z.p);
    if (std::isnan(h)) h = kInf;
    return h0 - h;
  };
  const double log_target = std::log(0.8);
  const int direction = energy_change() > log_target ? 1 : -1;
  for (int tries = 0; tries < 200; ++tries) {
    const double delta = energy_change();
    if (direction == 1 && !(delta > log_target)) break;
    if (direction == -1 && !(delta < log_target)) break;
    s.step_size = direction == 1 ? 2.0 * s.step_size : 0.5 * s.step_size;
    if (s.step_size > 1e7 || s.step_size == 0.0) {
      throw ed::numerical_error(
          "NUTS: no step size gives a sensible acceptance (the posterior may be improper or "
          "its log density flat or infinite)");
    }
  }
}

bool NUTS::build_tree(Chain& chain, ChainState& s, int depth, Point& z, Point& propose,
                      Eigen::VectorXd& p_sharp_begin, Eigen::VectorXd& p_sharp_end,
                      Eigen::VectorXd& rho, Eigen::VectorXd& p_begin, Eigen::VectorXd& p_end,
                      double h0, double sign, long& n_leapfrog, double& log_sum_weight,
                      double& sum_metro_prob) {
  if (depth == 0) {
    // One leapfrog step in direction `sign`.
    const double eps = sign * s.step_size;
    z.p += 0.5 * eps * z.g;
    s.metric.move(eps, z.p, z.q);
    z.log_density = chain.log_density_and_gradient(z.q, z.g);
    z.p += 0.5 * eps * z.g;
    ++n_leapfrog;
    double h = -z.log_density + s.metric.kinetic_energy(z.p);
    if (std::isnan(h)) h = kInf;
    if (h - h0 > kMaxDeltaH) s.divergent = true;
    log_sum_weight = log_sum_exp(log_sum_weight, h0 - h);
    sum_metro_prob += h0 - h > 0.0 ? 1.0 : std::exp(h0 - h);
    propose = z;
    s.metric.velocity(z.p, p_sharp_begin);
    p_sharp_end = p_sharp_begin;
    rho += z.p;
    p_begin = z.p;
    p_end = p_begin;
    return !s.divergent;
  }
  // Buffers of this depth (Note [Trajectory buffers]).
  ChainState::Subtree& b = s.subtrees[static_cast<std::size_t>(depth)];
  Eigen::VectorXd &p_init_end = b.p_init_end, &p_sharp_init_end = b.p_sharp_init_end;
  Eigen::VectorXd &rho_init = b.rho_init, &rho_final = b.rho_final;
  Eigen::VectorXd &p_final_begin = b.p_final_begin, &p_sharp_final_begin = b.p_sharp_final_begin;
  Point& propose_final = b.propose_final;
  // The initial subtree.
  double log_sum_weight_init = -kInf;
  rho_init.setZero();
  if (!build_tree(chain, s, depth - 1, z, propose, p_sharp_begin, p_sharp_init_end, rho_init,
                  p_begin, p_init_end, h0, sign, n_leapfrog, log_sum_weight_init, sum_metro_prob)) {
    return false;
  }
  // The final subtree.
  propose_final = z;
  double log_sum_weight_final = -kInf;
  rho_final.setZero();
  if (!build_tree(chain, s, depth - 1, z, propose_final, p_sharp_final_begin, p_sharp_end,
                  rho_final, p_final_begin, p_end, h0, sign, n_leapfrog, log_sum_weight_final,
                  sum_metro_prob)) {
    return false;
  }
  // Multinomial sample from the two subtrees, uniform within.
  const double log_sum_weight_subtree = log_sum_exp(log_sum_weight_init, log_sum_weight_final);
  log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
  if (log_sum_weight_final > log_sum_weight_subtree) {
    propose = propose_final;
  } else {
    const double accept = std::exp(log_sum_weight_final - log_sum_weight_subtree);
    if (boost::random::uniform_01<double>()(chain.rng().engine()) < accept) {
      propose = propose_final;
    }
  }
  b.rho_subtree = rho_init + rho_final;
  rho += b.rho_subtree;
  // The no-U-turn criterion on the merged subtree and across the two halves.
  return no_u_turn_merged(p_sharp_begin, p_sharp_end, b.rho_subtree, p_sharp_init_end,
                          p_sharp_final_begin, rho_init, rho_final, p_init_end, p_final_begin,
                          b.cross);
}

/// What one transition did, for its record and for adaptation.
struct NUTS::Transition {
  double accept_stat = 0.0;
  int depth = 0;
  long n_leapfrog = 0;
  double energy = 0.0;
};

double NUTS::draw(Chain& chain) {
  ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  if (!s.started) start(chain, s);
  const double step_size = s.step_size;  // this transition's, for its record
  const Transition t = transition(chain, s);
  std::vector<double>& record = chain.sampler_params();  // as own_sampler_param_names()
  record[0] = step_size;
  record[1] = t.depth;
  record[2] = static_cast<double>(t.n_leapfrog);
  record[3] = s.divergent ? 1.0 : 0.0;
  record[4] = t.energy;
  adapt(chain, s, t);
  return t.accept_stat;
}

void NUTS::start(Chain& chain, ChainState& s) {
  const Index d = chain.position().size();
  s.current.log_density = start_chain(chain, s.current.g);  // may redraw the position
  s.current.q = chain.position();
  find_step_size(chain, s);
  s.step_adaptation.restart(s.step_size);
  s.started = true;
  // Size every trajectory buffer once (Note [Trajectory buffers]).
  const Eigen::VectorXd zero = Eigen::VectorXd::Zero(d);
  auto& e = s.ends;
  for (Point* p : {&e.z, &e.forward, &e.backward, &e.sample, &e.propose}) {
    p->q = p->p = p->g = zero;
  }
  for (Eigen::VectorXd* v : {&e.p_sharp, &e.p_fwd_fwd, &e.p_fwd_bck, &e.p_bck_fwd, &e.p_bck_bck,
                             &e.p_sharp_fwd_fwd, &e.p_sharp_fwd_bck, &e.p_sharp_bck_fwd,
                             &e.p_sharp_bck_bck, &e.rho, &e.rho_fwd, &e.rho_bck, &e.cross}) {
    *v = zero;
  }
  s.subtrees.resize(static_cast<std::size_t>(options_.max_treedepth) + 1);
  for (ChainState::Subtree& b : s.subtrees) {
    b.propose_final.q = b.propose_final.p = b.propose_final.g = zero;
    for (Eigen::VectorXd* v : {&b.p_init_end, &b.p_sharp_init_end, &b.rho_init, &b.p_final_begin,
                               &b.p_sharp_final_begin, &b.rho_final, &b.rho_subtree, &b.cross}) {
      *v = zero;
    }
  }
}

NUTS::Transition NUTS::transition(Chain& chain, ChainState& s) {
  boost::random::uniform_01<double> uniform;

  // The trajectory's buffers, named as in Stan's base_nuts (Note [Trajectory buffers]).
  //
  // Note [Trajectory halves]: at each doubling the trajectory is two halves, backward then
  // forward in time, and p_X_Y is the momentum at the Y end of the X half. The trajectory built
  // so far becomes one half whole, so the end of it that touches the new subtree is its own
  // outer end: extending forward, the backward half's forward end is the old p_fwd_fwd (not
  // p_fwd_bck, the inner end of the previous forward subtree). The checks across the halves
  // (no_u_turn_merged) are what make the stopping rule the same from every point of the final
  // trajectory; taken at an inner point, they stopped some trajectories early depending on
  // where in them the chain started, the transition was no longer reversible, and long runs
  // were biased (E[tau] 5–7 MCSE high on a non-centred hierarchical model, worse at smaller
  // steps, and only once trees were deep enough, ≥ 4 doublings, for the two points to differ
  // along a curved path). tests/longrun/ holds the model that found it.
  auto& e = s.ends;
  Point &z = e.z, &z_forward = e.forward, &z_backward = e.backward, &sample = e.sample,
        &propose = e.propose;
  Eigen::VectorXd &p_sharp = e.p_sharp, &p_fwd_fwd = e.p_fwd_fwd, &p_fwd_bck = e.p_fwd_bck,
                  &p_bck_fwd = e.p_bck_fwd, &p_bck_bck = e.p_bck_bck;
  Eigen::VectorXd &p_sharp_fwd_fwd = e.p_sharp_fwd_fwd, &p_sharp_fwd_bck = e.p_sharp_fwd_bck,
                  &p_sharp_bck_fwd = e.p_sharp_bck_fwd, &p_sharp_bck_bck = e.p_sharp_bck_bck;
  Eigen::VectorXd &rho = e.rho, &rho_fwd = e.rho_fwd, &rho_bck = e.rho_bck;
  z = s.current;
  s.metric.sample_momentum(chain.rng().engine(), z.p);
  const double h0 = -z.log_density + s.metric.kinetic_energy(z.p);

  z_forward = z;
  z_backward = z;
  sample = z;
  propose = z;
  s.metric.velocity(z.p, p_sharp);
  p_fwd_fwd = p_fwd_bck = p_bck_fwd = p_bck_bck = z.p;
  p_sharp_fwd_fwd = p_sharp_fwd_bck = p_sharp_bck_fwd = p_sharp_bck_bck = p_sharp;
  rho = z.p;
  double log_sum_weight = 0.0, sum_metro_prob = 0.0;
  long n_leapfrog = 0;
  int depth = 0;
  s.divergent = false;
  while (depth < options_.max_treedepth) {
    rho_fwd.setZero();
    rho_bck.setZero();
    double log_sum_weight_subtree = -kInf;
    bool valid;
    if (uniform(chain.rng().engine()) > 0.5) {
      // The whole trajectory so far becomes the backward half: its forward end is the old
      // forward end (Note [Trajectory halves]).
      z = z_forward;
      rho_bck = rho;
      p_bck_fwd = p_fwd_fwd;
      p_sharp_bck_fwd = p_sharp_fwd_fwd;
      valid = build_tree(chain, s, depth, z, propose, p_sharp_fwd_bck, p_sharp_fwd_fwd, rho_fwd,
                         p_fwd_bck, p_fwd_fwd, h0, 1.0, n_leapfrog, log_sum_weight_subtree,
                         sum_metro_prob);
      z_forward = z;
    } else {
      // Mirrored: the trajectory so far is the forward half; its backward end the old one's.
      z = z_backward;
      rho_fwd = rho;
      p_fwd_bck = p_bck_bck;
      p_sharp_fwd_bck = p_sharp_bck_bck;
      valid = build_tree(chain, s, depth, z, propose, p_sharp_bck_fwd, p_sharp_bck_bck, rho_bck,
                         p_bck_fwd, p_bck_bck, h0, -1.0, n_leapfrog, log_sum_weight_subtree,
                         sum_metro_prob);
      z_backward = z;
    }
    if (!valid) break;
    ++depth;
    // Biased progressive sampling: the new subtree's point replaces the sample with
    // probability min(1, w_new / w_old).
    if (log_sum_weight_subtree > log_sum_weight) {
      sample = propose;
    } else if (uniform(chain.rng().engine()) < std::exp(log_sum_weight_subtree - log_sum_weight)) {
      sample = propose;
    }
    log_sum_weight = log_sum_exp(log_sum_weight, log_sum_weight_subtree);
    rho = rho_bck + rho_fwd;
    // The trajectory is its backward half followed in time by its forward half.
    if (!no_u_turn_merged(p_sharp_bck_bck, p_sharp_fwd_fwd, rho, p_sharp_bck_fwd, p_sharp_fwd_bck,
                          rho_bck, rho_fwd, p_bck_fwd, p_fwd_bck, e.cross)) {
      break;
    }
  }
  s.leapfrog_steps += n_leapfrog;
  s.current = sample;
  chain.position() = sample.q;
  chain.set_log_density(sample.log_density);
  Transition t;
  t.accept_stat = n_leapfrog > 0 ? sum_metro_prob / static_cast<double>(n_leapfrog) : 0.0;
  t.depth = depth;
  t.n_leapfrog = n_leapfrog;
  t.energy = -sample.log_density + s.metric.kinetic_energy(sample.p);
  return t;
}

void NUTS::adapt(Chain& chain, ChainState& s, const Transition& t) {
  const bool warming_up = chain.iteration() < n_warmup();
  if (warming_up) {
    s.step_size = s.step_adaptation.learn(t.accept_stat);
    // Windowed (co)variance of the positions: a metric update at the end of each window.
    if (s.windows.in_window()) s.metric.add_sample(s.current.q);
    if (s.windows.window_ends()) {
      s.metric.update_from_window();
      // A new metric: a new step size, and dual averaging restarted from it.
      find_step_size(chain, s);
      s.step_adaptation.restart(s.step_size);
    }
    s.windows.advance();
    if (chain.iteration() + 1 == n_warmup()) s.step_size = s.step_adaptation.final_step_size();
  } else {
    if (s.divergent) ++s.divergences;
    if (t.depth >= options_.max_treedepth) ++s.max_treedepth_hits;
    s.energies.push_back(t.energy);
  }
}

std::vector<std::string> NUTS::own_sampler_param_names() const {
  return {"stepsize__", "treedepth__", "n_leapfrog__", "divergent__", "energy__"};
}

std::vector<std::string> NUTS::csv_settings() const {
  const NUTSOptions& o = options_;
  return {"method = sample (Default)",
          "num_samples = " + std::to_string(o.n_iter),
          "num_warmup = " + std::to_string(o.n_warmup),
          "save_warmup = 0 (Default)",
          "thin = 1 (Default)",
          "adapt engaged = 1",
          "delta = " + std::to_string(o.target_accept),
          "algorithm = hmc (Default)",
          "engine = nuts (Default)",
          "max_depth = " + std::to_string(o.max_treedepth),
          std::string("metric = ") + (o.metric == MassMatrix::dense ? "dense_e" : "diag_e")};
}

std::vector<std::string> NUTS::csv_adaptation(int chain) const {
  const NUTSDiagnostics d = diagnostics();
  const auto k = static_cast<std::size_t>(chain);
  char line[64];
  std::snprintf(line, sizeof line, "Step size = %.9g", d.step_size[k]);
  std::vector<std::string> out = {"Adaptation terminated", line};
  const Matrix& m = d.inverse_metric[k];
  out.emplace_back(m.cols() == 1 ? "Diagonal elements of inverse mass matrix:"
                                 : "Elements of inverse mass matrix:");
  for (Index r = 0; r < (m.cols() == 1 ? 1 : m.rows()); ++r) {
    std::string row;
    const Index n = m.cols() == 1 ? m.rows() : m.cols();
    for (Index c = 0; c < n; ++c) {
      std::snprintf(line, sizeof line, "%s%.9g", c == 0 ? "" : ", ",
                    m.cols() == 1 ? m(c, 0) : m(r, c));
      row += line;
    }
    out.push_back(row);
  }
  return out;
}

NUTSDiagnostics NUTS::diagnostics() const {
  NUTSDiagnostics out;
  for (const ChainState& s : states_) {
    out.divergences += s.divergences;
    out.max_treedepth_hits += s.max_treedepth_hits;
    out.leapfrog_steps += s.leapfrog_steps;
    out.step_size.push_back(s.step_size);
    out.inverse_metric.push_back(s.reported_inverse_metric.size() > 0 ? s.reported_inverse_metric
                                                                      : s.metric.inverse_metric());
    // E-BFMI = Σ (E_n − E_{n−1})² / Σ (E_n − Ē)².
    const auto& e = s.energies;
    double mean = 0.0, numerator = 0.0, denominator = 0.0;
    for (double v : e) mean += v;
    mean /= std::max<double>(1.0, static_cast<double>(e.size()));
    for (std::size_t n = 0; n < e.size(); ++n) {
      if (n > 0) numerator += (e[n] - e[n - 1]) * (e[n] - e[n - 1]);
      denominator += (e[n] - mean) * (e[n] - mean);
    }
    out.ebfmi.push_back(e.size() > 1 && denominator > 0.0
                            ? numerator / denominator
                            : std::numeric_limits<double>::quiet_NaN());
  }
  return out;
}

std::vector<double> NUTS::chain_report(const Chain& chain) const {
  const ChainState& s = states_[static_cast<std::size_t>(chain.index())];
  const Matrix inverse_metric = s.metric.inverse_metric();
  std::vector<double> out = {
      static_cast<double>(s.divergences), static_cast<double>(s.max_treedepth_hits),
      static_cast<double>(s.leapfrog_steps), s.step_size, static_cast<double>(s.energies.size())};
  out.insert(out.end(), s.energies.begin(), s.energies.end());
  out.push_back(static_cast<double>(inverse_metric.rows()));
  out.push_back(static_cast<double>(inverse_metric.cols()));
  out.insert(out.end(), inverse_metric.data(), inverse_metric.data() + inverse_metric.size());
  return out;
}

void NUTS::receive_chain_report(int chain, std::span<const double> report) {
  ChainState& s = states_[static_cast<std::size_t>(chain)];
  std::size_t at = 0;
  s.divergences = static_cast<long>(report[at++]);
  s.max_treedepth_hits = static_cast<long>(report[at++]);
  s.leapfrog_steps = static_cast<long>(report[at++]);
  s.step_size = report[at++];
  const auto energies = static_cast<std::size_t>(report[at++]);
  s.energies.assign(report.begin() + static_cast<std::ptrdiff_t>(at),
                    report.begin() + static_cast<std::ptrdiff_t>(at + energies));
  at += energies;
  const auto rows = static_cast<Index>(report[at++]);
  const auto cols = static_cast<Index>(report[at++]);
  s.reported_inverse_metric = Eigen::Map<const Matrix>(report.data() + at, rows, cols);
}

void NUTS::finalize(const Feed& feed) {
  MonteCarlo::finalize(feed);
  report_failed_evaluations("divergences");
  const NUTSDiagnostics d = diagnostics();
  const long kept = static_cast<long>(states_.size()) * options_.n_iter;
  if (d.divergences > 0) {
    detail::warn_format(
        "NUTS: %ld of %ld transitions after warm-up ended with a divergence; increase "
        "target_accept or reparameterise",
        d.divergences, kept);
  }
  if (d.max_treedepth_hits > 0) {
    detail::warn_format(
        "NUTS: %ld of %ld transitions hit the maximum tree depth of %d; increase "
        "max_treedepth",
        d.max_treedepth_hits, kept, options_.max_treedepth);
  }
  for (std::size_t c = 0; c < d.ebfmi.size(); ++c) {
    if (d.ebfmi[c] < 0.3) {
      detail::warn_format(
          "NUTS: chain %zu: E-BFMI = %.3f, below the nominal threshold of 0.3, which "
          "suggests that HMC may have trouble exploring the target distribution; if "
          "possible, reparameterise the model",
          c, d.ebfmi[c]);
    }
  }
}

}  // namespace ed
