// Session: a seeded random engine and a bounded cache of compiled programs; eval and grad.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/core/program.hpp"
#include "edpp/core/rng.hpp"
#include "edpp/core/seed.hpp"

namespace ed {

/// Runs graphs, like tf.Session: `run(fetches, feed)` compiles a Program for that set of fetches
/// and evaluates it. Random ops draw from the session's engine, so two sessions with the same
/// seed produce the same numbers.
///
/// Note [Program cache]: compiled programs are kept for the most recently run sets of fetches,
/// at most `cache_capacity()` of them, least recently used first out. A loop that builds new
/// fetch nodes on every call (`sess.run({y.sample()})`) therefore holds at most that many
/// programs and their graphs, and memory stays flat. A hot loop that should never recompile
/// holds its own handle from `compile()`, which outlives eviction.
class Session {
 public:
  /// A session whose engine takes the next seed of set_seed's sequence.
  Session();
  /// A session with its own seed (which does not advance set_seed's sequence).
  explicit Session(std::uint64_t seed);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  /// The values of `fetches` for this feed. @throws ed::invalid_argument as Program::forward.
  std::vector<Matrix> run(const std::vector<Tensor>& fetches, const Feed& feed = {});
  /// The values of a compiled program's outputs for this feed, drawing from this session.
  std::vector<Matrix> run(Program& program, const Feed& feed = {});
  /// A compiled program for these fetches (with this session's substitutions), shared with the
  /// cache: the handle stays valid however many other programs are compiled after it.
  std::shared_ptr<Program> compile(const std::vector<Tensor>& fetches);
  /// The cached program for these fetches. The reference is valid until the program is evicted
  /// (Note [Program cache]); hold compile()'s handle instead across other runs.
  Program& program(const std::vector<Tensor>& fetches) { return *compile(fetches); }
  Rng& rng() { return rng_; }
  /// Substitutions every program of this session is compiled with (inference sets its latent
  /// variables' point estimates here, so fetched tensors see the fitted values). Clears the cache.
  void set_substitutions(Substitutions substitutions);

  /// How many compiled programs the cache keeps (default 64); 0 keeps none.
  std::size_t cache_capacity() const { return capacity_; }
  void set_cache_capacity(std::size_t capacity);
  /// How many compiled programs the cache holds now.
  std::size_t num_cached_programs() const { return cache_.size(); }

 private:
  using Key = std::vector<const void*>;
  struct Entry {
    Key key;
    std::shared_ptr<Program> program;
  };
  void evict_to(std::size_t size);

  Rng rng_;
  Substitutions substitutions_;
  std::size_t capacity_ = 64;
  std::list<Entry> cache_;  // most recently used first
  std::map<Key, std::list<Entry>::iterator> index_;
};

/// The value of `t` for `feed`, in a fresh Session seeded by the next seed of set_seed's
/// sequence: random nodes draw anew on every call, reproducibly after ed::set_seed.
Matrix eval(const Tensor& t, const Feed& feed = {});

/// d(loss)/d(w) for each w in `wrt` (variables, placeholders or any node); `loss` must be 1×1.
/// A `w` the loss does not depend on gets a zero gradient. Random nodes draw as in eval().
std::vector<Matrix> grad(const Tensor& loss, const std::vector<Tensor>& wrt, const Feed& feed = {});

}  // namespace ed
