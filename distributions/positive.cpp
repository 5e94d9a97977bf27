// Specs of HalfNormal, HalfCauchy, HalfStudentT, Exponential, Gamma, InverseGamma, Weibull,
// Rayleigh and Chi2.
#include "edpp/distributions/positive.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "edpp/core/ops.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

constexpr double kPi = std::numbers::pi;

std::shared_ptr<Family> positive_spec(std::string name, std::vector<std::string> params) {
  auto s = std::make_shared<Family>();
  s->name = std::move(name);
  for (auto& p : params) s->params.push_back({std::move(p), Support::positive()});
  s->support = Support::positive();
  s->domain = Support::nonnegative();
  return s;
}

// log of the Gamma(α, rate β) density: α log β − lgamma(α) + (α − 1) log x − βx, with
// 0 · log 0 = 0 so that α = 1 is finite at x = 0.
Tensor gamma_log_prob(const Tensor& alpha, const Tensor& rate, const Tensor& x) {
  return alpha * log(rate) - lgamma(alpha) + xmul(alpha - 1.0, log(x)) - rate * x;
}

// Note [Pointwise densities]: the scalar priors' formulas, element by element.

// ½ log(2/π) − log σ − z²/2 with z = x/σ; ∂x = −z/σ, ∂σ = (z² − 1)/σ.
const extend::PointwiseDensity kHalfNormalDensity = {[](double x, const double* p) {
                                                       const double z = x / p[0];
                                                       return 0.5 * std::log(2.0 / kPi) -
                                                              std::log(p[0]) - 0.5 * z * z;
                                                     },
                                                     [](double x, const double* p, double* d) {
                                                       const double z = x / p[0];
                                                       d[0] = -z / p[0];
                                                       d[1] = (z * z - 1.0) / p[0];
                                                     }};

// log(2/π) − log σ − log1p(z²) with z = x/σ; ∂x = −2z / σ(1 + z²), ∂σ = (z² − 1) / σ(1 + z²).
const extend::PointwiseDensity kHalfCauchyDensity = {
    [](double x, const double* p) {
      const double z = x / p[0];
      return std::log(2.0 / kPi) - std::log(p[0]) - std::log1p(z * z);
    },
    [](double x, const double* p, double* d) {
      const double z = x / p[0], w = p[0] * (1.0 + z * z);
      d[0] = -2.0 * z / w;
      d[1] = (z * z - 1.0) / w;
    }};

// Gamma(α, rate β): α log β − c + (α − 1) log x − βx with c = lgamma(α) precomputed (a
// prior's α is a constant), and 0 · log 0 = 0 so that α = 1 is finite at x = 0.
// ∂x = (α − 1)/x − β, ∂α = log β + log x (c's ψ(α) reaches α through its node), ∂β = α/β − x,
// ∂c = −1.
const extend::PointwiseDensity kGammaDensity = {
    [](double x, const double* p) {
      const double alpha = p[0], rate = p[1];
      const double power = alpha == 1.0 ? 0.0 : (alpha - 1.0) * std::log(x);
      return alpha * std::log(rate) - p[2] + power - rate * x;
    },
    [](double x, const double* p, double* d) {
      const double alpha = p[0], rate = p[1];
      d[0] = (alpha == 1.0 ? 0.0 : (alpha - 1.0) / x) - rate;
      d[1] = std::log(rate) + std::log(x);
      d[2] = alpha / rate - x;
      d[3] = -1.0;
    },
    [](const Tensor&, const std::vector<Tensor>& p) { return std::vector<Tensor>{lgamma(p[0])}; }};

