// NumpyRandomState: numpy's legacy rules, step for step.
#include "edpp/models/numpy_random.hpp"

#include <cmath>
#include <numeric>
#include <utility>

namespace ed::detail {

double NumpyRandomState::random_sample() {
  const std::uint32_t a = mt_() >> 5, b = mt_() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandomState::standard_normal() {
  if (has_gauss_) {
    has_gauss_ = false;
    return gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  gauss_ = f * x1;
  has_gauss_ = true;
  return f * x2;
}

std::uint32_t NumpyRandomState::interval(std::uint32_t max) {
  if (max == 0) return 0;
  std::uint32_t mask = max;
  for (int shift : {1, 2, 4, 8, 16}) mask |= mask >> shift;
  std::uint32_t value;
  while ((value = (mt_() & mask)) > max) {
  }
  return value;
}

std::vector<std::size_t> NumpyRandomState::permutation(std::size_t n) {
  std::vector<std::size_t> p(n);
  std::iota(p.begin(), p.end(), std::size_t{0});
  for (std::size_t i = n; i-- > 1;) std::swap(p[i], p[interval(static_cast<std::uint32_t>(i))]);
  return p;
}

}  // namespace ed::detail
