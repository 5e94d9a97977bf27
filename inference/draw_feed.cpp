// DrawFeed: latents as placeholders fed with their stored draws.
#include "edpp/inference/draw_feed.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/inference/mcmc/monte_carlo.hpp"

namespace ed::detail {

std::vector<std::pair<RandomVariable, Matrix>> draws_of(const MonteCarlo& inference) {
  std::vector<std::pair<RandomVariable, Matrix>> draws;
  for (const LatentPair& pair : inference.latent()) {
    draws.push_back({pair.latent, inference.draws(pair.latent)});
  }
  return draws;
}

DrawFeed::DrawFeed(std::vector<std::pair<RandomVariable, Matrix>> draws, const Feed& feed)
    : draws_(std::move(draws)), feed_(feed) {
  values_.reserve(draws_.size());  // the feed references these: no reallocation after
  for (const auto& [latent, rows] : draws_) {
    const Shape shape = latent.value().shape();
    if (shape.rows == Dynamic || shape.cols == Dynamic || shape.rows * shape.cols != rows.cols()) {
      throw ed::invalid_argument("draws of " + latent.describe() + " have " +
                                 std::to_string(rows.cols()) + " columns, but it has shape " +
                                 to_string(shape));
    }
    if (!values_.empty() && rows.rows() != num_draws_) {
      throw ed::invalid_argument("draws of " + latent.describe() + " number " +
                                 std::to_string(rows.rows()) + ", those before it " +
                                 std::to_string(num_draws_));
    }
    num_draws_ = rows.rows();
    values_.emplace_back(shape.rows, shape.cols);
    swap_.push_back({latent.value(), placeholder(shape, "draw")});
    feed_.push_back({swap_.back().second, values_.back()});
  }
}

const Feed& DrawFeed::at(Index s) {
  for (std::size_t k = 0; k < draws_.size(); ++k) {
    const Matrix& rows = draws_[k].second;
    for (Index j = 0; j < rows.cols(); ++j) values_[k].data()[j] = rows(s, j);
  }
  return feed_;
}

}  // namespace ed::detail
