// ImplicitKLqp on a hierarchical model whose posterior is known: β ~ N(0, 1), zₙ ~ N(β, 1),
// xₙ ~ N(zₙ, 0.5²). Marginally xₙ | β ~ N(β, 1.25), so p(β | x) is normal, and
// p(zₙ | xₙ, β) = N((β + 4xₙ)/5, 1/5): q(β) q(z | x, β) of normal forms holds the posterior.
#include <doctest/doctest.h>

#include <cmath>
#include <edpp/edpp.hpp>

using ed::Matrix;

namespace {

constexpr ed::Index kRows = 40;

struct Posterior {
  double mean, sd;
};

Posterior exact_beta(const Matrix& x) {
  const double precision = 1.0 + static_cast<double>(x.size()) / 1.25;
  return {x.sum() / 1.25 / precision, 1.0 / std::sqrt(precision)};
}

double value(const ed::Tensor& t) { return ed::eval(t)(0, 0); }

struct Model {
  ed::Normal beta{0.0, 1.0};
  ed::Normal z{beta * Matrix::Ones(kRows, 1), 1.0};
  ed::Normal x{z, 0.5};
};

// q(β) = N(m, softplus(s)); q(z | x, β) = N(w₁ x + w₂ β + w₀, softplus(u)), drawn at q's β'.
struct Approximation {
  ed::Tensor m = ed::variable(Matrix::Zero(1, 1), "q/m");
  ed::Tensor s = ed::variable(Matrix::Zero(1, 1), "q/s");
  ed::Tensor w1 = ed::variable(Matrix::Zero(1, 1), "q/w1");
  ed::Tensor w2 = ed::variable(Matrix::Zero(1, 1), "q/w2");
  ed::Tensor w0 = ed::variable(Matrix::Zero(1, 1), "q/w0");
  ed::Tensor u = ed::variable(Matrix::Zero(1, 1), "q/u");
  ed::Normal beta{m, ed::softplus(s)};
  ed::Tensor x;
  ed::Normal z;
  explicit Approximation(const ed::Tensor& x_data)
      : x(x_data), z(w1 * x_data + w2 * beta.value() + w0, ed::softplus(u)) {}
};

Matrix data() {
  Model m;
  ed::Session session(21);
  return session.run({m.x.value()}).front();
}

}  // namespace

TEST_CASE("ImplicitKLqp with the exact log ratio is KLqp: q recovers the posterior") {
  ed::set_seed(41);  // dense()'s initial weights come from the seed sequence
  const Matrix x_data = data();
  Model model;
  Approximation q(x_data);
  // The exact log p(x, z | β) − log q(z | x, β) (up to q's data density, constant in q), with a
  // trained offset so that the estimator has a variable of its own.
  const ed::Tensor offset = ed::variable(Matrix::Zero(1, 1), "ratio/offset");
  auto exact_ratio = [&](const std::vector<ed::Tensor>& x, const std::vector<ed::Tensor>& z,
                         const std::vector<ed::Tensor>& beta) {
    const ed::Tensor b = beta.front(), xs = x.front(), zs = z.front();
    return ed::Normal(ed::broadcast_like(b, zs), 1.0).log_prob(zs) +
           ed::Normal(zs, 0.5).log_prob(xs) -
           ed::Normal(q.w1 * xs + q.w2 * b + q.w0, ed::softplus(q.u)).log_prob(zs) + offset;
  };
  ed::ImplicitKLqp inference({{model.beta, q.beta}, {model.z, q.z}}, {{model.x, x_data}},
                             exact_ratio, {model.beta});
  inference.initialize({.optimizer = ed::Adam(0.01), .seed = 8});
  const Posterior exact = exact_beta(x_data);
  double m = 0, sd = 0, w1 = 0, w2 = 0, z_sd = 0;
  const int steps = 8000, averaged = 3000;
  for (int t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      m += value(q.m) / averaged;
      sd += value(ed::softplus(q.s)) / averaged;
      w1 += value(q.w1) / averaged;
      w2 += value(q.w2) / averaged;
      z_sd += value(ed::softplus(q.u)) / averaged;
    }
  }
  INFO("β: " << m << " ± " << sd << " (exact " << exact.mean << " ± " << exact.sd << "); w₁ " << w1
             << ", w₂ " << w2 << ", sd(z) " << z_sd);
  CHECK(std::abs(m - exact.mean) < 0.1 * exact.sd);
  CHECK(std::abs(sd - exact.sd) / exact.sd < 0.05);
  CHECK(std::abs(w1 - 0.8) < 0.02);
  CHECK(std::abs(w2 - 0.2) < 0.05);
  CHECK(std::abs(z_sd - 1 / std::sqrt(5.0)) / (1 / std::sqrt(5.0)) < 0.05);
}

