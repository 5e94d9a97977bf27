// The MDN builder.
#include "edpp/models/mdn.hpp"

#include "edpp/core/errors.hpp"
#include "edpp/core/layers.hpp"
#include "edpp/core/ops/unary.hpp"
#include "edpp/distributions/normal.hpp"

namespace ed::models {

Mdn mdn(const Tensor& X, Index components, const std::vector<Index>& hidden) {
  if (components < 1) throw ed::invalid_argument("mdn: needs at least one component");
  Tensor h = X;
  for (Index units : hidden) h = dense(h, units, relu);
  const Tensor locs = dense(h, components);
  const Tensor scales = dense(h, components, exp);
  const Tensor logits = dense(h, components);
  Categorical cat(logits);
  Mixture y(cat, Normal(locs, scales));
  return {locs, scales, logits, cat, y};
}

}  // namespace ed::models
