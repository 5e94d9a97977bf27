// Specs of Bernoulli, Binomial, Poisson, Geometric, NegativeBinomial and NegativeBinomial2.
#include "edpp/distributions/discrete.hpp"

#include <cmath>
#include <limits>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/simd/kernels.hpp"
#include "edpp/distributions/family.hpp"
#include "edpp/distributions/sampling.hpp"

namespace ed {

namespace ops {

/// log Bernoulli(x | logits l) = x log σ(l) + (1 − x) log σ(−l)
///   = x min(l, 0) − (1 − x) max(l, 0) − log1p(e^−|l|),
/// one exp and one log1p per element, exact for logits of ±inf (a zero weight times an infinite
/// term counts as 0, as xmul), with x and l broadcast against each other.
class BernoulliLogProb final : public Op {
 public:
  std::string_view name() const override { return "bernoulli_log_prob"; }
  Shape shape(Shapes in) const override { return detail::broadcast_shapes(name(), in[0], in[1]); }
  bool is_row_local(Shapes in, std::span<const bool> sharded) const override {
    return unsharded_inputs_broadcast(in, sharded);
  }
  void forward(Inputs in, Matrix& out, OpContext&) const override {
    if (same_shapes(in)) {  // the dispatched kernel (Note [SIMD dispatch])
      out.resize(in[0].rows(), in[0].cols());
      simd::kernels().bernoulli_log_prob(out.size(), in[0].data(), in[1].data(), out.data());
      return;
    }
    detail::broadcast_apply(in[0], in[1], out,
                            [](const auto& x, const auto& l) { return value(x, l); });
  }
  // ∂/∂l = x − σ(l); ∂/∂x = log σ(l) − log σ(−l) = l.
  void backward(Inputs in, const Matrix&, const Matrix& dout, Grads din,
                OpContext&) const override {
    if (same_shapes(in)) {
      simd::kernels().bernoulli_log_prob_backward(dout.size(), in[0].data(), in[1].data(),
                                                  dout.data(), din[0] ? din[0]->data() : nullptr,
                                                  din[1] ? din[1]->data() : nullptr);
      return;
    }
    const Index rows = dout.rows();
    for (Index j = 0; j < dout.cols(); ++j) {
      detail::visit_col(in[0], j, rows, [&](const auto& x) {
        detail::visit_col(in[1], j, rows, [&](const auto& l) {
          const auto g = dout.col(j).array();
          if (din[0]) detail::accumulate_col(*din[0], j, g * l);
          if (din[1]) detail::accumulate_col(*din[1], j, g * (x - sigmoid_of(l)));
        });
      });
    }
  }

