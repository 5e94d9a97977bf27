// L-BFGS: two-loop recursion for the direction, strong-Wolfe line search along it.
#include "edpp/optim/lbfgs.hpp"

#include <algorithm>
#include <cmath>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {

Eigen::VectorXd flatten(std::span<const Matrix* const> parts) {
  Index n = 0;
  for (const Matrix* m : parts) n += m->size();
  Eigen::VectorXd v(n);
  Index offset = 0;
  for (const Matrix* m : parts) {
    v.segment(offset, m->size()) = Eigen::Map<const Eigen::VectorXd>(m->data(), m->size());
    offset += m->size();
  }
  return v;
}

void unflatten(const Eigen::VectorXd& v, Optimizer::Params params) {
  Index offset = 0;
  for (Matrix* m : params) {
    Eigen::Map<Eigen::VectorXd>(m->data(), m->size()) = v.segment(offset, m->size());
    offset += m->size();
  }
}

// The minimiser of the cubic through (a, fa, da) and (b, fb, db), kept inside the bracket;
// bisection when the cubic has no real minimiser (Nocedal & Wright eq. 3.59).
double cubic_minimum(double a, double fa, double da, double b, double fb, double db) {
  const double d1 = da + db - 3.0 * (fa - fb) / (a - b);
  const double disc = d1 * d1 - da * db;
  const double lo = std::min(a, b), hi = std::max(a, b);
  if (disc >= 0.0) {
    const double d2 = std::copysign(std::sqrt(disc), b - a);
    const double x = b - (b - a) * (db + d2 - d1) / (db - da + 2.0 * d2);
    // Stay clear of the ends so that the bracket keeps shrinking.
    const double margin = 0.1 * (hi - lo);
    if (std::isfinite(x)) return std::clamp(x, lo + margin, hi - margin);
  }
  return 0.5 * (lo + hi);
}

}  // namespace

LBFGS::LBFGS(int history, int max_line_search, double gradient_tolerance)
    : history_(history),
      max_line_search_(max_line_search),
      gradient_tolerance_(gradient_tolerance) {
  if (history < 1 || max_line_search < 1) {
    throw ed::invalid_argument("LBFGS: history and max_line_search must be at least 1");
  }
}

void LBFGS::reset() {
  t_ = 0;
  s_.clear();
  y_.clear();
}

void LBFGS::step(Params params, Gradients grads, const Reevaluate& reevaluate) {
  if (!reevaluate) throw ed::invalid_argument("LBFGS: needs a way to re-evaluate the loss");
  ++t_;
  const Eigen::VectorXd x0 = flatten({params.data(), params.size()});
  const Eigen::VectorXd g0 = flatten(grads);
  if (g0.lpNorm<Eigen::Infinity>() <= gradient_tolerance_) return;

  // Two-loop recursion: d = −H g with H₀ = (sᵀy / yᵀy) I.
  Eigen::VectorXd q = g0;
  std::vector<double> alpha(s_.size());
  for (int i = static_cast<int>(s_.size()) - 1; i >= 0; --i) {
    alpha[i] = s_[i].dot(q) / y_[i].dot(s_[i]);
    q -= alpha[i] * y_[i];
  }
  if (!s_.empty()) q *= s_.back().dot(y_.back()) / y_.back().squaredNorm();
  for (std::size_t i = 0; i < s_.size(); ++i) {
    const double beta = y_[i].dot(q) / y_[i].dot(s_[i]);
    q += (alpha[i] - beta) * s_[i];
  }
  Eigen::VectorXd d = -q;
  double dphi0 = g0.dot(d);
  if (!(dphi0 < 0.0)) {  // not a descent direction: forget the curvature pairs
    s_.clear();
    y_.clear();
    d = -g0;
    dphi0 = -g0.squaredNorm();
  }

  // φ(a) = f(x₀ + a d) and φ'(a), evaluated through the caller's program.
  const double f0 = reevaluate();  // the loss at x₀ (grads are already there)
  Eigen::VectorXd g_at;            // gradient at the last evaluated point
  double last_a = -1.0;
  auto phi = [&](double a, double& dphi) {
    unflatten(x0 + a * d, params);
    const double f = reevaluate();
    g_at = flatten(grads);
    dphi = g_at.dot(d);
    last_a = a;
    return f;
  };

  const double c1 = 1e-4, c2 = 0.9;
  // The first iteration has no curvature scale yet: a step of at most unit length.
  double a = s_.empty() ? std::min(1.0, 1.0 / std::max(g0.lpNorm<1>(), 1e-300)) : 1.0;
  double a_prev = 0.0, f_prev = f0, dphi_prev = dphi0, accepted = 0.0;
  bool found = false;
  auto zoom = [&](double lo, double f_lo, double d_lo, double hi, double f_hi, double d_hi) {
    for (int i = 0; i < max_line_search_; ++i) {
      const double aj = cubic_minimum(lo, f_lo, d_lo, hi, f_hi, d_hi);
      double dj;
      const double fj = phi(aj, dj);
      if (fj > f0 + c1 * aj * dphi0 || fj >= f_lo) {
        hi = aj, f_hi = fj, d_hi = dj;
      } else {
        if (std::abs(dj) <= -c2 * dphi0) return aj;
        if (dj * (hi - lo) >= 0.0) hi = lo, f_hi = f_lo, d_hi = d_lo;
        lo = aj, f_lo = fj, d_lo = dj;
      }
      if (std::abs(hi - lo) < 1e-16 * std::max(1.0, std::abs(lo))) break;
    }
    return lo;  // the best point with sufficient decrease found so far
  };
  for (int i = 0; i < max_line_search_ && !found; ++i) {
    double dphi;
    const double f = phi(a, dphi);
    if (!std::isfinite(f) || f > f0 + c1 * a * dphi0 || (i > 0 && f >= f_prev)) {
      accepted = zoom(a_prev, f_prev, dphi_prev, a, std::isfinite(f) ? f : 1e300, dphi);
      found = true;
    } else if (std::abs(dphi) <= -c2 * dphi0) {
      accepted = a;
      found = true;
    } else if (dphi >= 0.0) {
      accepted = zoom(a, f, dphi, a_prev, f_prev, dphi_prev);
      found = true;
    } else {
      a_prev = a, f_prev = f, dphi_prev = dphi;
      a *= 2.0;
    }
  }
  if (!found) accepted = a_prev;
  if (accepted <= 0.0) {  // no decrease along d: stay at x₀
    unflatten(x0, params);
    reevaluate();
    s_.clear();
    y_.clear();
    return;
  }
  if (last_a != accepted) {
    double unused;
    phi(accepted, unused);
  }
  const Eigen::VectorXd s = accepted * d;
  const Eigen::VectorXd y = g_at - g0;
  if (s.dot(y) > 1e-12 * y.squaredNorm()) {
    s_.push_back(s);
    y_.push_back(y);
    if (static_cast<int>(s_.size()) > history_) {
      s_.pop_front();
      y_.pop_front();
    }
  }
}

}  // namespace ed
