// ShardedLoss: planning (row-locality analysis), splitting feeds, running blocks in parallel.
#include "edpp/parallel/sharded_loss.hpp"

#include <algorithm>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/ops.hpp"

namespace ed::detail {

namespace {
bool depends_on_any(const Tensor& t, const std::vector<Tensor>& placeholders,
                    const Substitutions& substitutions) {
  const Program p({t}, {}, substitutions);
  for (const Tensor& x : placeholders) {
    if (p.contains(x)) return true;
  }
  return false;
}

Tensor total(const std::vector<Tensor>& terms) {
  Tensor sum_of = terms.front();
  for (std::size_t i = 1; i < terms.size(); ++i) sum_of = sum_of + terms[i];
  return sum_of;
}
}  // namespace

std::unique_ptr<ShardedLoss> ShardedLoss::make(const std::vector<WeightedTerm>& data_terms,
                                               const std::vector<Tensor>& other_terms,
                                               const std::vector<Tensor>& shared_draws,
                                               const std::vector<Tensor>& trainable,
                                               const Substitutions& substitutions, int threads,
                                               std::string& why) {
  if (threads < 2 || data_terms.empty()) {
    why = "one thread";
    return nullptr;
  }
  std::vector<Tensor> densities;
  for (const auto& [term, weight] : data_terms) densities.push_back(term);
  // A draw elsewhere than in shared_draws stays on one thread: shards would each draw their own
  // value of what is one random quantity of the model (a latent sample shared by every row).
  // Draws in shared_draws are made first by every program, behind a zero-weighted guard.
  std::vector<Tensor> everything = densities;
  everything.insert(everything.end(), other_terms.begin(), other_terms.end());
  Tensor guard;
  const Program whole(everything, {}, substitutions);
  if (auto random = whole.first_random_node()) {
    Tensor anchor;
    for (const Tensor& d : shared_draws) anchor = anchor ? anchor + sum(d) : sum(d);
    if (anchor) guard = 0.0 * anchor;
    everything.push_back(guard);
    if (!guard || Program({guard}, {}, substitutions).random_node_count() !=
                      Program(everything, {}, substitutions).random_node_count()) {
      why = *random + " draws random numbers";
      return nullptr;
    }
  }
  const Program analysis(densities, {}, substitutions);
  std::vector<Tensor> split;
  for (const Tensor& p : analysis.placeholders()) {
    if (p.shape().rows == Dynamic) split.push_back(p);
  }
  if (split.empty()) {
    why = "no placeholder with a Dynamic number of rows to split";
    return nullptr;
  }
  if (auto obstacle = analysis.row_sharding_obstacle(split)) {
    why = *obstacle + " mixes rows or draws random numbers";
    return nullptr;
  }
  std::vector<Tensor> sharded_terms, rest_terms = other_terms;
  for (const auto& [term, weight] : data_terms) {
    const Tensor weighted = weight == 1.0 ? sum(term) : weight * sum(term);
    (depends_on_any(term, split, substitutions) ? sharded_terms : rest_terms).push_back(weighted);
  }
  for (const Tensor& t : other_terms) {
    if (depends_on_any(t, split, substitutions)) {
      why = "a prior term depends on the batch";
      return nullptr;
    }
  }
  std::unique_ptr<ShardedLoss> loss(new ShardedLoss());
  loss->split_placeholders_ = split;
  loss->draws_ = static_cast<bool>(guard);
  // The guard is the first input, so each program places the draws first, in one order.
  auto guarded = [&](const Tensor& t) { return guard ? guard + t : t; };
  const Tensor data_loss = guarded(-total(sharded_terms));
  for (int k = 0; k < threads; ++k) {
    loss->shards_.push_back(
        std::make_unique<Program>(std::vector<Tensor>{data_loss}, trainable, substitutions));
  }
  if (!rest_terms.empty()) {
    loss->rest_ = std::make_unique<Program>(std::vector<Tensor>{guarded(-total(rest_terms))},
                                            trainable, substitutions);
  }
  loss->blocks_.assign(threads, std::vector<Matrix>(split.size()));
  loss->feeds_.resize(threads);
  loss->rngs_.resize(threads);
  for (const Tensor& v : trainable)
    loss->gradients_.emplace_back(Matrix::Zero(v.shape().rows, v.shape().cols));
  ShardedLoss* self = loss.get();
  for (int k = 0; k < threads; ++k) {
    loss->tasks_.emplace_back([self, k] {
      self->shards_[k]->forward(self->feeds_[k], self->rngs_[k]);
      self->shards_[k]->backward();
    });
    if (k > 0) loss->workers_.push_back(std::make_unique<Worker>());
  }
  return loss;
}

ShardedLoss::~ShardedLoss() = default;

void ShardedLoss::split(const Feed& feed) {
  // The values of the split placeholders, which must share their row count.
  std::vector<const Matrix*>& values = values_;  // a member: no allocation per step
  values.assign(split_placeholders_.size(), nullptr);
  for (const FeedItem& item : feed) {
    for (std::size_t j = 0; j < split_placeholders_.size(); ++j) {
      if (item.key() == split_placeholders_[j]) values[j] = &item.value();
    }
  }
  Index rows = -1;
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (!values[j]) {
      throw ed::invalid_argument("feed: " + describe(*split_placeholders_[j].node()) +
                                 " is needed but was not fed");
    }
    if (rows >= 0 && values[j]->rows() != rows) {
      throw ed::invalid_argument(
          "feed: " + describe(*split_placeholders_[0].node()) + " and " +
          describe(*split_placeholders_[j].node()) + " are fed " + std::to_string(rows) + " and " +
          std::to_string(values[j]->rows()) + " rows; rows are data points and must agree");
    }
    rows = values[j]->rows();
  }
  // Fewer rows than threads: the first shard takes them all.
  active_ = rows >= static_cast<Index>(shards_.size()) ? shards_.size() : 1;
  for (std::size_t k = 0; k < active_; ++k) {
    const Index begin = rows * static_cast<Index>(k) / static_cast<Index>(active_);
    const Index end = rows * static_cast<Index>(k + 1) / static_cast<Index>(active_);
    Feed& f = feeds_[k];
    f.clear();  // keeps its capacity: no allocation once the sizes are known
    for (std::size_t j = 0; j < values.size(); ++j) {
      blocks_[k][j] = values[j]->middleRows(begin, end - begin);
      f.emplace_back(split_placeholders_[j], blocks_[k][j]);
    }
    for (const FeedItem& item : feed) {
      bool is_split = false;
      for (const Tensor& p : split_placeholders_) is_split = is_split || item.key() == p;
      if (!is_split) f.emplace_back(item.key(), item.value());
    }
  }
}

