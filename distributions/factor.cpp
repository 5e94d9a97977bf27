// The registry of factor() terms.
#include "edpp/distributions/factor.hpp"

#include <mutex>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<Tensor> terms;
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void factor(const Tensor& log_weight) {
  if (!log_weight) throw ed::invalid_argument("factor: the log weight Tensor is empty");
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.terms.push_back(log_weight);
}

void clear_factors() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.terms.clear();
}

namespace detail {

std::vector<Tensor> factors() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.terms;
}

}  // namespace detail

}  // namespace ed
