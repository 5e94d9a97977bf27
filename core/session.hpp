// Session: a seeded random engine and a cache of compiled programs; eval and grad for one-offs.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "core/feed.hpp"
#include "core/program.hpp"
#include "core/rng.hpp"

namespace ed {

/// Runs graphs, like tf.Session: `run(fetches, feed)` compiles a Program for that set of fetches
/// once (cached) and evaluates it. Random ops draw from the session's engine, so two sessions
/// with the same seed produce the same numbers.
class Session {
 public:
  explicit Session(std::uint64_t seed = 0);
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();

  /// The values of `fetches` for this feed. @throws ed::invalid_argument as Program::forward.
  std::vector<Matrix> run(const std::vector<Tensor>& fetches, const Feed& feed = {});
  /// The compiled (cached) program for these fetches, to run without copying results out.
  Program& program(const std::vector<Tensor>& fetches);
  Rng& rng() { return rng_; }
  /// Substitutions every program of this session is compiled with (inference sets its latent
  /// variables' point estimates here, so fetched tensors see the fitted values). Clears the cache.
  void set_substitutions(Substitutions substitutions);

 private:
  Rng rng_;
  Substitutions substitutions_;
  std::map<std::vector<const void*>, std::unique_ptr<Program>> cache_;
};

/// The value of `t` for `feed`, in a fresh Session with seed 0.
Matrix eval(const Tensor& t, const Feed& feed = {});

/// d(loss)/d(w) for each w in `wrt` (variables, placeholders or any node); `loss` must be 1×1.
/// A `w` the loss does not depend on gets a zero gradient.
std::vector<Matrix> grad(const Tensor& loss, const std::vector<Tensor>& wrt, const Feed& feed = {});

}  // namespace ed
