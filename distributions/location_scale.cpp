// Specs of LogNormal, StudentT, Cauchy, Laplace, Logistic, Gumbel and SkewNormal.
#include "edpp/distributions/location_scale.hpp"

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
const double kHalfLog2Pi = 0.5 * std::log(2.0 * kPi);

// loc + scale · ε with ε a standard draw of the broadcast shape: reparameterised.
Tensor shifted(const Params& p, const Tensor& like, const extend::Sampler& standard) {
  return p[0] + p[1] * extend::draw(standard, {}, extend::with_like(p, like));
}

std::shared_ptr<const Family> loc_scale_spec(std::string name, const extend::Sampler& standard) {
  auto spec = std::make_shared<Family>();
  spec->name = std::move(name);
  spec->params = {{"loc", std::nullopt}, {"scale", Support::positive()}};
  spec->support = Support::real();
  spec->sample = [&standard](const Params& p, const Tensor& like) {
    return shifted(p, like, standard);
  };
  return spec;
}

std::shared_ptr<const Family> lognormal() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>(*loc_scale_spec("LogNormal", samplers::normal));
    s->support = Support::positive();
    s->domain = Support::positive();
    // log p(x) = −log x − log σ − ½ log 2π − ½((log x − μ)/σ)²
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor log_x = log(x);
      return -log_x - log(p[1]) - kHalfLog2Pi - 0.5 * square((log_x - p[0]) / p[1]);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return exp(shifted(p, like, samplers::normal));
    };
    s->mean = [](const Params& p) { return exp(p[0] + 0.5 * square(p[1])); };
    s->variance = [](const Params& p) {
      return expm1(square(p[1])) * exp(2.0 * p[0] + square(p[1]));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> student_t() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "StudentT";
    s->params = {
        {"df", Support::positive()}, {"loc", std::nullopt}, {"scale", Support::positive()}};
    s->support = Support::real();
    // lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log1p(z²/ν)
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor& nu = p[0];
      const Tensor z = (x - p[1]) / p[2];
      return lgamma(0.5 * (nu + 1.0)) - lgamma(0.5 * nu) - 0.5 * log(nu * kPi) - log(p[2]) -
             0.5 * (nu + 1.0) * log1p(square(z) / nu);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      // Z / √(V/ν) with Z ~ N(0, 1), V ~ χ²(ν) = 2 Gamma(ν/2, 1): differentiable in ν.
      const std::vector<Tensor> shape = extend::with_like(p, like);
      const Tensor log_v = std::log(2.0) + extend::draw(samplers::log_gamma, {0.5 * p[0]}, shape);
      return p[1] +
             p[2] * extend::draw(samplers::normal, {}, shape) * exp(0.5 * (log(p[0]) - log_v));
    };
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    s->mean = [nan, inf](const Params& p) {
      return where(detail::between(p[0], std::nextafter(1.0, 2.0), inf), broadcast_like(p[1], p[2]),
                   nan);
    };
    s->variance = [inf](const Params& p) {
      const Tensor finite = square(p[2]) * p[0] / (p[0] - 2.0);
      return where(detail::between(p[0], std::nextafter(2.0, 3.0), inf),
                   broadcast_like(finite, p[1]), inf);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> cauchy() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>(*loc_scale_spec("Cauchy", samplers::cauchy));
    // −log π − log σ − log1p(z²)
    s->log_prob = [](const Params& p, const Tensor& x) {
      return -std::log(kPi) - log(p[1]) - log1p(square((x - p[0]) / p[1]));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> laplace() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>(*loc_scale_spec("Laplace", samplers::laplace));
    // −log 2σ − |x − μ|/σ
    s->log_prob = [](const Params& p, const Tensor& x) {
      return -std::log(2.0) - log(p[1]) - abs(x - p[0]) / p[1];
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    s->variance = [](const Params& p) { return broadcast_like(2.0 * square(p[1]), p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> logistic() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>(*loc_scale_spec("Logistic", samplers::logistic));
    // −z − log σ − 2 softplus(−z): finite for any z
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor z = (x - p[0]) / p[1];
      return -z - log(p[1]) - 2.0 * softplus(-z);
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    s->variance = [](const Params& p) {
      return broadcast_like((kPi * kPi / 3.0) * square(p[1]), p[0]);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> gumbel() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>(*loc_scale_spec("Gumbel", samplers::gumbel));
    // −(z + e^(−z)) − log σ
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor z = (x - p[0]) / p[1];
      return -(z + exp(-z)) - log(p[1]);
    };
    s->mean = [](const Params& p) { return p[0] + std::numbers::egamma * p[1]; };
    s->variance = [](const Params& p) {
      return broadcast_like((kPi * kPi / 6.0) * square(p[1]), p[0]);
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> skew_normal() {
  static const auto spec = [] {
    auto s = std::make_shared<Family>();
    s->name = "SkewNormal";
    s->params = {
        {"loc", std::nullopt}, {"scale", Support::positive()}, {"shape", Support::finite()}};
    s->support = Support::real();
    // log 2 − log ω − ½ log 2π − ½z² + log Φ(αz): log_Phi keeps the far tail finite.
    s->log_prob = [](const Params& p, const Tensor& x) {
      const Tensor z = (x - p[0]) / p[1];
      return std::log(2.0) - log(p[1]) - kHalfLog2Pi - 0.5 * square(z) + log_Phi(p[2] * z);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      const std::vector<Tensor> shape = extend::with_like(p, like);
      const Tensor delta = p[2] / sqrt(1.0 + square(p[2]));
      const Tensor z0 = abs(extend::draw(samplers::normal, {}, shape));
      const Tensor z1 = extend::draw(samplers::normal, {}, shape);
      return p[0] + p[1] * (delta * z0 + sqrt(1.0 - square(delta)) * z1);
    };
    s->mean = [](const Params& p) {
      const Tensor delta = p[2] / sqrt(1.0 + square(p[2]));
      return p[0] + p[1] * delta * std::sqrt(2.0 / kPi);
    };
    s->variance = [](const Params& p) {
      const Tensor delta2 = square(p[2]) / (1.0 + square(p[2]));
      return broadcast_like(square(p[1]) * (1.0 - (2.0 / kPi) * delta2), p[0]);
    };
    return s;
  }();
  return spec;
}

}  // namespace

SkewNormal::SkewNormal(const Tensor& loc, const Tensor& scale, const Tensor& shape,
                       const Tensor& value)
    : RandomVariable(extend::make_distribution(skew_normal(), {loc, scale, shape}), value) {}
LogNormal::LogNormal(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(lognormal(), {loc, scale}), value) {}
StudentT::StudentT(const Tensor& df, const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(student_t(), {df, loc, scale}), value) {}
Cauchy::Cauchy(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(cauchy(), {loc, scale}), value) {}
Laplace::Laplace(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(laplace(), {loc, scale}), value) {}
Logistic::Logistic(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(logistic(), {loc, scale}), value) {}
Gumbel::Gumbel(const Tensor& loc, const Tensor& scale, const Tensor& value)
    : RandomVariable(extend::make_distribution(gumbel(), {loc, scale}), value) {}

}  // namespace ed