 private:
  static bool same_shapes(Inputs in) {
    return in[0].rows() == in[1].rows() && in[0].cols() == in[1].cols();
  }
  template <class X, class L>
  static auto value(const X& x, const L& l) {
    if constexpr (detail::is_scalar<X> && detail::is_scalar<L>) {
      return scalar_value(x, l);
    } else if constexpr (detail::is_scalar<X>) {
      return l.unaryExpr([x](double v) { return scalar_value(x, v); });
    } else if constexpr (detail::is_scalar<L>) {
      return x.unaryExpr([l](double v) { return scalar_value(v, l); });
    } else {
      return x.binaryExpr(l, [](double a, double b) { return scalar_value(a, b); });
    }
  }
  static double scalar_value(double x, double l) {
    const double positive = x == 0.0 ? 0.0 : x * std::min(l, 0.0);
    const double negative = x == 1.0 ? 0.0 : (1.0 - x) * std::max(l, 0.0);
    return positive - negative - std::log1p(std::exp(-std::abs(l)));
  }
  // σ(l) without overflow: 1 / (1 + e^−l) for l ≥ 0, e^l / (1 + e^l) below.
  static double sigmoid_scalar(double l) {
    if (l >= 0.0) return 1.0 / (1.0 + std::exp(-l));
    const double e = std::exp(l);
    return e / (1.0 + e);
  }
  template <class L>
  static auto sigmoid_of(const L& l) {
    if constexpr (detail::is_scalar<L>) {
      return sigmoid_scalar(l);
    } else {
      return l.unaryExpr([](double v) { return sigmoid_scalar(v); });
    }
  }
};

}  // namespace ops

namespace {

namespace samplers = extend::samplers;
using extend::Family;
using Params = Family::Params;

// logit(p) = log p − log(1 − p), ±inf at 0 and 1 (which log_sigmoid handles exactly).
Tensor logits_of(const Tensor& probs, const char* family) {
  const Tensor p = detail::check_probability(probs, family, "probs");
  return log(p) - log1p(-p);
}

std::shared_ptr<const Family> bernoulli() {
  static const auto spec = [] {
    auto s = extend::count_family("Bernoulli", {{"logits", std::nullopt}});
    s->support = Support::integer_interval(0.0, 1.0);
    // x log σ(l) + (1 − x) log σ(−l), fused (ops::BernoulliLogProb)
    s->log_prob = [](const Params& p, const Tensor& x) {
      return make_op(std::make_shared<ops::BernoulliLogProb>(), {x, p[0]});
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::bernoulli, {sigmoid(p[0])}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return sigmoid(p[0]); };
    s->variance = [](const Params& p) { return sigmoid(p[0]) * sigmoid(-p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> binomial() {
  static const auto spec = [] {
    auto s = extend::count_family(
        "Binomial", {{"total_count", Support::nonnegative_integer()}, {"logits", std::nullopt}});
    // lgamma(n+1) − lgamma(k+1) − lgamma(n−k+1) + k log σ(l) + (n − k) log σ(−l), for k ≤ n
    s->log_prob = [](const Params& p, const Tensor& k) {
      const Tensor& n = p[0];
      const Tensor lp = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0) +
                        xmul(k, log_sigmoid(p[1])) + xmul(n - k, log_sigmoid(-p[1]));
      return detail::restrict_to(lp, detail::between(k, 0.0, n));
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::binomial, {p[0], sigmoid(p[1])}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return p[0] * sigmoid(p[1]); };
    s->variance = [](const Params& p) { return p[0] * sigmoid(p[1]) * sigmoid(-p[1]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> poisson() {
  static const auto spec = [] {
    auto s = extend::count_family("Poisson", {{"rate", Support::nonnegative()}});
    // k log λ − λ − lgamma(k + 1), with 0 log 0 = 0 at λ = 0
    s->log_prob = [](const Params& p, const Tensor& k) {
      return xmul(k, log(p[0])) - p[0] - lgamma(k + 1.0);
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::poisson, {p[0]}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return p[0]; };
    s->variance = [](const Params& p) { return p[0]; };
    return s;
  }();
  return spec;
}

// Note [Pointwise densities]: k η − e^η − c with c = lgamma(k + 1), a term of the counts
// alone that a Program computes once for data; ∂k = η (c's own gradient reaches k through
// its node), ∂η = k − e^η, ∂c = −1; e^η once for the value and the partials together.
const extend::PointwiseDensity kPoissonLogDensity = {
    [](double k, const double* p) { return k * p[0] - std::exp(p[0]) - p[1]; },
    [](double k, const double* p, double* d) {
      d[0] = p[0];
      d[1] = k - std::exp(p[0]);
      d[2] = -1.0;
    },
    [](const Tensor& k, const std::vector<Tensor>&) {
      return std::vector<Tensor>{lgamma(k + 1.0)};
    },
    [](double k, const double* p, double* d) {
      const double rate = std::exp(p[0]);
      d[0] = p[0];
      d[1] = k - rate;
      d[2] = -1.0;
      return k * p[0] - rate - p[1];
    }};

std::shared_ptr<const Family> poisson_log() {
  static const auto spec = [] {
    auto s = extend::count_family("PoissonLog", {{"log_rate", std::nullopt}});
    s->pointwise = &kPoissonLogDensity;
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::poisson, {exp(p[0])}, extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return exp(p[0]); };
    s->variance = [](const Params& p) { return exp(p[0]); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> geometric() {
  static const auto spec = [] {
    auto s = extend::count_family("Geometric", {{"logits", std::nullopt}});
    // log p + k log(1 − p)
    s->log_prob = [](const Params& p, const Tensor& k) {
      return log_sigmoid(p[0]) + xmul(k, log_sigmoid(-p[0]));
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::geometric, {sigmoid(p[0])}, extend::with_like(p, like));
    };
    // (1 − p)/p = e^(−l);  (1 − p)/p² = e^(−l)(1 + e^(−l))
    s->mean = [](const Params& p) { return exp(-p[0]); };
    s->variance = [](const Params& p) { return exp(-p[0]) * (1.0 + exp(-p[0])); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> negative_binomial() {
  static const auto spec = [] {
    auto s = extend::count_family("NegativeBinomial",
                                  {{"r", Support::positive()}, {"logits", std::nullopt}});
    // lgamma(k + r) − lgamma(k + 1) − lgamma(r) + r log p + k log(1 − p)
    s->log_prob = [](const Params& p, const Tensor& k) {
      return log_rising_factorial(p[0], k) - lgamma(k + 1.0) + p[0] * log_sigmoid(p[1]) +
             xmul(k, log_sigmoid(-p[1]));
    };
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::negative_binomial, {p[0], sigmoid(p[1])},
                          extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return p[0] * exp(-p[1]); };
    s->variance = [](const Params& p) { return p[0] * exp(-p[1]) * (1.0 + exp(-p[1])); };
    return s;
  }();
  return spec;
}

std::shared_ptr<const Family> negative_binomial_2() {
  static const auto spec = [] {
    auto s = extend::count_family("NegativeBinomial2",
                                  {{"mu", Support::nonnegative()}, {"phi", Support::positive()}});
    // lgamma(k + φ) − lgamma(φ) − lgamma(k + 1) + k log(μ/(μ + φ)) − φ log1p(μ/φ): the rising
    // factorial and the log1p form keep the Poisson limit (φ → ∞) exact.
    s->log_prob = [](const Params& p, const Tensor& k) {
      const Tensor &mu = p[0], &phi = p[1];
      return log_rising_factorial(phi, k) - lgamma(k + 1.0) + xmul(k, log(mu) - log(mu + phi)) -
             phi * log1p(mu / phi);
    };
    // Failures before the φ-th success with success probability φ/(μ + φ): mean μ.
    s->sample = [](const Params& p, const Tensor& like) {
      return extend::draw(samplers::negative_binomial, {p[1], p[1] / (p[0] + p[1])},
                          extend::with_like(p, like));
    };
    s->mean = [](const Params& p) { return broadcast_like(p[0], p[1]); };
    s->variance = [](const Params& p) { return p[0] + square(p[0]) / p[1]; };
    return s;
  }();
  return spec;
}

}  // namespace

NegativeBinomial2::NegativeBinomial2(const Tensor& mu, const Tensor& phi, const Tensor& value)
    : RandomVariable(extend::make_distribution(negative_binomial_2(), {mu, phi}), value) {}

Bernoulli::Bernoulli(const Tensor& logits, const Tensor& value)
    : RandomVariable(extend::make_distribution(bernoulli(), {logits}), value) {}
Bernoulli Bernoulli::from_probs(const Tensor& probs, const Tensor& value) {
  return Bernoulli(logits_of(probs, "Bernoulli"), value);
}
Binomial::Binomial(const Tensor& total_count, const Tensor& logits, const Tensor& value)
    : RandomVariable(extend::make_distribution(binomial(), {total_count, logits}), value) {}
Binomial Binomial::from_probs(const Tensor& total_count, const Tensor& probs, const Tensor& value) {
  return Binomial(total_count, logits_of(probs, "Binomial"), value);
}
Poisson::Poisson(const Tensor& rate, const Tensor& value)
    : RandomVariable(extend::make_distribution(poisson(), {rate}), value) {}
PoissonLog::PoissonLog(const Tensor& log_rate, const Tensor& value)
    : RandomVariable(extend::make_distribution(poisson_log(), {log_rate}), value) {}
Geometric::Geometric(const Tensor& logits, const Tensor& value)
    : RandomVariable(extend::make_distribution(geometric(), {logits}), value) {}
Geometric Geometric::from_probs(const Tensor& probs, const Tensor& value) {
  return Geometric(logits_of(probs, "Geometric"), value);
}
NegativeBinomial::NegativeBinomial(const Tensor& r, const Tensor& logits, const Tensor& value)
    : RandomVariable(extend::make_distribution(negative_binomial(), {r, logits}), value) {}
NegativeBinomial NegativeBinomial::from_probs(const Tensor& r, const Tensor& probs,
                                              const Tensor& value) {
  return NegativeBinomial(r, logits_of(probs, "NegativeBinomial"), value);
}

}  // namespace ed
