#include "edpp/inference/mcmc/adaptation.hpp"

#include <algorithm>
#include <cmath>

namespace ed::detail {

void StepSizeAdaptation::restart(double step_size) {
  mu_ = std::log(10.0 * step_size);
  counter_ = 0;
  s_bar_ = x_bar_ = 0.0;
}

double StepSizeAdaptation::learn(double accept_stat) {
  ++counter_;
  const double stat = std::min(1.0, accept_stat);
  const double eta = 1.0 / (static_cast<double>(counter_) + 10.0);
  s_bar_ = (1.0 - eta) * s_bar_ + eta * (target_ - stat);
  const double x = mu_ - s_bar_ * std::sqrt(static_cast<double>(counter_)) / 0.05;
  const double x_eta = std::pow(static_cast<double>(counter_), -0.75);
  x_bar_ = (1.0 - x_eta) * x_bar_ + x_eta * x;
  return std::exp(x);
}

double StepSizeAdaptation::final_step_size() const { return std::exp(x_bar_); }

AdaptationWindows::AdaptationWindows(long n_warmup)
    : n_warmup_(n_warmup), init_buffer_(75), term_buffer_(50) {
  window_size_ = 25;
  if (n_warmup < 20) {
    init_buffer_ = n_warmup;  // too short for windows: step size only
    term_buffer_ = 0;
    window_size_ = 0;
  } else if (init_buffer_ + term_buffer_ + window_size_ > n_warmup) {
    init_buffer_ = static_cast<long>(0.15 * static_cast<double>(n_warmup));
    term_buffer_ = static_cast<long>(0.1 * static_cast<double>(n_warmup));
    window_size_ = n_warmup - (init_buffer_ + term_buffer_);
  }
  next_window_ = init_buffer_ + window_size_ - 1;
}

bool AdaptationWindows::in_window() const {
  return window_size_ > 0 && counter_ >= init_buffer_ && counter_ < n_warmup_ - term_buffer_ &&
         counter_ != n_warmup_;
}

bool AdaptationWindows::window_ends() const {
  return window_size_ > 0 && counter_ == next_window_ && counter_ != n_warmup_;
}

void AdaptationWindows::advance() {
  if (window_ends() && next_window_ != n_warmup_ - term_buffer_ - 1) {
    // The next window: twice as long, stretched to the terminal buffer when the one after it
    // would not fit.
    window_size_ *= 2;
    next_window_ = counter_ + window_size_;
    if (next_window_ != n_warmup_ - term_buffer_ - 1 &&
        next_window_ + 2 * window_size_ >= n_warmup_ - term_buffer_) {
      next_window_ = n_warmup_ - term_buffer_ - 1;
    }
  }
  ++counter_;
}

}  // namespace ed::detail
