// Specs of Pareto and Fréchet.
#include "edpp/distributions/power_law.hpp"

#include <cmath>
#include <limits>

#include "edpp/core/ops.hpp"
#include "edpp/distributions/domain.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// 1 where a > bound (a tensor of the parameters' shape), for moments that exist only there.
Tensor above(const Tensor& a, double bound) {
  return detail::between(a, std::nextafter(bound, kInf), kInf);
}

std::shared_ptr<const Family> pareto() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "Pareto";
    s->params = {{"y_min", Support::positive()}, {"alpha", Support::positive()}};
    s->support = Support::positive();
    // With a constant y_min the latent lives above it; a y_min of the model leaves the positive
    // reals, where log_prob is −inf below y_min.
    s->support_of = [](const Params& p) -> std::optional<Support> {
      if (!p[0].is_constant()) return std::nullopt;
      const Matrix& low = p[0].value();
      if (low.size() == 0 || !(low.array() == low(0, 0)).all()) return std::nullopt;
      return Support::greater_than(low(0, 0));
    };
    // log α + α log y_min − (α + 1) log x, for x ≥ y_min
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor lp = log(p[1]) + p[1] * log(p[0]) - (p[1] + 1.0) * log(x);
      return detail::restrict_to(lp, detail::between(x, p[0], kInf));
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] * exp(extend::draw(samplers::exponential, {}, extend::with_like(p, like)) / p[1]);
    };
    s->mean = [](const Params& p) {
      return where(above(p[1], 1.0), p[1] * p[0] / (p[1] - 1.0), kNan);
    };
    s->variance = [](const Params& p) {
      const Tensor finite = square(p[0]) * p[1] / (square(p[1] - 1.0) * (p[1] - 2.0));
      return where(above(p[1], 2.0), finite, kInf);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> frechet() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "Frechet";
    s->params = {{"alpha", Support::positive()}, {"sigma", Support::positive()}};
    s->support = Support::positive();
    // log α − log σ − (1 + α) log(x/σ) − (x/σ)^(−α)
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor log_ratio = log(x / p[1]);
      return log(p[0]) - log(p[1]) - (1.0 + p[0]) * log_ratio - exp(-p[0] * log_ratio);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      const Tensor e = extend::draw(samplers::exponential, {}, extend::with_like(p, like));
      return p[1] * exp(-log(e) / p[0]);
    };
    s->mean = [](const Params& p) {
      return where(above(p[0], 1.0), p[1] * exp(lgamma(1.0 - 1.0 / p[0])), kNan);
    };
    s->variance = [](const Params& p) {
      const Tensor finite =
          square(p[1]) * (exp(lgamma(1.0 - 2.0 / p[0])) - exp(2.0 * lgamma(1.0 - 1.0 / p[0])));
      return where(above(p[0], 2.0), finite, kInf);
    };
    return s;
  }();
  return spec;
}

}  // namespace

Pareto::Pareto(const Tensor& y_min, const Tensor& alpha, const Tensor& value)
    : RandomVariable(extend::make_distribution(pareto(), {y_min, alpha}), value) {}
Frechet::Frechet(const Tensor& alpha, const Tensor& sigma, const Tensor& value)
    : RandomVariable(extend::make_distribution(frechet(), {alpha, sigma}), value) {}

}  // namespace ed
