// The one seed policy: ed::set_seed (Edward's ed.set_seed) and the sequence of seeds it starts.
#pragma once

#include <cstdint>
#include <optional>

namespace ed {

/// Seeds everything that draws or initialises and was not given a seed of its own: each layer
/// initialiser (dense), each Session made without a seed, each eval() and grad() call, and each
/// inference whose options leave `seed` unset takes the next seed of one sequence, in the order
/// they are made or called. The same set_seed and the same program give the same numbers. An
/// explicit seed (Session(s), `.seed = s` in options) overrides the sequence and does not
/// advance it. Before any call the sequence starts from seed 0. Safe to call from any thread;
/// no random engine is shared between threads: each consumer owns one seeded from the sequence.
void set_seed(std::uint64_t seed);

namespace detail {
/// The next seed of the sequence set_seed starts: SplitMix64 over (seed, position), so nearby
/// seeds give unrelated streams. Thread-safe.
std::uint64_t next_seed();
/// The policy every consumer with an optional seed follows: the seed when given (the sequence
/// does not advance), else the next seed of the sequence.
inline std::uint64_t seed_or_next(const std::optional<std::uint64_t>& seed) {
  return seed ? *seed : next_seed();
}
}  // namespace detail

}  // namespace ed
