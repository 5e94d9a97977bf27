// L-BFGS with a strong-Wolfe line search, for full-batch problems.
#pragma once

#include <deque>

#include "edpp/core/fwd.hpp"  // Eigen, with GCC 12's AVX-512 warnings silenced

#include "edpp/optim/optimizers.hpp"

namespace ed {

/// Limited-memory BFGS (Nocedal & Wright, Algorithm 7.5) with the strong-Wolfe line search of
/// their Algorithm 3.5/3.6 (c₁ = 1e-4, c₂ = 0.9, cubic interpolation in the zoom). One step() is
/// one L-BFGS iteration and calls `reevaluate` for every trial point, so the loss must be
/// deterministic (full batch, no sampling). Nothing moves once the gradient's largest entry is
/// below `gradient_tolerance`.
class LBFGS final : public Optimizer {
 public:
  explicit LBFGS(int history = 10, int max_line_search = 25, double gradient_tolerance = 1e-10);
  std::string_view name() const override { return "LBFGS"; }
  void step(Params params, Gradients grads, const Reevaluate& reevaluate) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<LBFGS>(*this); }

 private:
  int history_, max_line_search_;
  double gradient_tolerance_;
  long t_ = 0;
  std::deque<Eigen::VectorXd> s_, y_;
};

}  // namespace ed
