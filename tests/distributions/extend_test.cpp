// The extension API from outside the library: an op, a sampler, a family, a support and a KL
// divergence, each written here against <edpp/extend.hpp> alone, then used as the built-in ones
// are (gradients, densities against Boost.Math, draws by KS, NUTS, KLqp's analytic KL).
#include <doctest/doctest.h>
#include <edpp/extend.hpp>

#include <boost/math/distributions/rayleigh.hpp>
#include <boost/random/uniform_01.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

// An op: softsign(x) = x / (1 + |x|), d/dx = 1 / (1 + |x|)².
class Softsign final : public ed::Op {
 public:
  std::string_view name() const override { return "softsign"; }
  ed::Shape shape(ed::Shapes in) const override { return in[0]; }
  void forward(ed::Inputs in, Matrix& out, ed::OpContext&) const override {
    out = in[0].array() / (1.0 + in[0].array().abs());
  }
  void backward(ed::Inputs in, const Matrix&, const Matrix& dout, ed::Grads din,
                ed::OpContext&) const override {
    din[0]->array() += dout.array() / (1.0 + in[0].array().abs()).square();
  }
};
Tensor softsign(const Tensor& x) { return ed::make_op(std::make_shared<Softsign>(), {x}); }

// A sampler: Rayleigh(σ) by its inverse CDF, σ √(−2 log U), differentiable in σ (x / σ).
double draw_rayleigh(const double* params, ed::Rng::Engine& engine) {
  double u;
  do u = boost::random::uniform_01<double>()(engine);
  while (u == 0.0);
  return params[0] * std::sqrt(-2.0 * std::log(u));
}
double rayleigh_derivative(const double* params, double value, int) { return value / params[0]; }
const ed::extend::Sampler rayleigh_sampler{"rayleigh", 1, draw_rayleigh, rayleigh_derivative};

// A family: Rayleigh(scale σ), log p = log x − 2 log σ − x²/(2σ²) on x ≥ 0.
std::shared_ptr<const ed::extend::Family> rayleigh_family() {
  static const auto family = [] {
    auto f = std::make_shared<ed::extend::Family>();
    f->name = "Rayleigh";
    f->params = {{"scale", ed::Support::positive()}};
    f->support = ed::Support::positive();
    f->domain = ed::Support::nonnegative();
    f->log_prob = [](const ed::extend::Family::Params& p, const Tensor& x) {
      return ed::log(x) - 2.0 * ed::log(p[0]) - 0.5 * ed::square(x / p[0]);
    };
    f->sample = [](const ed::extend::Family::Params& p, const Tensor& like) {
      return ed::extend::draw(rayleigh_sampler, {p[0]}, ed::extend::with_like({p[0]}, like));
    };
    f->mean = [](const ed::extend::Family::Params& p) {
      return std::sqrt(std::numbers::pi / 2.0) * p[0];
    };
    f->variance = [](const ed::extend::Family::Params& p) {
      return (2.0 - std::numbers::pi / 2.0) * ed::square(p[0]);
    };
    return f;
  }();
  return family;
}
ed::RandomVariable rayleigh(const Tensor& scale, const Tensor& value = Tensor()) {
  return ed::RandomVariable(ed::extend::make_distribution(rayleigh_family(), {scale}), value);
}

// A support: the half-line (1, ∞), with the bijector x = 1 + exp(u).
class AboveOne final : public ed::extend::SupportSet {
 public:
  std::string name() const override { return "greater_than(1)"; }
  bool contains(double x) const override { return x > 1.0; }
  std::string requirement(ed::Index, ed::Index) const override { return "greater than 1"; }
  Tensor constrain(const Tensor& u) const override { return 1.0 + ed::exp(u); }
  Tensor log_det_jacobian(const Tensor& u) const override { return u; }
  Matrix unconstrain(const Matrix& x) const override { return (x.array() - 1.0).log(); }
};
ed::Support above_one() { return ed::Support(std::make_shared<AboveOne>()); }

