// Warm-up adaptation of Hamiltonian samplers, as Stan's: the step size by dual averaging and the
// windows in which the metric is estimated. Each chain owns one of each.
#pragma once

namespace ed::detail {

/// Nesterov's dual averaging of log ε towards a target mean acceptance statistic δ (Hoffman and
/// Gelman 2014, as Stan's stepsize_adaptation: γ = 0.05, κ = 0.75, t₀ = 10, μ = log 10ε₀).
class StepSizeAdaptation {
 public:
  StepSizeAdaptation() = default;
  explicit StepSizeAdaptation(double target_accept) : target_(target_accept) {}
  /// Starts again from `step_size` (at the start and after each metric update).
  void restart(double step_size);
  /// Learns from one transition's acceptance statistic; returns the next step size.
  double learn(double accept_stat);
  /// The step size kept after warm-up: exp of the averaged iterate.
  double final_step_size() const;

 private:
  double target_ = 0.8;
  double mu_ = 0.0, s_bar_ = 0.0, x_bar_ = 0.0;
  long counter_ = 0;
};

/// Stan's windowed adaptation schedule for `n_warmup` iterations: an initial buffer (75), windows
/// that double from 25 and a terminal buffer (50), the last window stretched to the terminal
/// buffer; shorter warm-ups scale these to 15% / 75% / 10%, and one under 20 iterations adapts
/// the step size only.
class AdaptationWindows {
 public:
  AdaptationWindows() = default;
  explicit AdaptationWindows(long n_warmup);
  /// Whether this warm-up iteration's draw goes into the metric estimate.
  bool in_window() const;
  /// Whether a window closes at this iteration (then the metric is updated).
  bool window_ends() const;
  /// Moves to the next iteration (and, when a window closed, to the next window).
  void advance();

 private:
  long n_warmup_ = 0;
  long counter_ = 0, window_size_ = 0, next_window_ = 0, init_buffer_ = 0, term_buffer_ = 0;
};

}  // namespace ed::detail
