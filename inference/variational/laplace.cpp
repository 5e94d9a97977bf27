// LaplaceApproximation: the mode in the q's locs, then the Hessian by differences of gradients.
#include "edpp/inference/variational/laplace.hpp"

#include <Eigen/Cholesky>

#include <cmath>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/distributions/bijectors.hpp"
#include "edpp/parallel/process_group.hpp"

namespace ed {

namespace {

// What the approximation writes into one q.
struct Target {
  Tensor loc;    // a variable: the mode estimate
  Tensor scale;  // the scale (Normal) or scale_tril (MultivariateNormalTriL)
  bool tril = false;
  bool transposed = false;  // q's loc is the transpose of the latent (a 1×d row for d×1)
};

Target target_of(const std::string& algorithm, const LatentPair& pair) {
  const RandomVariable& q = *pair.approximation;
  Target t;
  if (auto n = q.distribution().params_of("Normal")) {
    t.loc = (*n)[0];
    t.scale = (*n)[1];
  } else if (auto m = q.distribution().params_of("MultivariateNormalTriL")) {
    t.loc = (*m)[0];
    t.scale = (*m)[1];
    t.tril = true;
  } else {
    throw ed::invalid_argument(algorithm + ": the approximation " + q.describe() + " of latent " +
                               pair.latent.describe() +
                               " must be a Normal or a MultivariateNormalTriL");
  }
  if (!t.loc.is_variable()) {
    throw ed::invalid_argument(algorithm + ": the loc of " + q.describe() +
                               " must be a variable (it holds the mode)");
  }
  const Shape z = pair.latent.value().shape(), loc = t.loc.shape();
  t.transposed = z != loc && z.rows == loc.cols && z.cols == loc.rows;
  if (z != loc && !t.transposed) {
    throw ed::invalid_argument(algorithm + ": the loc of " + q.describe() + " has shape " +
                               to_string(loc) + " but the latent " + pair.latent.describe() +
                               " has another");
  }
  return t;
}

// Writes `value` into `t` through its parameterisation: a variable directly, or through an
// elementwise bijection (exp, softplus, a check) of one.
void assign_through(const std::string& algorithm, const Tensor& t, const Matrix& value) {
  if (t.is_variable()) {
    t.assign(value);
    return;
  }
  const auto& node = t.node();
  if (node->kind == detail::NodeKind::op && node->inputs.size() == 1) {
    if (auto inner = node->op->inverse(value)) {
      assign_through(algorithm, Tensor(node->inputs[0]), *inner);
      return;
    }
  }
  throw ed::invalid_argument(algorithm + ": cannot write a scale into " + detail::describe(*node) +
                             "; give the approximation's scale as a variable, or exp/softplus "
                             "of one");
}

}  // namespace

LaplaceApproximation::LaplaceApproximation(std::vector<LatentPair> latent, Data data)
    : VariationalInference("LaplaceApproximation", std::move(latent), std::move(data)) {}

void LaplaceApproximation::initialize(LaplaceOptions o) {
  for (const LatentPair& p : latent()) {
    if (!p.approximation) {
      throw ed::invalid_argument(algorithm() + ": the latent " + p.latent.describe() +
                                 " has no approximation: pass {z, qz}");
    }
    target_of(algorithm(), p);  // checks the family and the loc
  }
  for (const auto& [rv, value] : o.init) {
    for (const LatentPair& p : latent()) {
      if (!(p.latent == rv)) continue;
      const Target t = target_of(algorithm(), p);
      const Support support = p.latent.support();
      Matrix start = support.set().is_everything() ? value : unconstrain(support, value);
      if (t.transposed) start.transposeInPlace();
      if (shape_of(start) != t.loc.shape()) {
        throw ed::invalid_argument(algorithm() + ": options.init for latent " +
                                   p.latent.describe() + " has shape " +
                                   to_string(shape_of(value)) + "; the latent has another");
      }
      t.loc.assign(start);
    }
  }
  initialize_variational(o);
}

VariationalInference::Loss LaplaceApproximation::build_loss_and_gradients() {
  positions_.clear();
  std::vector<Tensor> values;
  Tensor log_jacobian;
  for (const LatentPair& p : latent()) {
    const Target t = target_of(algorithm(), p);
    positions_.push_back(t.loc);
    const Tensor u = t.transposed ? transpose(t.loc) : t.loc;
    const Support support = p.latent.support();
    if (support.is_discrete()) {
      throw ed::invalid_argument(algorithm() + ": the latent " + p.latent.describe() +
                                 " is discrete");
    }
    values.push_back(constrain(support, u));
    if (!support.set().is_everything()) {
      const Tensor j = sum(log_det_jacobian(support, u));
      log_jacobian = log_jacobian ? log_jacobian + j : j;
    }
  }
  const ModelTerms terms = model_terms(values);
  Loss loss;
  loss.data_terms = terms.data_terms;
  loss.global_terms = terms.latent_terms;
  loss.global_terms.insert(loss.global_terms.end(), terms.factor_terms.begin(),
                           terms.factor_terms.end());
  if (log_jacobian) loss.global_terms.push_back(log_jacobian);
  loss.substitutions = terms.substitutions;
  loss.session_substitutions = terms.latent_substitutions;
  return loss;
}

void LaplaceApproximation::finalize(const Feed& feed) {
  require_initialized("finalize()");
  // The Hessian of the objective this process minimised: its rows' terms (and on rank 0 the
  // global ones), summed over the group below, as the mode search's gradients were.
  Program program({objective()}, positions_, objective_substitutions());
  ProcessGroup* group = common_options().distributed;
  std::vector<Index> offsets;
  Index dimension = 0;
  for (const Tensor& p : positions_) {
    offsets.push_back(dimension);
    dimension += p.value().size();
  }
  auto gradient = [&](Eigen::VectorXd& g) {
    std::string error;
    try {
      program.forward(feed, session().rng());
      program.backward();
      for (std::size_t i = 0; i < positions_.size(); ++i) {
        const Matrix& gi = program.gradient(i);
        g.segment(offsets[i], gi.size()) = Eigen::Map<const Eigen::VectorXd>(gi.data(), gi.size());
      }
    } catch (const std::exception& e) {
      if (!group) throw;
      error = e.what();
    }
    if (group) group->sum({g.data(), static_cast<std::size_t>(g.size())}, error);
  };
  // Central differences of the reverse-mode gradient, column by column, then symmetrised.
  hessian_.resize(dimension, dimension);
  Eigen::VectorXd plus(dimension), minus(dimension);
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    Matrix& value = detail::mutable_value(positions_[i]);
    for (Index k = 0; k < value.size(); ++k) {
      const double x = value.data()[k];
      const double h = 1e-5 * std::max(1.0, std::abs(x));
      value.data()[k] = x + h;
      gradient(plus);
      value.data()[k] = x - h;
      gradient(minus);
      value.data()[k] = x;
      hessian_.col(offsets[i] + k) = (plus - minus) / (2.0 * h);
    }
  }
  hessian_ = 0.5 * (hessian_ + hessian_.transpose()).eval();
  const Eigen::LLT<Matrix> llt(hessian_);
  if (llt.info() != Eigen::Success || !hessian_.allFinite()) {
    throw ed::numerical_error(algorithm() +
                              ": the Hessian of the negative log joint is not positive definite "
                              "at the estimate (not at a mode: run more iterations?)");
  }
  const Matrix covariance = llt.solve(Matrix::Identity(dimension, dimension));
  for (std::size_t i = 0; i < positions_.size(); ++i) {
    const Target t = target_of(algorithm(), latent()[i]);
    const Index size = positions_[i].value().size();
    const Matrix block = covariance.block(offsets[i], offsets[i], size, size);
    if (t.tril) {
      const Eigen::LLT<Matrix> factor(block);
      assign_through(algorithm(), t.scale, Matrix(factor.matrixL()));
      continue;
    }
    const Shape loc = t.loc.shape(), scale = t.scale.shape();
    if (scale != loc) {
      throw ed::invalid_argument(algorithm() + ": the scale of " +
                                 latent()[i].approximation->describe() + " has shape " +
                                 to_string(scale) + "; it needs its loc's shape " + to_string(loc) +
                                 " to hold one standard deviation each");
    }
    Matrix sd = block.diagonal().cwiseSqrt();
    sd.resize(loc.rows, loc.cols);
    assign_through(algorithm(), t.scale, sd);
  }
}

}  // namespace ed
