// The spec of VonMises.
#include "edpp/distributions/circular.hpp"

#include <cmath>
#include <numbers>

#include "edpp/core/ops.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

using extend::Family;
using Params = Family::Params;

constexpr double kPi = std::numbers::pi;

std::shared_ptr<const Family> von_mises() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "VonMises";
    s->params = {{"loc", Support::finite()}, {"concentration", Support::nonnegative()}};
    s->support = Support::interval(-kPi, kPi);
    s->domain = Support::real();  // periodic: any real angle is a value
    s->reparameterized = false;
    // κ cos(x − μ) − log 2π − log I₀(κ)
    s->log_prob = [](const Params& p, const Tensor& x) {
      return p[1] * cos(x - p[0]) - std::log(2.0 * kPi) - log_bessel_i0(p[1]);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(extend::samplers::von_mises, {p[0], p[1]}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    // The circular variance 1 − I₁(κ)/I₀(κ).
    s->variance = [](const Params& p) {
      return broadcast_like(1.0 - bessel_i1_over_i0(p[1]), p[0]);
    };
    return s;
  }();
  return spec;
}

}  // namespace

VonMises::VonMises(const Tensor& loc, const Tensor& concentration, const Tensor& value)
    : RandomVariable(extend::make_distribution(von_mises(), {loc, concentration}), value) {}

}  // namespace ed
