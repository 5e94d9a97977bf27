// Gradient-based optimizers behind one interface, as Edward/TensorFlow users know them.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "edpp/core/fwd.hpp"

namespace ed {

/// Minimises a loss over parameter matrices in place. `step` receives every parameter and its
/// gradient; `reevaluate` recomputes loss and gradients at the current parameters (only line
/// searches need it). State (moments, accumulators) is sized on the first step and then reused.
class Optimizer {
 public:
  using Params = std::span<Matrix* const>;
  using Gradients = std::span<const Matrix* const>;
  using Reevaluate = std::function<double()>;

  virtual ~Optimizer() = default;
  virtual std::string_view name() const = 0;
  /// One update of every parameter.
  virtual void step(Params params, Gradients grads, const Reevaluate& reevaluate) = 0;
  /// Forgets all state (as a freshly constructed optimizer).
  virtual void reset() = 0;
  virtual std::unique_ptr<Optimizer> clone() const = 0;
  /// Multiplies the learning rate by `decay_rate` every `decay_steps` steps (0: never), as
  /// tf.train.exponential_decay: lr · rate^(t / steps) for step t counted from 0, with the
  /// exponent rounded down when `staircase` (the rate changes every decay_steps steps).
  void set_exponential_decay(double decay_rate, double decay_steps, bool staircase = false);

 protected:
  /// The learning rate for step t (1-based).
  double decayed(double lr, long t) const;

 private:
  double decay_rate_ = 1.0;
  double decay_steps_ = 0.0;
  bool staircase_ = false;
};

/// Adam (Kingma & Ba 2015) with bias correction, as PyTorch's torch.optim.Adam:
/// m ← β₁m + (1−β₁)g,  v ← β₂v + (1−β₂)g²,  θ ← θ − lr · m̂ / (√v̂ + ε).
class Adam final : public Optimizer {
 public:
  explicit Adam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);
  std::string_view name() const override { return "Adam"; }
  void step(Params params, Gradients grads, const Reevaluate& reevaluate) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Adam>(*this); }

 private:
  double lr_, beta1_, beta2_, eps_;
  long t_ = 0;
  std::vector<Matrix> m_, v_;
};

/// Edward's default optimiser of variational inference (MAP, KLqp, KLpq): Adam whose learning
/// rate is 0.1 · 0.9^⌊t/100⌋ for step t counted from 0 (tf.train.exponential_decay with
/// staircase=True). The decay lets the noisy steps of a stochastic objective settle: KLqp's
/// means at defaults agree across seeds within a few hundredths of a posterior sd, where a
/// constant Adam(0.1) leaves them scattered by half of one.
Adam edward_adam();

/// Stochastic gradient descent with optional (Nesterov) momentum, as torch.optim.SGD:
/// b ← μb + g,  θ ← θ − lr · (nesterov ? g + μb : b).
class SGD final : public Optimizer {
 public:
  explicit SGD(double lr, double momentum = 0.0, bool nesterov = false);
  std::string_view name() const override { return "SGD"; }
  void step(Params params, Gradients grads, const Reevaluate& reevaluate) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<SGD>(*this); }

 private:
  double lr_, momentum_;
  bool nesterov_;
  long t_ = 0;
  std::vector<Matrix> buffer_;
};

/// RMSProp as tf.train.RMSPropOptimizer: s ← ρs + (1−ρ)g², θ ← θ − lr · g / √(s + ε).
class RMSProp final : public Optimizer {
 public:
  explicit RMSProp(double lr, double decay = 0.9, double eps = 1e-10);
  std::string_view name() const override { return "RMSProp"; }
  void step(Params params, Gradients grads, const Reevaluate& reevaluate) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<RMSProp>(*this); }

 private:
  double lr_, decay_, eps_;
  long t_ = 0;
  std::vector<Matrix> square_avg_;
};

/// Adagrad as tf.train.AdagradOptimizer: a ← a + g², θ ← θ − lr · g / √a (a starts at 0.1).
class Adagrad final : public Optimizer {
 public:
  explicit Adagrad(double lr, double initial_accumulator = 0.1);
  std::string_view name() const override { return "Adagrad"; }
  void step(Params params, Gradients grads, const Reevaluate& reevaluate) override;
  void reset() override;
  std::unique_ptr<Optimizer> clone() const override { return std::make_unique<Adagrad>(*this); }

 private:
  double lr_, initial_;
  long t_ = 0;
  std::vector<Matrix> accumulator_;
};

/// A copyable holder of any optimizer, so options can say `.optimizer = ed::Adam(5e-3)`.
class AnyOptimizer {
 public:
  template <class O>
  requires std::derived_from<O, Optimizer> AnyOptimizer(
      O optimizer)  // NOLINT(google-explicit-constructor)
      : prototype_(std::make_shared<O>(std::move(optimizer))) {}
  /// A fresh optimizer with the prototype's settings and no state.
  std::unique_ptr<Optimizer> make() const {
    auto o = prototype_->clone();
    o->reset();
    return o;
  }
  std::string_view name() const { return prototype_->name(); }

 private:
  std::shared_ptr<const Optimizer> prototype_;
};

}  // namespace ed
