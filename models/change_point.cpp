// The change-point model: log p(D, s | e, l) from running sums of the counts.
#include "edpp/models/change_point.hpp"

#include <boost/random/poisson_distribution.hpp>

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/rng.hpp"

namespace ed::models {

namespace {

// For a change before step s: A_s = Σ_{t<s} D_t counts at the early rate over s steps, and
// B_s = Σ_{t≥s} D_t at the late rate over T − s steps, so that
//   log p(D, s | e, l) = A_s log e − s e + B_s log l − (T − s) l + const.
struct RunningSums {
  Matrix before, after, steps, remaining;
};
RunningSums running_sums(const Matrix& counts) {
  if (counts.cols() != 1 || counts.rows() < 1) {
    throw ed::invalid_argument(
        "change_point: counts must be one column of at least one count, "
        "got " +
        std::to_string(counts.rows()) + "x" + std::to_string(counts.cols()));
  }
  const Index years = counts.rows();
  RunningSums r{Matrix(years, 1), Matrix(years, 1), Matrix(years, 1), Matrix(years, 1)};
  const double total = counts.sum();
  double seen = 0.0;
  for (Index s = 0; s < years; ++s) {
    r.before(s, 0) = seen;
    r.after(s, 0) = total - seen;
    r.steps(s, 0) = static_cast<double>(s);
    r.remaining(s, 0) = static_cast<double>(years - s);
    seen += counts(s, 0);
  }
  return r;
}

}  // namespace

ChangePoint change_point(const Matrix& counts, double prior_rate) {
  const RunningSums r = running_sums(counts);
  ChangePoint m{Exponential(prior_rate), Exponential(prior_rate), Tensor()};
  m.log_p_change =
      r.before * log(m.early) - r.steps * m.early + r.after * log(m.late) - r.remaining * m.late;
  factor(logsumexp(m.log_p_change, 0));
  return m;
}

Matrix change_point_posterior(const Matrix& counts, const Matrix& early_draws,
                              const Matrix& late_draws) {
  const RunningSums r = running_sums(counts);
  Matrix posterior = Matrix::Zero(counts.rows(), 1);
  for (Index k = 0; k < early_draws.rows(); ++k) {
    const double e = early_draws(k, 0), l = late_draws(k, 0);
    const Eigen::ArrayXd lp = r.before.array() * std::log(e) - r.steps.array() * e +
                              r.after.array() * std::log(l) - r.remaining.array() * l;
    const Eigen::ArrayXd w = (lp - lp.maxCoeff()).exp();
    posterior += (w / w.sum()).matrix();
  }
  return posterior / static_cast<double>(early_draws.rows());
}

Matrix simulate_change_point(Index years, Index change, double early, double late,
                             std::uint64_t seed) {
  Rng rng(seed);
  Matrix counts(years, 1);
  for (Index t = 0; t < years; ++t) {
    counts(t, 0) =
        boost::random::poisson_distribution<int, double>(t < change ? early : late)(rng.engine());
  }
  return counts;
}

}  // namespace ed::models