std::shared_ptr<const Family> half_normal() {
  static const auto spec = [] {
    auto s = positive_spec("HalfNormal", {"scale"});
    s->pointwise = &kHalfNormalDensity;
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] * abs(extend::draw(samplers::normal, {}, extend::with_like(p, like)));
    };
    s->mean = [](const Params& p) { return std::sqrt(2.0 / kPi) * p[0]; };
    s->variance = [](const Params& p) { return (1.0 - 2.0 / kPi) * square(p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> half_cauchy() {
  static const auto spec = [] {
    auto s = positive_spec("HalfCauchy", {"scale"});
    s->pointwise = &kHalfCauchyDensity;
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] * abs(extend::draw(samplers::cauchy, {}, extend::with_like(p, like)));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> half_student_t() {
  static const auto spec = [] {
    auto s = positive_spec("HalfStudentT", {"df", "scale"});
    // log 2 + lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log1p((x/σ)²/ν)
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor& nu = p[0];
      return std::log(2.0) + lgamma(0.5 * (nu + 1.0)) - lgamma(0.5 * nu) - 0.5 * log(nu * kPi) -
             log(p[1]) - 0.5 * (nu + 1.0) * log1p(square(x / p[1]) / nu);
    };
    // σ |Z| / √(V/ν) with Z ~ N(0, 1), V ~ χ²(ν) = 2 Gamma(ν/2, 1): differentiable in ν and σ.
    s->sample = [](const Params& p, const Tensor& like) {
      const std::vector<Tensor> shape = extend::with_like(p, like);
      const Tensor log_v = std::log(2.0) + extend::draw(samplers::log_gamma, {0.5 * p[0]}, shape);
      return p[1] * abs(extend::draw(samplers::normal, {}, shape)) * exp(0.5 * (log(p[0]) - log_v));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    // 2σ √(ν/π) Γ((ν+1)/2) / (Γ(ν/2)(ν − 1)) for ν > 1.
    auto mean = [](const Params& p) {
      return 2.0 * p[1] * sqrt(p[0] / kPi) * exp(lgamma(0.5 * (p[0] + 1.0)) - lgamma(0.5 * p[0])) /
             (p[0] - 1.0);
    };
    s->mean = [=](const Params& p) {
      return where(detail::between(p[0], std::nextafter(1.0, 2.0), inf), mean(p), nan);
    };
    // σ² ν/(ν − 2) − mean² for ν > 2.
    s->variance = [=](const Params& p) {
      const Tensor v = square(p[1]) * p[0] / (p[0] - 2.0) - square(mean(p));
      return where(detail::between(p[0], std::nextafter(2.0, 3.0), inf), v, nan);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> exponential() {
  static const auto spec = [] {
    auto s = positive_spec("Exponential", {"rate"});
    s->log_prob = [](const Params& p, const Tensor& x) { return log(p[0]) - p[0] * x; };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::exponential, {}, extend::with_like(p, like)) / p[0];
    };
    s->mean = [](const Params& p) { return 1.0 / p[0]; };
    s->variance = [](const Params& p) { return 1.0 / square(p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> gamma() {
  static const auto spec = [] {
    auto s = positive_spec("Gamma", {"concentration", "rate"});
    s->pointwise = &kGammaDensity;
    s->sample = [](const Params& p, const Tensor& like) {
      return exp(extend::draw(samplers::log_gamma, {p[0]}, extend::with_like(p, like))) / p[1];
    };
    s->mean = [](const Params& p) { return p[0] / p[1]; };
    s->variance = [](const Params& p) { return p[0] / square(p[1]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> inverse_gamma() {
  static const auto spec = [] {
    auto s = positive_spec("InverseGamma", {"concentration", "scale"});
    s->domain = Support::positive();
    // α log β − lgamma(α) − (α + 1) log x − β/x
    s->log_prob = [](const Params& p, const Tensor& x) {
      return p[0] * log(p[1]) - lgamma(p[0]) - (p[0] + 1.0) * log(x) - p[1] / x;
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return p[1] * exp(-extend::draw(samplers::log_gamma, {p[0]}, extend::with_like(p, like)));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    s->mean = [=](const Params& p) {
      return where(detail::between(p[0], std::nextafter(1.0, 2.0), inf), p[1] / (p[0] - 1.0), nan);
    };
    s->variance = [=](const Params& p) {
      const Tensor v = square(p[1]) / (square(p[0] - 1.0) * (p[0] - 2.0));
      return where(detail::between(p[0], std::nextafter(2.0, 3.0), inf), v, nan);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> weibull() {
  static const auto spec = [] {
    auto s = positive_spec("Weibull", {"concentration", "scale"});
    // log k − log λ + (k − 1) log(x/λ) − (x/λ)^k
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor log_ratio = log(x / p[1]);
      return log(p[0]) - log(p[1]) + xmul(p[0] - 1.0, log_ratio) - exp(p[0] * log_ratio);
    };
    // Inverse CDF: λ E^(1/k) with E ~ Exp(1), reparameterised in k and λ.
    s->sample = [](const Params& p, const Tensor& like) {
      return p[1] *
             exp(log(extend::draw(samplers::exponential, {}, extend::with_like(p, like))) / p[0]);
    };
    s->mean = [](const Params& p) { return p[1] * exp(lgamma(1.0 + 1.0 / p[0])); };
    s->variance = [](const Params& p) {
      return square(p[1]) * (exp(lgamma(1.0 + 2.0 / p[0])) - exp(2.0 * lgamma(1.0 + 1.0 / p[0])));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> rayleigh() {
  static const auto spec = [] {
    auto s = positive_spec("Rayleigh", {"scale"});
    // log x − 2 log σ − x²/2σ²
    s->log_prob = [](const Params& p, const Tensor& x) {
      return log(x) - 2.0 * log(p[0]) - 0.5 * square(x / p[0]);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return p[0] * sqrt(2.0 * extend::draw(samplers::exponential, {}, extend::with_like(p, like)));
    };
    s->mean = [](const Params& p) { return std::sqrt(0.5 * kPi) * p[0]; };
    s->variance = [](const Params& p) { return (2.0 - 0.5 * kPi) * square(p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> chi2() {
  static const auto spec = [] {
    auto s = positive_spec("Chi2", {"df"});
    s->log_prob = [](const Params& p, const Tensor& x) {
      return gamma_log_prob(0.5 * p[0], 0.5, x);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return 2.0 * exp(extend::draw(samplers::log_gamma, {0.5 * p[0]}, extend::with_like(p, like)));
    };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) { return 2.0 * p[0]; };
    return s;
  }();
  return spec;
}

}  // namespace

HalfNormal::HalfNormal(const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(half_normal(), {scale}), value) {}
HalfCauchy::HalfCauchy(const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(half_cauchy(), {scale}), value) {}
HalfStudentT::HalfStudentT(const Tensor& df, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(half_student_t(), {df, scale}), value) {}
Exponential::Exponential(const Tensor& rate, const Tensor& value)
    : RandomVariable(extend::make_distribution(exponential(), {rate}), value) {}
Gamma::Gamma(const Tensor& concentration, const Tensor& rate, const Tensor& value)
    : RandomVariable(extend::make_distribution(gamma(), {concentration, rate}), value) {}
InverseGamma::InverseGamma(const Tensor& concentration, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(inverse_gamma(), {concentration, scale}), value) {}
Weibull::Weibull(const Tensor& concentration, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(weibull(), {concentration, scale}), value) {}
Rayleigh::Rayleigh(const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(rayleigh(), {scale}), value) {}
Chi2::Chi2(const Tensor& df, const Tensor& value)
    : RandomVariable(extend::make_distribution(chi2(), {df}), value) {}

}  // namespace ed