// A family on that support: 1 + Exponential(rate).
ed::RandomVariable shifted_exponential(const Tensor& rate) {
  static const auto family = [] {
    auto f = std::make_shared<ed::extend::Family>();
    f->name = "ShiftedExponential";
    f->params = {{"rate", ed::Support::positive()}};
    f->support = above_one();
    f->log_prob = [](const ed::extend::Family::Params& p, const Tensor& x) {
      return ed::log(p[0]) - p[0] * (x - 1.0);
    };
    f->sample = [](const ed::extend::Family::Params& p, const Tensor& like) {
      const Tensor e =
          ed::extend::draw(ed::extend::samplers::exponential, {}, ed::extend::with_like(p, like));
      return 1.0 + e / p[0];
    };
    return f;
  }();
  return ed::RandomVariable(ed::extend::make_distribution(family, {rate}));
}

// A KL divergence: KL(Rayleigh(σq) ‖ Rayleigh(σp)) = 2 log(σp/σq) + σq²/σp² − 1 (E_q x² = 2σq²).
void register_rayleigh_kl() {
  ed::extend::register_kl("Rayleigh", "Rayleigh",
                          [](const std::vector<Tensor>& q, const std::vector<Tensor>& p) {
                            return 2.0 * ed::log(p[0] / q[0]) + ed::square(q[0] / p[0]) - 1.0;
                          });
}

}  // namespace

TEST_CASE("a user's op: gradients against central differences, broadcast shapes included") {
  for (const ed::Shape& shape : ed::test::broadcast_variants(4, 3)) {
    const auto in = ed::test::random_inputs({shape}, 900, -3.0, 3.0);
    CHECK(ed::test::check_gradient([](const auto& x) { return softsign(x[0]) * 2.0; }, in));
  }
  CHECK(ed::eval(softsign(Tensor(Matrix::Constant(1, 1, -3.0))))(0, 0) == -0.75);
}

TEST_CASE("a user's family: density against Boost.Math, draws by KS, pathwise gradients") {
  const double sigma = 1.7;
  const boost::math::rayleigh_distribution<double> reference(sigma);
  const ed::RandomVariable r = rayleigh(Matrix::Constant(1, 1, sigma));
  for (double x : {1e-8, 0.3, 1.7, 6.0, 40.0}) {
    CAPTURE(x);
    const double lp = ed::eval(r.log_prob(Tensor(Matrix::Constant(1, 1, x))))(0, 0);
    CHECK(lp == doctest::Approx(std::log(boost::math::pdf(reference, x))).epsilon(1e-12));
  }
  CHECK(ed::eval(r.log_prob(Tensor(Matrix::Constant(1, 1, -1.0))))(0, 0) ==
        -std::numeric_limits<double>::infinity());
  CHECK(ed::eval(r.mean())(0, 0) == doctest::Approx(boost::math::mean(reference)));
  // Draws: KS against Boost's CDF at α = 0.001.
  const ed::Index n = 50000;
  const ed::RandomVariable many = rayleigh(Matrix::Constant(n, 1, sigma));
  ed::Session session(31);
  const Matrix draws = session.run({many})[0];
  std::vector<double> sorted(draws.data(), draws.data() + n);
  std::sort(sorted.begin(), sorted.end());
  double d = 0.0;
  for (ed::Index i = 0; i < n; ++i) {
    const double f = boost::math::cdf(reference, sorted[static_cast<std::size_t>(i)]);
    d = std::max({d, std::abs(f - double(i) / n), std::abs(f - double(i + 1) / n)});
  }
  CHECK(d < 1.95 / std::sqrt(double(n)));
  // The sampler's derivative carries gradients: d E[x] / dσ = √(π/2).
  const Tensor s = ed::variable(Matrix::Constant(1, 1, sigma), "sigma");
  const Tensor mean_draw = ed::mean(rayleigh(s).distribution().sample(Tensor(Matrix::Zero(n, 1))));
  const Matrix g = ed::grad(mean_draw, {s})[0];
  CHECK(g(0, 0) == doctest::Approx(std::sqrt(std::numbers::pi / 2.0)).epsilon(0.01));
  // Parameters are checked by the family's constraint, naming it.
  CHECK_THROWS_WITH_AS(ed::eval(rayleigh(Matrix::Constant(1, 1, -1.0)).log_prob(1.0)),
                       doctest::Contains("Rayleigh: scale"), ed::invalid_argument);
}

