// Feeding stored posterior draws into a graph: each latent becomes a placeholder whose value is
// one row of its draws.
#pragma once

#include <utility>
#include <vector>

#include "edpp/core/copy.hpp"
#include "edpp/core/feed.hpp"
#include "edpp/distributions/random_variable.hpp"

namespace ed {
class MonteCarlo;
}  // namespace ed

namespace ed::detail {

/// Every latent of a Monte Carlo fit with its kept draws (MonteCarlo::draws), in the latents'
/// order: what DrawFeed takes.
std::vector<std::pair<RandomVariable, Matrix>> draws_of(const MonteCarlo& inference);

/// Latents and their draws (rows: draws, each flattened column-major as MonteCarlo::draws), as a
/// swap of each latent for a placeholder and a feed that holds one draw at a time. The feed
/// references matrices owned here: keep the DrawFeed alive while it is used.
class DrawFeed {
 public:
  /// @throws ed::invalid_argument when the draws' counts differ or a row does not fit its
  /// latent's shape, naming the latent.
  DrawFeed(std::vector<std::pair<RandomVariable, Matrix>> draws, const Feed& feed = {});
  DrawFeed(const DrawFeed&) = delete;
  DrawFeed& operator=(const DrawFeed&) = delete;

  /// Latent value → its placeholder, for ed::copy.
  const Swap& swap() const { return swap_; }
  Index num_draws() const { return num_draws_; }
  /// Puts draw s into the placeholders and returns the feed (the user's entries and them).
  const Feed& at(Index s);

 private:
  std::vector<std::pair<RandomVariable, Matrix>> draws_;
  std::vector<Matrix> values_;
  Swap swap_;
  Feed feed_;
  Index num_draws_ = 0;
};

}  // namespace ed::detail
