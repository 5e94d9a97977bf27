// Specs of Uniform and Beta.
#include "edpp/distributions/bounded.hpp"

#include <cmath>
#include <optional>

#include "edpp/core/ops.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

std::shared_ptr<const Family> uniform() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "Uniform";
    s->params = {{"low", Support::finite()}, {"high", Support::finite()}};
    // With constant bounds, one for every element, a Uniform latent lives on [low, high] and
    // inference moves it through that interval's bijector (as Stan's real<lower, upper>):
    // without it NUTS and HMC meet a wall of −inf at the bounds (divergences, and HMC's long
    // trajectories almost never come back from near a wall). Bounds that are tensors, or
    // differ by element, leave the support the real line.
    s->support = Support::real();
    s->support_of = [](const Params& p) -> std::optional<Support> {
      if (!p[0].is_constant() || !p[1].is_constant()) return std::nullopt;
      const Matrix &low = p[0].value(), &high = p[1].value();
      if (low.size() == 0 || high.size() == 0) return std::nullopt;
      const double a = low(0, 0), b = high(0, 0);
      if (!(low.array() == a).all() || !(high.array() == b).all()) return std::nullopt;
      if (!(std::isfinite(a) && std::isfinite(b) && a < b)) return std::nullopt;
      return Support::interval(a, b);
    };
    // −log(high − low) on [low, high]; the width is checked positive here, where it is formed.
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor width = detail::check_positive(p[1] - p[0], "Uniform", "high - low");
      return detail::restrict_to(broadcast_like(-log(width), x), detail::between(x, p[0], p[1]));
    };
    s->sample = [](const Params& p, const Tensor& like) {
      const Tensor width = detail::check_positive(p[1] - p[0], "Uniform", "high - low");
      return p[0] + width * extend::draw(samplers::uniform, {}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return 0.5 * (p[0] + p[1]); };
    s->variance = [](const Params& p) { return square(p[1] - p[0]) / 12.0; };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> beta() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "Beta";
    s->params = {{"alpha", Support::positive()}, {"beta", Support::positive()}};
    s->support = Support::unit_interval();
    // (α − 1) log x + (β − 1) log1p(−x) − [lgamma(α) + lgamma(β) − lgamma(α + β)]
    s->log_prob = [](const Params& p, const Tensor& x) {
      return xmul(p[0] - 1.0, log(x)) + xmul(p[1] - 1.0, log1p(-x)) - lgamma(p[0]) - lgamma(p[1]) +
             lgamma(p[0] + p[1]);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      // X / (X + Y) with X ~ Gamma(α, 1), Y ~ Gamma(β, 1), as σ(log X − log Y).
      const std::vector<Tensor> shape = extend::with_like(p, like);
      return sigmoid(extend::draw(samplers::log_gamma, {p[0]}, shape) -
                     extend::draw(samplers::log_gamma, {p[1]}, shape));
    };
    s->mean = [](const Params& p) { return p[0] / (p[0] + p[1]); };
    s->variance = [](const Params& p) {
      const Tensor total = p[0] + p[1];
      return p[0] * p[1] / (square(total) * (total + 1.0));
    };
    return s;
  }();
  return spec;
}

}  // namespace

Uniform::Uniform(const Tensor& low, const Tensor& high, const Tensor& value)
    : RandomVariable(extend::make_distribution(uniform(), {low, high}), value) {}
Beta::Beta(const Tensor& alpha, const Tensor& beta_, const Tensor& value)
    : RandomVariable(extend::make_distribution(beta(), {alpha, beta_}), value) {}

}  // namespace ed
