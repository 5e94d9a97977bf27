// Edward's progress bar: "1000/1000 [100%] ██████████████████████████████ Elapsed: 2s | Loss:
// 3426.041", reported through the progress sink (core/messages.hpp).
#pragma once

#include <chrono>
#include <cstdio>
#include <limits>

namespace ed {

/// The progress of a loop of `total` updates, as Edward prints during inference.run(): every
/// `every` updates and at the last, a Progress report goes to the installed progress sink
/// (ed::set_progress_sink; by default the bar on stderr), or, given `out`, Edward's line straight
/// into that file.
class ProgressBar {
 public:
  ProgressBar(long total, long every, std::FILE* out = nullptr);
  /// `loss_d`: an adversarial algorithm's discriminator loss (NaN: none).
  void update(long t, double loss, double loss_d = std::numeric_limits<double>::quiet_NaN());

 private:
  long total_, every_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ed
