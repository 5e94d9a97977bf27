// The process-wide seed sequence.
#include "edpp/core/seed.hpp"

#include <mutex>

namespace ed {

namespace {
struct Sequence {
  std::mutex mutex;
  std::uint64_t seed = 0;
  std::uint64_t position = 0;
};
Sequence& sequence() {
  static Sequence s;
  return s;
}

// SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijection that scatters nearby inputs.
std::uint64_t mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
}  // namespace

void set_seed(std::uint64_t seed) {
  Sequence& s = sequence();
  const std::lock_guard<std::mutex> lock(s.mutex);
  s.seed = seed;
  s.position = 0;
}

namespace detail {
std::uint64_t next_seed() {
  Sequence& s = sequence();
  const std::lock_guard<std::mutex> lock(s.mutex);
  const std::uint64_t position = s.position++;
  return mix(mix(s.seed) + 0x9e3779b97f4a7c15ULL * (position + 1));
}
}  // namespace detail

}  // namespace ed
