// numpy's legacy RandomState generator (MT19937 + its double, Gaussian and interval rules),
// so data sets seeded as in Python tutorials come out with the same numbers.
#pragma once

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <vector>

namespace ed::detail {

class NumpyRandomState {
 public:
  /// np.random.seed(seed): MT19937 initialised by init_genrand.
  explicit NumpyRandomState(std::uint32_t seed) : mt_(seed) {}
  /// random_sample(): 53 random bits from two 32-bit draws.
  double random_sample();
  /// uniform(low, high): low + (high − low) · random_sample().
  double uniform(double low, double high) { return low + (high - low) * random_sample(); }
  /// The legacy polar (Marsaglia) method, which caches its second value.
  double standard_normal();
  /// A uniform integer in [0, max] by masked rejection (numpy's random_interval).
  std::uint32_t interval(std::uint32_t max);
  /// permutation(n): a Fisher–Yates shuffle of 0..n−1 from the top down.
  std::vector<std::size_t> permutation(std::size_t n);

 private:
  boost::random::mt19937 mt_;
  bool has_gauss_ = false;
  double gauss_ = 0.0;
};

}  // namespace ed::detail
