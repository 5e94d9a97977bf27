// Minibatches.
#include "edpp/core/minibatches.hpp"

#include <boost/random/uniform_int_distribution.hpp>

#include <numeric>

#include "edpp/core/errors.hpp"

namespace ed {

Minibatches::Minibatches(std::vector<Matrix> data, Index batch_size, std::uint64_t seed)
    : data_(std::move(data)), batch_size_(batch_size), rng_(seed) {
  if (data_.empty()) throw ed::invalid_argument("Minibatches: no data");
  for (const Matrix& m : data_) {
    if (m.rows() != data_.front().rows()) {
      throw ed::invalid_argument("Minibatches: the matrices have " +
                                 std::to_string(data_.front().rows()) + " and " +
                                 std::to_string(m.rows()) + " rows");
    }
  }
  if (batch_size < 1) throw ed::invalid_argument("Minibatches: batch size must be positive");
  if (data_.front().rows() == 0) throw ed::invalid_argument("Minibatches: the data has no rows");
  order_.resize(data_.front().rows());
  std::iota(order_.begin(), order_.end(), Index{0});
  batch_.resize(data_.size());
  shuffle();
}

void Minibatches::shuffle() {
  // Fisher–Yates with Boost's portable integer distribution.
  for (Index i = static_cast<Index>(order_.size()) - 1; i > 0; --i) {
    boost::random::uniform_int_distribution<Index> pick(0, i);
    std::swap(order_[i], order_[pick(rng_.engine())]);
  }
}

const std::vector<Matrix>& Minibatches::next() {
  if (position_ >= size()) {
    position_ = 0;
    ++epoch_;
    shuffle();
  }
  const Index n = std::min(batch_size_, size() - position_);
  for (std::size_t m = 0; m < data_.size(); ++m) {
    batch_[m].resize(n, data_[m].cols());
    for (Index i = 0; i < n; ++i) batch_[m].row(i) = data_[m].row(order_[position_ + i]);
  }
  position_ += n;
  return batch_;
}

}  // namespace ed
