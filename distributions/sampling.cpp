// The Draw op, the scalar laws it samples, and the implicit gradient of Gamma draws.
#include "edpp/distributions/sampling.hpp"

#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/gamma.hpp>
#include <boost/random/bernoulli_distribution.hpp>
#include <boost/random/binomial_distribution.hpp>
#include <boost/random/cauchy_distribution.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/extreme_value_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/geometric_distribution.hpp>
#include <boost/random/laplace_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <boost/random/uniform_01.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

#include "edpp/core/errors.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/ops/broadcast.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace detail {

namespace {

using Engine = Rng::Engine;
namespace bm = boost::math;
using Quiet = bm::policies::policy<bm::policies::domain_error<bm::policies::ignore_error>,
                                   bm::policies::pole_error<bm::policies::ignore_error>,
                                   bm::policies::overflow_error<bm::policies::ignore_error>,
                                   bm::policies::evaluation_error<bm::policies::ignore_error>>;

// A uniform draw in (0, 1): u = 0 is redrawn (probability 2⁻⁵³) so that its log is finite.
double open_uniform(Engine& engine) {
  double u;
  do u = boost::random::uniform_01<double>()(engine);
  while (u == 0.0);
  return u;
}

double draw_normal(const double*, Engine& e) {
  return boost::random::normal_distribution<double>()(e);
}
double draw_uniform(const double*, Engine& e) { return boost::random::uniform_01<double>()(e); }
double draw_exponential(const double*, Engine& e) {
  return boost::random::exponential_distribution<double>()(e);
}
double draw_laplace(const double*, Engine& e) {
  return boost::random::laplace_distribution<double>()(e);
}
double draw_logistic(const double*, Engine& e) {
  const double u = open_uniform(e);  // inverse CDF: log(u / (1 − u))
  return std::log(u) - std::log1p(-u);
}
double draw_gumbel(const double*, Engine& e) {  // Boost.Random defaults to location 1
  return boost::random::extreme_value_distribution<double>(0.0, 1.0)(e);
}
double draw_cauchy(const double*, Engine& e) {
  return boost::random::cauchy_distribution<double>()(e);
}

// log G, G ~ Gamma(α, 1). Below α = 1 a draw is G' U^(1/α) with G' ~ Gamma(α + 1, 1) (Marsaglia
// and Tsang's boost), taken in logs: G itself underflows to 0 for small α.
double draw_log_gamma(const double* p, Engine& e) {
  const double alpha = p[0];
  if (alpha >= 1.0) return std::log(boost::random::gamma_distribution<double>(alpha, 1.0)(e));
  const double boosted = boost::random::gamma_distribution<double>(alpha + 1.0, 1.0)(e);
  return std::log(boosted) + std::log(open_uniform(e)) / alpha;
}
double derivative_log_gamma(const double* p, double value, int) {
  return log_gamma_derivative(p[0], value);
}

double draw_poisson(const double* p, Engine& e) {
  if (p[0] == 0.0) return 0.0;
  return static_cast<double>(boost::random::poisson_distribution<long long, double>(p[0])(e));
}
double draw_binomial(const double* p, Engine& e) {
  return static_cast<double>(boost::random::binomial_distribution<long long, double>(
      static_cast<long long>(p[0]), p[1])(e));
}
double draw_geometric(const double* p, Engine& e) {
  if (p[0] >= 1.0) return 0.0;
  return static_cast<double>(boost::random::geometric_distribution<long long, double>(p[0])(e));
}
double draw_negative_binomial(const double* p, Engine& e) {
  // Gamma–Poisson mixture, so r need not be an integer: λ ~ Gamma(r, (1 − p)/p).
  if (p[1] >= 1.0) return 0.0;
  const double lambda = boost::random::gamma_distribution<double>(p[0], (1.0 - p[1]) / p[1])(e);
  if (lambda == 0.0) return 0.0;
  return static_cast<double>(boost::random::poisson_distribution<long long, double>(lambda)(e));
}
double draw_bernoulli(const double* p, Engine& e) {
  return boost::random::bernoulli_distribution<double>(p[0])(e) ? 1.0 : 0.0;
}

// A von Mises(μ, κ) draw in [−π, π): Best and Fisher's (1979) rejection sampler from a wrapped
// Cauchy envelope; uniform on the circle for κ below 1e-8, and the normal limit N(μ, 1/κ) above
// 1e6, where the envelope's constants lose their precision.
double draw_von_mises(const double* p, Engine& e) {
  constexpr double pi = std::numbers::pi;
  const double mu = p[0], kappa = p[1];
  double theta;
  if (kappa < 1e-8) {
    theta = pi * (2.0 * boost::random::uniform_01<double>()(e) - 1.0);
  } else if (kappa > 1e6) {
    theta = boost::random::normal_distribution<double>()(e) / std::sqrt(kappa);
  } else {
    // s = (1 + ρ²)/2ρ with ρ = (r − √(2r))/2κ, r = 1 + √(1 + 4κ²) (Best and Fisher's τ, ρ, s);
    // for tiny κ its series 1/κ + κ avoids the cancellation in r − √(2r).
    double s;
    if (kappa < 1e-5) {
      s = 1.0 / kappa + kappa;
    } else {
      const double r = 1.0 + std::sqrt(1.0 + 4.0 * kappa * kappa);
      const double rho = (r - std::sqrt(2.0 * r)) / (2.0 * kappa);
      s = (1.0 + rho * rho) / (2.0 * rho);
    }
    double w;
    while (true) {
      const double z = std::cos(pi * boost::random::uniform_01<double>()(e));
      w = (1.0 + s * z) / (s + z);
      const double y = kappa * (s - w);
      const double v = open_uniform(e);
      if (y * (2.0 - y) - v >= 0.0 || std::log(y / v) + 1.0 - y >= 0.0) break;
    }
    theta = std::acos(std::clamp(w, -1.0, 1.0));
    if (boost::random::uniform_01<double>()(e) < 0.5) theta = -theta;
  }
  // μ + θ wrapped into [−π, π).
  const double x = mu + theta;
  return x - 2.0 * pi * std::floor((x + pi) / (2.0 * pi));
}

// ∂P(α, x)/∂α by central differences with one Richardson step (error O(h⁴)), taken on Q = 1 − P
// right of the mode, where Q is the accurate one of the pair.
double incomplete_gamma_dalpha(double alpha, double x) {
  const bool upper = x > alpha;
  auto f = [&](double a) {
    return upper ? -bm::gamma_q(a, x, Quiet()) : bm::gamma_p(a, x, Quiet());
  };
  // P varies in α on the scale of min(α, √α): the step is a small fraction of that.
  const double h = 1e-3 * std::min(alpha, std::sqrt(alpha));
  auto central = [&](double step) { return (f(alpha + step) - f(alpha - step)) / (2.0 * step); };
  return (4.0 * central(0.5 * h) - central(h)) / 3.0;
}

}  // namespace

