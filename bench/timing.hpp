// Timing helpers for the benchmark programs: run a callable repeatedly, report the median.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace ed::bench {

/// Milliseconds per call of `step`: `warmup` untimed calls, then the median of `repeats` timed
/// ones.
template <class F>
double median_ms(F&& step, int warmup, int repeats) {
  for (int i = 0; i < warmup; ++i) step();
  std::vector<double> times;
  times.reserve(repeats);
  for (int i = 0; i < repeats; ++i) {
    const auto start = std::chrono::steady_clock::now();
    step();
    const auto stop = std::chrono::steady_clock::now();
    times.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
  return times[times.size() / 2];
}

}  // namespace ed::bench
