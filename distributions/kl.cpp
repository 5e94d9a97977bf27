// The KL registry and its built-in rules.
#include "edpp/distributions/kl.hpp"

#include <map>
#include <mutex>
#include <utility>

#include "edpp/core/ops.hpp"

namespace ed {

namespace {

// KL(N(μq, σq²) ‖ N(μp, σp²)) = log(σp/σq) + (σq² + (μq − μp)²) / (2σp²) − ½.
Tensor normal_normal(const std::vector<Tensor>& q, const std::vector<Tensor>& p) {
  const Tensor ratio = q[1] / p[1];
  return -log(ratio) + 0.5 * (square(ratio) + square((q[0] - p[0]) / p[1])) - 0.5;
}

// KL(Gamma(αq, βq) ‖ Gamma(αp, βp)) with rates β:
//   (αq − αp) ψ(αq) − log Γ(αq) + log Γ(αp) + αp (log βq − log βp) + αq (βp − βq) / βq.
Tensor gamma_gamma(const std::vector<Tensor>& q, const std::vector<Tensor>& p) {
  const Tensor &aq = q[0], &bq = q[1], &ap = p[0], &bp = p[1];
  return (aq - ap) * digamma(aq) - lgamma(aq) + lgamma(ap) + ap * (log(bq) - log(bp)) +
         aq * (bp / bq - 1.0);
}

struct Registry {
  std::mutex mutex;
  std::map<std::pair<std::string, std::string>, extend::KlRule> rules{
      {{"Normal", "Normal"}, normal_normal},
      {{"Gamma", "Gamma"}, gamma_gamma},
  };
};

Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

std::optional<Tensor> kl_divergence(const RandomVariable& q, const RandomVariable& p) {
  extend::KlRule rule;
  {
    Registry& r = registry();
    const std::lock_guard lock(r.mutex);
    const auto it =
        r.rules.find({std::string(q.distribution().name()), std::string(p.distribution().name())});
    if (it == r.rules.end()) return std::nullopt;
    rule = it->second;
  }
  return rule(q.params(), p.params());
}

namespace extend {

void register_kl(const std::string& q_family, const std::string& p_family, KlRule rule) {
  Registry& r = registry();
  const std::lock_guard lock(r.mutex);
  r.rules[{q_family, p_family}] = std::move(rule);
}

}  // namespace extend

}  // namespace ed