double ShardedLoss::evaluate(const Feed& feed, Rng& rng) {
  split(feed);
  if (draws_) {  // Note [Shared draws]: every shard from the step's engine; rest_ advances it
    for (std::size_t k = 0; k < active_; ++k) rngs_[k] = rng;
  }
  for (std::size_t k = 1; k < active_; ++k) workers_[k - 1]->start(&tasks_[k]);
  std::exception_ptr error;
  try {
    tasks_[0]();
    if (rest_) {
      rest_->forward(feed, rng);
      rest_->backward();
    }
  } catch (...) {
    error = std::current_exception();
  }
  for (std::size_t k = 1; k < active_; ++k) {
    try {
      workers_[k - 1]->wait();
    } catch (...) {
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  if (draws_ && !rest_) rng = rngs_[0];  // the next step draws afresh
  double loss = rest_ ? rest_->output(0)(0, 0) : 0.0;
  for (std::size_t i = 0; i < gradients_.size(); ++i) {
    if (rest_) {
      gradients_[i] = rest_->gradient(i);
    } else {
      gradients_[i].setZero();
    }
  }
  for (std::size_t k = 0; k < active_; ++k) {
    loss += shards_[k]->output(0)(0, 0);
    for (std::size_t i = 0; i < gradients_.size(); ++i) gradients_[i] += shards_[k]->gradient(i);
  }
  return loss;
}

std::optional<std::string> ShardedLoss::first_nonfinite_value() const {
  for (std::size_t k = 0; k < active_; ++k) {
    if (auto bad = shards_[k]->first_nonfinite_value()) return bad;
  }
  return rest_ ? rest_->first_nonfinite_value() : std::nullopt;
}

}  // namespace ed::detail