void fail_discrete_gradient(const std::string& what) {
  throw ed::invalid_argument(what +
                             ": a gradient was asked through a draw that has none (its law is "
                             "discrete); use a score-function estimator, or stop_gradient on "
                             "the draw");
}

double log_gamma_derivative(double alpha, double log_g) {
  const double x = std::exp(log_g);
  if (x <= alpha + 1.0 && alpha < 100.0) {
    // The series P(α, x) = Σ_n T_n, T_n = x^(α+n) e^(−x) / Γ(α+n+1), differentiated term by term:
    // ∂P/∂α = Σ_n T_n (log x − ψ(α+n+1)), and x·p(x) = α T_0. In ratios r_n = T_n / T_0 =
    // Π_{m≤n} x/(α+m) nothing underflows, and here x/(α+m) ≤ 1 so the terms only shrink.
    double psi = bm::digamma(alpha + 1.0, Quiet());
    double r = 1.0, total = log_g - psi;
    for (int n = 1; n < 100000; ++n) {
      psi += 1.0 / (alpha + n);
      r *= x / (alpha + n);
      const double term = r * (log_g - psi);
      total += term;
      if (std::abs(term) <= 1e-17 * std::abs(total) || r == 0.0) break;
    }
    return -total / alpha;
  }
  // x·p(x) = exp(α log x − x − lgamma(α)).
  const double x_density = std::exp(alpha * log_g - x - bm::lgamma(alpha, Quiet()));
  if (x_density == 0.0) return 0.0;  // so far in a tail that no draw lands there
  return -incomplete_gamma_dalpha(alpha, x) / x_density;
}

}  // namespace detail

