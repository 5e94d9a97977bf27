// A distribution seen through a swap: every graph it builds is copied with the swap applied.
#include "edpp/distributions/copy.hpp"

namespace ed {

namespace {

class CopiedDistribution final : public Distribution {
 public:
  CopiedDistribution(std::shared_ptr<const Distribution> original, Swap swap)
      : original_(std::move(original)), swap_(std::move(swap)) {}
  std::string_view name() const override { return original_->name(); }
  Tensor log_prob(const Tensor& x) const override {
    return detail::copy_graph(original_->log_prob(x), swap_);
  }
  Tensor sample(const Tensor& like = Tensor()) const override {
    return detail::copy_graph(original_->sample(like), swap_);
  }
  Tensor mean() const override { return detail::copy_graph(original_->mean(), swap_); }
  Tensor variance() const override { return detail::copy_graph(original_->variance(), swap_); }
  Tensor stddev() const override { return detail::copy_graph(original_->stddev(), swap_); }
  Support support() const override { return original_->support(); }
  bool is_reparameterized() const override { return original_->is_reparameterized(); }
  bool is_deterministic() const override { return original_->is_deterministic(); }
  std::vector<Tensor> params() const override {
    std::vector<Tensor> copied;
    for (const Tensor& p : original_->params()) copied.push_back(detail::copy_graph(p, swap_));
    return copied;
  }

 private:
  std::shared_ptr<const Distribution> original_;
  Swap swap_;
};

}  // namespace

RandomVariable copy(const RandomVariable& x, const Swap& swap) {
  // What x depends on: its value (a given one, or its own draw, whose inputs are the
  // parameters) and its parameters.
  std::vector<Tensor> roots = x.params();
  roots.push_back(x.value());
  detail::warn_unreached_swaps(roots, swap);
  return detail::copy_quietly(x, swap);
}

namespace detail {

RandomVariable copy_quietly(const RandomVariable& x, const Swap& swap) {
  auto copied = std::make_shared<CopiedDistribution>(x.distribution_ptr(), swap);
  for (const auto& [from, to] : swap) {
    if (from == x.value()) return RandomVariable(copied, to);
  }
  if (x.value_is_sample()) return RandomVariable(copied);
  return RandomVariable(copied, copy_graph(x.value(), swap));
}

}  // namespace detail

}  // namespace ed