TEST_CASE("a user's support: NUTS works through its bijector and stays inside it") {
  // x ~ 1 + Exponential(2): the posterior (no data) is the prior, mean 1.5, sd 0.5.
  const ed::RandomVariable x = shifted_exponential(Matrix::Constant(1, 1, 2.0));
  CHECK(x.support().name() == "greater_than(1)");
  ed::NUTS nuts({x});
  nuts.initialize({.n_iter = 2000, .n_warmup = 1000, .chains = 2, .seed = 5});
  nuts.run();
  const Matrix draws = nuts.draws_by_chain(x, 0);
  CHECK(draws.minCoeff() > 1.0);
  const double mcse = ed::mcse_mean(draws);
  CHECK(std::abs(draws.mean() - 1.5) < 4.0 * mcse);
  // Data outside the support is refused with the support's own words.
  const ed::RandomVariable y = shifted_exponential(Matrix::Constant(2, 1, 2.0));
  const ed::Normal mu(0.0, 1.0);
  ed::MAP map({mu}, {{y, Matrix::Constant(2, 1, 0.5)}});
  CHECK_THROWS_WITH_AS(map.initialize(), doctest::Contains("greater than 1"), ed::invalid_argument);
}

TEST_CASE("a user's KL divergence: registered, it is what ed::kl_divergence and KLqp use") {
  const ed::RandomVariable q = rayleigh(Matrix::Constant(1, 1, 0.8));
  const ed::RandomVariable p = rayleigh(Matrix::Constant(1, 1, 1.5));
  CHECK_FALSE(ed::kl_divergence(q, p).has_value());
  register_rayleigh_kl();
  const auto kl = ed::kl_divergence(q, p);
  REQUIRE(kl.has_value());
  // Against E_q[log q − log p] by Monte Carlo (200,000 draws: SE ≈ 0.002).
  const ed::Index n = 200000;
  const ed::RandomVariable many_q = rayleigh(Matrix::Constant(n, 1, 0.8));
  const Tensor z = many_q.distribution().sample();
  const Tensor gap =
      ed::mean(many_q.log_prob(z) - rayleigh(Matrix::Constant(n, 1, 1.5)).log_prob(z));
  ed::Session session(8);
  CHECK(ed::eval(*kl)(0, 0) == doctest::Approx(session.run({gap})[0](0, 0)).epsilon(0.02));
  CHECK(ed::eval(*kl)(0, 0) ==
        doctest::Approx(2.0 * std::log(1.5 / 0.8) + 0.64 / 2.25 - 1.0).epsilon(1e-12));
  // KLqp picks the analytic-KL estimator for the pair, as it does for Normal–Normal.
  const ed::RandomVariable z_prior = rayleigh(Matrix::Constant(1, 1, 1.0));
  const ed::Normal x(z_prior * Matrix::Ones(1, 1), 1.0);
  const ed::RandomVariable qz = rayleigh(ed::softplus(ed::variable(Matrix::Ones(1, 1), "qz")));
  ed::KLqp inference({{z_prior, qz}}, {{x, Matrix::Constant(3, 1, 1.2)}});
  inference.initialize({.n_iter = 10});
  CHECK(inference.estimator() == ed::KLqpEstimator::reparameterization_kl);
  inference.run();
}
