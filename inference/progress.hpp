// Edward's progress bar: "1000/1000 [100%] ██████████████████████████████ Elapsed: 2s | Loss:
// 3426.041".
#pragma once

#include <chrono>
#include <cstdio>

namespace ed {

/// A progress bar on stderr, as Edward prints during inference.run(): redrawn in place on a
/// terminal, one line every `every` updates otherwise.
class ProgressBar {
 public:
  /// @param every  the cadence of lines when `out` is not a terminal
  ProgressBar(long total, long every, std::FILE* out = stderr);
  void update(long t, double loss);

 private:
  long total_, every_;
  std::FILE* out_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace ed
