// Specs of OrderedLogistic and OrderedProbit: the log probability of each of the K outcomes as
// one n×K tensor, gathered at the observed outcome.
#include "edpp/distributions/ordinal.hpp"

#include <Eigen/Core>

#include <limits>
#include <string>
#include <vector>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/categorical.hpp"
#include "edpp/distributions/family.hpp"

namespace ed {

namespace {

using extend::Family;
using Params = Family::Params;
using LogProbs = Tensor (*)(const Tensor& eta, const Tensor& cutpoints);

// log P(y = k), k = 0, …, K−1, of the ordered logistic (n×K or 1×K): with z_j = η − c_j,
//   P(0) = σ(−z_0), P(k) = σ(z_{k−1}) − σ(z_k), P(K−1) = σ(z_{K−2}),
// the middle ones as log σ(z_{k−1}) + log σ(−z_k) + log(1 − e^(c_{k−1} − c_k)), which stays exact
// when both σ are near 1 or near 0 (a difference of logs would cancel).
Tensor ordered_logistic_log_probs(const Tensor& eta, const Tensor& cutpoints) {
  const Index cuts = cutpoints.shape().cols;
  const Tensor z = eta - cutpoints;
  const Tensor above = log_sigmoid(z), below = log_sigmoid(-z);
  std::vector<Tensor> columns = {col(below, 0)};
  for (Index k = 1; k < cuts; ++k) {
    columns.push_back(col(above, k - 1) + col(below, k) +
                      log1m_exp(col(cutpoints, k - 1) - col(cutpoints, k)));
  }
  columns.push_back(col(above, cuts - 1));
  return concat(columns, 1);
}

// The same for normal noise: P(k) = Φ(a) − Φ(b) with a = η − c_{k−1} > b = η − c_k. Where b > 0
// both Φ are near 1 and their difference would cancel, so it is taken as Φ(−b) − Φ(−a), the
// same number from the lower tail; log_Phi keeps either end exact.
Tensor ordered_probit_log_probs(const Tensor& eta, const Tensor& cutpoints) {
  const Index cuts = cutpoints.shape().cols;
  const Tensor z = eta - cutpoints;
  std::vector<Tensor> columns = {log_Phi(-col(z, 0))};
  for (Index k = 1; k < cuts; ++k) {
    const Tensor a = col(z, k - 1), b = col(z, k);
    const Tensor flip = step(b);  // 1 where b ≥ 0: a constant mask, no gradient
    const Tensor shift = flip * (a + b);
    columns.push_back(log_diff_exp(log_Phi(a - shift), log_Phi(b - shift)));
  }
  columns.push_back(log_Phi(col(z, cuts - 1)));
  return concat(columns, 1);
}

std::shared_ptr<const Family> ordinal(std::string name, LogProbs log_probs) {
  auto s = extend::count_family(std::move(name),
                                {{"eta", Support::finite()}, {"cutpoints", Support::ordered()}});
  s->params_broadcast = false;  // η is n×1, the cutpoints one row
  s->support_of = [](const Params& p) -> std::optional<Support> {
    return Support::integer_interval(0.0, static_cast<double>(p[1].shape().cols));
  };
  s->log_prob = [log_probs](const Params& p, const Tensor& k) {
    return gather_or(log_probs(p[0], p[1]), k, -std::numeric_limits<double>::infinity());
  };
  s->sample = [log_probs](const Params& p, const Tensor& like) {
    return detail::CategoricalDistribution(log_probs(p[0], p[1])).sample(like);
  };
  s->mean = [log_probs](const Params& p) {
    const Tensor probs = exp(log_probs(p[0], p[1]));
    const Index k = p[1].shape().cols + 1;
    return matmul(probs, Tensor(Eigen::VectorXd::LinSpaced(k, 0.0, double(k - 1)).eval()));
  };
  return s;
}

std::shared_ptr<const Family> ordered_logistic() {
  static const auto spec = ordinal("OrderedLogistic", ordered_logistic_log_probs);
  return spec;
}
std::shared_ptr<const Family> ordered_probit() {
  static const auto spec = ordinal("OrderedProbit", ordered_probit_log_probs);
  return spec;
}

// Cutpoints as one row: a column vector (Stan's `vector`) is turned.
Tensor cutpoint_row(const char* family, const Tensor& cutpoints) {
  const Shape s = cutpoints.shape();
  if (s.rows == Dynamic || s.cols == Dynamic || (s.rows > 1 && s.cols > 1) || s.rows * s.cols < 1) {
    throw ed::invalid_argument(std::string(family) +
                               ": cutpoints must be a vector of known length "
                               "(K − 1 for K outcomes), got shape " +
                               to_string(s));
  }
  return s.rows > 1 ? transpose(cutpoints) : cutpoints;
}

}  // namespace

OrderedLogistic::OrderedLogistic(const Tensor& eta, const Tensor& cutpoints, const Tensor& value)
    : RandomVariable(extend::make_distribution(ordered_logistic(),
                                               {eta, cutpoint_row("OrderedLogistic", cutpoints)}),
                     value) {}
OrderedProbit::OrderedProbit(const Tensor& eta, const Tensor& cutpoints, const Tensor& value)
    : RandomVariable(extend::make_distribution(ordered_probit(),
                                               {eta, cutpoint_row("OrderedProbit", cutpoints)}),
                     value) {}

}  // namespace ed
