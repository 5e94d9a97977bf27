// Adam, SGD, RMSProp and Adagrad: whole-matrix updates on state sized once.
#include "edpp/optim/optimizers.hpp"

#include <cmath>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {
// Sizes each state matrix like its parameter (zero- or value-filled) the first time only.
void size_state(std::vector<Matrix>& state, Optimizer::Params params, double fill) {
  if (state.size() == params.size()) return;
  state.clear();
  for (const Matrix* p : params) state.push_back(Matrix::Constant(p->rows(), p->cols(), fill));
}
void check_learning_rate(std::string_view who, double lr) {
  if (!(lr > 0.0) || !std::isfinite(lr)) {
    throw ed::invalid_argument(std::string(who) + ": learning rate is " + std::to_string(lr) +
                               ", but must be positive and finite");
  }
}
}  // namespace

void Optimizer::set_exponential_decay(double decay_rate, double decay_steps, bool staircase) {
  if (!(decay_rate > 0.0 && std::isfinite(decay_rate)) || !(decay_steps >= 0.0) ||
      !std::isfinite(decay_steps)) {
    throw ed::invalid_argument(std::string(name()) +
                               ": exponential decay needs a finite rate > 0 and steps >= 0, got "
                               "rate " +
                               std::to_string(decay_rate) + " and steps " +
                               std::to_string(decay_steps));
  }
  decay_rate_ = decay_rate;
  decay_steps_ = decay_steps;
  staircase_ = staircase;
}

double Optimizer::decayed(double lr, long t) const {
  if (decay_steps_ <= 0.0) return lr;
  // Step t (1-based) is TensorFlow's global_step t − 1.
  double exponent = static_cast<double>(t - 1) / decay_steps_;
  if (staircase_) exponent = std::floor(exponent);
  return lr * std::pow(decay_rate_, exponent);
}

Adam edward_adam() {
  Adam adam(0.1);
  adam.set_exponential_decay(0.9, 100.0, true);
  return adam;
}

Adam::Adam(double lr, double beta1, double beta2, double eps)
    : lr_(lr), beta1_(beta1), beta2_(beta2), eps_(eps) {
  check_learning_rate("Adam", lr);
  if (!(beta1 >= 0.0 && beta1 < 1.0) || !(beta2 >= 0.0 && beta2 < 1.0) || !(eps >= 0.0)) {
    throw ed::invalid_argument("Adam: needs 0 <= beta1, beta2 < 1 and eps >= 0");
  }
}

void Adam::reset() {
  t_ = 0;
  m_.clear();
  v_.clear();
}

void Adam::step(Params params, Gradients grads, const Reevaluate&) {
  size_state(m_, params, 0.0);
  size_state(v_, params, 0.0);
  ++t_;
  const double lr = decayed(lr_, t_);
  const double correction1 = 1.0 - std::pow(beta1_, static_cast<double>(t_));
  const double sqrt_correction2 = std::sqrt(1.0 - std::pow(beta2_, static_cast<double>(t_)));
  const double step_size = lr / correction1;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto g = grads[i]->array();
    m_[i].array() = beta1_ * m_[i].array() + (1.0 - beta1_) * g;
    v_[i].array() = beta2_ * v_[i].array() + (1.0 - beta2_) * g.square();
    params[i]->array() -=
        step_size * m_[i].array() / (v_[i].array().sqrt() / sqrt_correction2 + eps_);
  }
}

SGD::SGD(double lr, double momentum, bool nesterov)
    : lr_(lr), momentum_(momentum), nesterov_(nesterov) {
  check_learning_rate("SGD", lr);
  if (!(momentum >= 0.0)) throw ed::invalid_argument("SGD: momentum must be non-negative");
}

void SGD::reset() {
  t_ = 0;
  buffer_.clear();
}

void SGD::step(Params params, Gradients grads, const Reevaluate&) {
  ++t_;
  const double lr = decayed(lr_, t_);
  if (momentum_ == 0.0) {
    for (std::size_t i = 0; i < params.size(); ++i) *params[i] -= lr * *grads[i];
    return;
  }
  const bool first = buffer_.size() != params.size();
  size_state(buffer_, params, 0.0);
  for (std::size_t i = 0; i < params.size(); ++i) {
    // PyTorch starts the buffer at the first gradient rather than decaying a zero.
    if (first) {
      buffer_[i] = *grads[i];
    } else {
      buffer_[i] = momentum_ * buffer_[i] + *grads[i];
    }
    if (nesterov_) {
      *params[i] -= lr * (*grads[i] + momentum_ * buffer_[i]);
    } else {
      *params[i] -= lr * buffer_[i];
    }
  }
}

RMSProp::RMSProp(double lr, double decay, double eps) : lr_(lr), decay_(decay), eps_(eps) {
  check_learning_rate("RMSProp", lr);
}

void RMSProp::reset() {
  t_ = 0;
  square_avg_.clear();
}

void RMSProp::step(Params params, Gradients grads, const Reevaluate&) {
  // TensorFlow initialises the mean square at 1, not 0, which damps the first steps.
  size_state(square_avg_, params, 1.0);
  ++t_;
  const double lr = decayed(lr_, t_);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto g = grads[i]->array();
    square_avg_[i].array() = decay_ * square_avg_[i].array() + (1.0 - decay_) * g.square();
    params[i]->array() -= lr * g / (square_avg_[i].array() + eps_).sqrt();
  }
}

Adagrad::Adagrad(double lr, double initial_accumulator) : lr_(lr), initial_(initial_accumulator) {
  check_learning_rate("Adagrad", lr);
  if (!(initial_accumulator >= 0.0)) {
    throw ed::invalid_argument("Adagrad: the initial accumulator must be non-negative");
  }
}

void Adagrad::reset() {
  t_ = 0;
  accumulator_.clear();
}

void Adagrad::step(Params params, Gradients grads, const Reevaluate&) {
  size_state(accumulator_, params, initial_);
  ++t_;
  const double lr = decayed(lr_, t_);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto g = grads[i]->array();
    accumulator_[i].array() += g.square();
    params[i]->array() -= lr * g / accumulator_[i].array().sqrt();
  }
}

}  // namespace ed