TEST_CASE("ImplicitKLqp with a learnt ratio estimator finds the posterior of β") {
  ed::set_seed(42);  // dense()'s initial weights come from the seed sequence
  const Matrix x_data = data();
  Model model;
  Approximation q(x_data);
  // Logistic regression on the quadratic features of (x, z, β): the exact log ratio of the
  // model's draws to q's is such a quadratic (q's data density fitted by its x terms).
  auto estimator = [](const std::vector<ed::Tensor>& x, const std::vector<ed::Tensor>& z,
                      const std::vector<ed::Tensor>& beta) {
    const ed::Tensor xs = x.front(), zs = z.front(), b = ed::broadcast_like(beta.front(), zs);
    return ed::dense(ed::concat({xs, zs, b, xs * xs, zs * zs, b * b, xs * zs, xs * b, zs * b}, 1),
                     1, ed::identity, "ratio");
  };
  ed::ImplicitKLqp inference({{model.beta, q.beta}, {model.z, q.z}}, {{model.x, x_data}}, estimator,
                             {model.beta});
  inference.initialize({.optimizer = ed::Adam(0.005),
                        .optimizer_d = ed::Adam(0.02),
                        .seed = 9,
                        .discriminator_steps = 5});
  const Posterior exact = exact_beta(x_data);
  double m = 0, sd = 0;
  const int steps = 6000, averaged = 2000;
  for (int t = 0; t < steps; ++t) {
    inference.update();
    if (t >= steps - averaged) {
      m += value(q.m) / averaged;
      sd += value(ed::softplus(q.s)) / averaged;
    }
  }
  INFO("β: " << m << " ± " << sd << " (exact " << exact.mean << " ± " << exact.sd << ")");
  CHECK(std::abs(m - exact.mean) < 0.2 * exact.sd);
  CHECK(std::abs(sd - exact.sd) / exact.sd < 0.1);
}

TEST_CASE("ImplicitKLqp refuses a global that is not latent, and two scales") {
  ed::set_seed(43);  // dense()'s initial weights come from the seed sequence
  Model model;
  const Matrix x_data = Matrix::Zero(kRows, 1);
  Approximation q(x_data);
  auto estimator = [](const std::vector<ed::Tensor>& x, const std::vector<ed::Tensor>&,
                      const std::vector<ed::Tensor>&) {
    return ed::dense(x.front(), 1, ed::identity, "r");
  };
  ed::Normal other(0.0, 1.0);
  ed::ImplicitKLqp stray({{model.beta, q.beta}, {model.z, q.z}}, {{model.x, x_data}}, estimator,
                         {other});
  CHECK_THROWS_WITH_AS(stray.initialize(), doctest::Contains("ImplicitKLqp: the global Normal"),
                       ed::invalid_argument);
  ed::ImplicitKLqp no_q({{model.beta, std::nullopt}, {model.z, q.z}}, {{model.x, x_data}},
                        estimator, {model.beta});
  CHECK_THROWS_WITH_AS(no_q.initialize(), doctest::Contains("needs an approximation"),
                       ed::invalid_argument);
}
