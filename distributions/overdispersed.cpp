// Specs of BetaBinomial, NegativeBinomial2Log, ZeroInflatedPoisson and
// ZeroInflatedNegativeBinomial2.
#include "edpp/distributions/overdispersed.hpp"

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

// log NegativeBinomial2(k | μ = e^η, φ) = lgamma(k + φ) − lgamma(k + 1) − lgamma(φ)
//   + k(η − log(e^η + φ)) + φ(log φ − log(e^η + φ)),
// with η − log(e^η + φ) = −softplus(log φ − η) and log φ − log(e^η + φ) = −softplus(η − log φ):
// no e^η is formed, and the Poisson limit (φ → ∞) keeps its precision.
Tensor nb2_log_log_prob(const Tensor& eta, const Tensor& phi, const Tensor& k) {
  const Tensor log_phi = log(phi);
  return log_rising_factorial(phi, k) - lgamma(k + 1.0) - xmul(k, softplus(log_phi - eta)) -
         phi * softplus(eta - log_phi);
}

// A count's log mass with zeros inflated: log(g + (1 − g)p(0)) at 0, log(1 − g) + log p(k) above.
Tensor zero_inflated(const Tensor& gate, const Tensor& base_log_prob, const Tensor& k) {
  const Tensor log_keep = log1m(gate);
  return where(detail::between(k, 0.0, 0.0), log_sum_exp(log(gate), log_keep + base_log_prob),
               log_keep + base_log_prob);
}

// A zero with probability g, else `draw`.
Tensor gated_draw(const Tensor& gate, const Tensor& draw, const std::vector<Tensor>& shape) {
  return (1.0 - extend::draw(samplers::bernoulli, {gate}, shape)) * draw;
}

std::shared_ptr<const Family> beta_binomial() {
  static const auto spec = [] {
    auto s = extend::count_family("BetaBinomial", {{"total_count", Support::nonnegative_integer()},
                                                   {"alpha", Support::positive()},
                                                   {"beta", Support::positive()}});
    // lchoose(N, k) + lbeta(k + α, N − k + β) − lbeta(α, β), for 0 ≤ k ≤ N
    s->log_prob = [](const Params& p, const Tensor& k) {
      const Tensor &n = p[0], &a = p[1], &b = p[2];
      const Tensor lp = lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b);
      return detail::restrict_to(lp, detail::between(k, 0.0, n));
    };
    // p = G_α/(G_α + G_β) = σ(log G_α − log G_β), then Binomial(N, p).
    s->sample = [](const Params& p, const Tensor& like) {
      const std::vector<Tensor> shape = extend::with_like(p, like);
      const Tensor prob = sigmoid(extend::draw(samplers::log_gamma, {p[1]}, shape) -
                                  extend::draw(samplers::log_gamma, {p[2]}, shape));
      return extend::draw(samplers::binomial, {p[0], prob}, shape);
    };
    s->mean = [](const Params& p) { return p[0] * p[1] / (p[1] + p[2]); };
    s->variance = [](const Params& p) {
      const Tensor total = p[1] + p[2];
      return p[0] * p[1] * p[2] * (total + p[0]) / (square(total) * (total + 1.0));
    };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> negative_binomial_2_log() {
  static const auto spec = [] {
    auto s = extend::count_family("NegativeBinomial2Log",
                                  {{"eta", Support::finite()}, {"phi", Support::positive()}});
    s->log_prob = [](const Params& p, const Tensor& k) { return nb2_log_log_prob(p[0], p[1], k); };
    // Failures before the φ-th success, success probability φ/(e^η + φ) = σ(log φ − η).
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::negative_binomial, {p[1], sigmoid(log(p[1]) - p[0])},
                          extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return broadcast_like(exp(p[0]), p[1]); };
    s->variance = [](const Params& p) { return exp(p[0]) + exp(2.0 * p[0]) / p[1]; };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> zero_inflated_poisson() {
  static const auto spec = [] {
    auto s = extend::count_family("ZeroInflatedPoisson", {{"rate", Support::nonnegative()},
                                                          {"gate", Support::unit_interval()}});
    s->log_prob = [](const Params& p, const Tensor& k) {
      return zero_inflated(p[1], xmul(k, log(p[0])) - p[0] - lgamma(k + 1.0), k);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      const std::vector<Tensor> shape = extend::with_like(p, like);
      return gated_draw(p[1], extend::draw(samplers::poisson, {p[0]}, shape), shape);
    };
    s->mean = [](const Params& p) { return (1.0 - p[1]) * p[0]; };
    s->variance = [](const Params& p) { return (1.0 - p[1]) * p[0] * (1.0 + p[1] * p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> zero_inflated_negative_binomial_2() {
  static const auto spec = [] {
    auto s =
        extend::count_family("ZeroInflatedNegativeBinomial2", {{"mu", Support::positive()},
                                                               {"phi", Support::positive()},
                                                               {"gate", Support::unit_interval()}});
    s->log_prob = [](const Params& p, const Tensor& k) {
      return zero_inflated(p[2], nb2_log_log_prob(log(p[0]), p[1], k), k);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      const std::vector<Tensor> shape = extend::with_like(p, like);
      const Tensor counts =
          extend::draw(samplers::negative_binomial, {p[1], p[1] / (p[0] + p[1])}, shape);
      return gated_draw(p[2], counts, shape);
    };
    s->mean = [](const Params& p) { return (1.0 - p[2]) * p[0]; };
    s->variance = [](const Params& p) {
      const Tensor &mu = p[0], &phi = p[1], &g = p[2];
      return (1.0 - g) * (mu + square(mu) / phi) + g * (1.0 - g) * square(mu);
    };
    return s;
  }();
  return spec;
}

}  // namespace

BetaBinomial::BetaBinomial(const Tensor& total_count, const Tensor& alpha, const Tensor& beta,
                           const Tensor& value)
    : RandomVariable(extend::make_distribution(beta_binomial(), {total_count, alpha, beta}),
                     value) {}
NegativeBinomial2Log::NegativeBinomial2Log(const Tensor& eta, const Tensor& phi,
                                           const Tensor& value)
    : RandomVariable(extend::make_distribution(negative_binomial_2_log(), {eta, phi}), value) {}
ZeroInflatedPoisson::ZeroInflatedPoisson(const Tensor& rate, const Tensor& gate,
                                         const Tensor& value)
    : RandomVariable(extend::make_distribution(zero_inflated_poisson(), {rate, gate}), value) {}
ZeroInflatedNegativeBinomial2::ZeroInflatedNegativeBinomial2(const Tensor& mu, const Tensor& phi,
                                                             const Tensor& gate,
                                                             const Tensor& value)
    : RandomVariable(
          extend::make_distribution(zero_inflated_negative_binomial_2(), {mu, phi, gate}), value) {}

}  // namespace ed
