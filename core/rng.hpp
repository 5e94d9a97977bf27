// The random engine a Session owns: Boost.Random's Mersenne Twister, identical on every platform.
#pragma once

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>

namespace ed {

/// A seeded engine. Samplers use Boost.Random distributions on it (not <random>'s, whose output
/// differs between standard libraries), so a seed reproduces a run bit for bit.
class Rng {
 public:
  using Engine = boost::random::mt19937_64;
  explicit Rng(std::uint64_t seed = 0) : engine_(seed) {}
  void seed(std::uint64_t seed) { engine_.seed(seed); }
  Engine& engine() { return engine_; }

 private:
  Engine engine_;
};

}  // namespace ed