namespace extend::samplers {
using namespace detail;  // the draw_* functions above
const Sampler normal{"normal", 0, draw_normal};
const Sampler uniform{"uniform", 0, draw_uniform};
const Sampler exponential{"exponential", 0, draw_exponential};
const Sampler laplace{"laplace", 0, draw_laplace};
const Sampler logistic{"logistic", 0, draw_logistic};
const Sampler gumbel{"gumbel", 0, draw_gumbel};
const Sampler cauchy{"cauchy", 0, draw_cauchy};
const Sampler log_gamma{"log_gamma", 1, draw_log_gamma, derivative_log_gamma};
const Sampler poisson{"poisson", 1, draw_poisson};
const Sampler binomial{"binomial", 2, draw_binomial};
const Sampler geometric{"geometric", 1, draw_geometric};
const Sampler negative_binomial{"negative_binomial", 2, draw_negative_binomial};
const Sampler bernoulli{"bernoulli", 1, draw_bernoulli};
const Sampler von_mises{"von_mises", 2, draw_von_mises};
}  // namespace extend::samplers

namespace ops {

namespace {
// The value of a broadcast parameter at output element (i, j).
double at(const Matrix& m, Index i, Index j) {
  return m(m.rows() == 1 ? 0 : i, m.cols() == 1 ? 0 : j);
}
}  // namespace

/// Inputs: the law's parameters, then tensors that only widen the shape.
class Draw final : public Op {
 public:
  explicit Draw(const extend::Sampler& law) : law_(law) {}
  std::string_view name() const override { return "draw"; }
  bool is_random() const override { return true; }
  Shape shape(Shapes in) const override {
    Shape s = in[0];
    for (std::size_t i = 1; i < in.size(); ++i) s = detail::broadcast_shapes(name(), s, in[i]);
    return s;
  }
  void forward(Inputs in, Matrix& out, OpContext& ctx) const override {
    double p[2] = {0.0, 0.0};
    for (Index j = 0; j < out.cols(); ++j) {
      for (Index i = 0; i < out.rows(); ++i) {
        for (int k = 0; k < law_.num_params; ++k) p[k] = at(in[k], i, j);
        out(i, j) = law_.draw(p, ctx.rng.engine());
      }
    }
  }
  // d(loss)/d(param k) = Σ dout ⊙ ∂draw/∂param_k, folded to the parameter's shape. The inputs
  // that only set the shape get nothing: a draw does not depend on their values.
  void backward(Inputs in, const Matrix& out, const Matrix& dout, Grads din,
                OpContext&) const override {
    for (int k = 0; k < law_.num_params; ++k) {
      if (!din[k]) continue;
      if (!law_.derivative) detail::fail_discrete_gradient("draw '" + std::string(law_.name) + "'");
      double p[2] = {0.0, 0.0};
      for (Index j = 0; j < out.cols(); ++j) {
        for (Index i = 0; i < out.rows(); ++i) {
          for (int m = 0; m < law_.num_params; ++m) p[m] = at(in[m], i, j);
          const double g = dout(i, j) * law_.derivative(p, out(i, j), k);
          (*din[k])(din[k]->rows() == 1 ? 0 : i, din[k]->cols() == 1 ? 0 : j) += g;
        }
      }
    }
  }

 private:
  const extend::Sampler& law_;
};

}  // namespace ops

namespace extend {
Tensor draw(const Sampler& law, const std::vector<Tensor>& params,
            const std::vector<Tensor>& like) {
  if (params.size() != static_cast<std::size_t>(law.num_params)) {
    throw ed::invalid_argument("draw '" + std::string(law.name) + "': expects " +
                               std::to_string(law.num_params) + " parameters, got " +
                               std::to_string(params.size()));
  }
  std::vector<Tensor> inputs = params;
  inputs.insert(inputs.end(), like.begin(), like.end());
  if (inputs.empty()) inputs.push_back(Tensor(0.0));  // a single draw
  return named(make_op(std::make_shared<ops::Draw>(law), inputs), std::string(law.name));
}
}  // namespace extend

}  // namespace ed
