// DirichletProcess: sticks, atoms and assignments, and the draws as picked atoms.
#include "edpp/distributions/dirichlet_process.hpp"

#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/ops.hpp"

namespace ed {

Tensor stick_breaking_weights(const Tensor& sticks) {
  const Shape s = sticks.shape();
  if (s.cols != 1 || s.rows == Dynamic) {
    throw ed::invalid_argument("stick_breaking_weights: sticks " + to_string(s) +
                               " must be a column of known length");
  }
  // log π_t = log β_t + Σ_{s<t} log(1 − β_s); the last atom takes Π (1 − β_s).
  const Tensor log_rest = log1p(-sticks);
  const Tensor before = cumulative_sum(log_rest) - log_rest;  // Σ_{s<t}
  const Tensor first = exp(log(sticks) + before);
  const Tensor last = exp(sum(log_rest));
  return transpose(concat({first, last}, 0));
}

namespace {

/// The base family with T draws, one per row: the base's own distribution, its draw widened.
class RowsOf final : public Distribution {
 public:
  RowsOf(std::shared_ptr<const Distribution> base, Index rows, Index cols)
      : base_(std::move(base)), like_(Matrix::Zero(rows, cols)) {}
  std::string_view name() const override { return base_->name(); }
  Tensor log_prob(const Tensor& x) const override { return base_->log_prob(x); }
  Tensor sample(const Tensor& = Tensor()) const override { return base_->sample(like_); }
  Tensor mean() const override { return broadcast_like(base_->mean(), like_); }
  Tensor variance() const override { return broadcast_like(base_->variance(), like_); }
  Support support() const override { return base_->support(); }
  bool is_reparameterized() const override { return base_->is_reparameterized(); }
  std::vector<Tensor> params() const override { return base_->params(); }

 private:
  std::shared_ptr<const Distribution> base_;
  Tensor like_;
};

/// The draws: atoms picked by the assignments. No density (see the class comment).
class PickedAtoms final : public Distribution {
 public:
  PickedAtoms(Tensor atoms, Tensor assignments, Support support)
      : atoms_(std::move(atoms)), assignments_(std::move(assignments)), support_(support) {}
  std::string_view name() const override { return "DirichletProcess"; }
  Tensor log_prob(const Tensor&) const override {
    throw ed::invalid_argument(
        "DirichletProcess: its draws are atoms and have no density; bind data to a mixture "
        "over the atoms (ParamMixture with the process's weights())");
  }
  Tensor sample(const Tensor& = Tensor()) const override {
    return gather_rows(atoms_, assignments_);
  }
  Support support() const override { return support_; }
  bool is_reparameterized() const override { return false; }
  std::vector<Tensor> params() const override { return {atoms_, assignments_}; }

 private:
  Tensor atoms_, assignments_;
  Support support_;
};

}  // namespace

struct DirichletProcess::Parts {
  Beta sticks;
  Tensor weights;
  RandomVariable atoms;
  Categorical assignments;
  std::shared_ptr<const Distribution> draws;
};

DirichletProcess::DirichletProcess(const Tensor& concentration, const RandomVariable& base, Index n,
                                   Index truncation)
    : DirichletProcess([&] {
        if (n < 1) throw ed::invalid_argument("DirichletProcess: n must be at least 1");
        if (truncation < 2) {
          throw ed::invalid_argument("DirichletProcess: truncation must be at least 2, got " +
                                     std::to_string(truncation));
        }
        const Shape b = base.value().shape();
        if (b.rows != 1 || b.cols == Dynamic) {
          throw ed::invalid_argument("DirichletProcess: the base " + base.describe() +
                                     " must be one draw per row (1×D)");
        }
        const Index t = truncation;
        Beta sticks(Matrix::Ones(t - 1, 1), broadcast_like(concentration, Matrix::Zero(t - 1, 1)));
        Tensor weights = stick_breaking_weights(sticks);
        RandomVariable atoms(std::make_shared<RowsOf>(base.distribution_ptr(), t, b.cols));
        Categorical assignments =
            Categorical::from_probs(broadcast_like(weights, Matrix::Zero(n, t)));
        auto draws =
            std::make_shared<PickedAtoms>(atoms.value(), assignments.value(), base.support());
        return Parts{std::move(sticks), std::move(weights), std::move(atoms),
                     std::move(assignments), std::move(draws)};
      }()) {}

DirichletProcess::DirichletProcess(Parts parts)
    : RandomVariable(std::move(parts.draws)),
      sticks_(std::move(parts.sticks)),
      weights_(std::move(parts.weights)),
      atoms_(std::move(parts.atoms)),
      assignments_(std::move(parts.assignments)) {}

}  // namespace ed
