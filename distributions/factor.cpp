// The registry of factor() terms.
#include "edpp/distributions/factor.hpp"

#include <mutex>

#include "edpp/core/errors.hpp"

namespace ed {

namespace {

struct Registry {
  std::mutex mutex;
  std::vector<Tensor> terms;
  std::vector<std::pair<std::string, Tensor>> quantities;
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
  r.quantities.clear();
}

Tensor deterministic(std::string name, Tensor value) {
  if (name.empty()) throw ed::invalid_argument("deterministic: the name is empty");
  if (!value) throw ed::invalid_argument("deterministic '" + name + "': the Tensor is empty");
  if (!value.shape().is_known()) {
    throw ed::invalid_argument("deterministic '" + name + "': its shape " +
                               to_string(value.shape()) + " must be known");
  }
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  for (const auto& [existing, v] : r.quantities) {
    if (existing == name) {
      throw ed::invalid_argument("deterministic: the name '" + name +
                                 "' is already used (ed::clear_factors() forgets them)");
    }
  }
  r.quantities.emplace_back(std::move(name), value);
  return value;
}

namespace detail {

std::vector<Tensor> factors() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.terms;
}

std::vector<std::pair<std::string, Tensor>> deterministics() {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  return r.quantities;
}

}  // namespace detail

}  // namespace ed
