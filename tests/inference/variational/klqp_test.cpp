// KLqp recovers closed-form posteriors (Normal–Normal, linear regression, Beta–Bernoulli,
// Gamma–Poisson), its estimators agree in expectation, and its misuse is named.
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <optional>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

Tensor scalar_variable(double v, const std::string& name) {
  return ed::variable(Matrix::Constant(1, 1, v), name);
}

// Adam with a learning rate decaying tenfold every `n / 3` steps: stochastic gradients settle.
ed::Adam decaying_adam(double lr, long n) {
  ed::Adam adam(lr);
  adam.set_exponential_decay(0.1, static_cast<double>(n) / 3.0);
  return adam;
}

}  // namespace

TEST_CASE("KLqp with an analytic KL recovers the normal-normal posterior") {
  // mu ~ N(0, 1), x_i ~ N(mu, 1): the posterior is N(Σx / (n + 1), 1 / (n + 1)).
  ed::set_seed(1);
  const Matrix x_data = ed::test::random_inputs({{50, 1}}, 80, -1.0, 3.0)[0];
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(50, 1), 1.0);
  const ed::Normal qmu(scalar_variable(0.0, "qmu/loc"),
                       ed::softplus(scalar_variable(0.5, "qmu/scale")));
  ed::KLqp inference({{mu, qmu}}, {{x, x_data}});
  const long n = 3000;
  inference.initialize(
      {.optimizer = decaying_adam(0.05, n), .n_iter = n, .n_samples = 5, .seed = 2});
  CHECK(inference.estimator() == ed::KLqpEstimator::reparameterization_kl);
  for (long i = 0; i < n; ++i) inference.update();
  const double post_mean = x_data.sum() / 51.0, post_sd = std::sqrt(1.0 / 51.0);
  // Adam's normalised steps leave the last iterate a small random walk: 5% of a posterior sd.
  CHECK(std::abs(ed::eval(qmu.mean())(0, 0) - post_mean) < 0.05 * post_sd);
  CHECK(ed::eval(qmu.stddev())(0, 0) == doctest::Approx(post_sd).epsilon(0.02));
}

TEST_CASE(
    "mean-field KLqp on Bayesian linear regression: the exact mean, variances 1/diag(precision)") {
  ed::set_seed(3);
  const ed::Index n = 40, d = 3;
  const auto in = ed::test::random_inputs({{n, d}, {d, 1}, {n, 1}}, 81);
  const Matrix& X = in[0];
  const double sigma = 0.5;
  const Matrix y_data = X * in[1] + sigma * in[2];
  const ed::Normal w(Matrix::Zero(d, 1), 1.0);
  const ed::Normal y(ed::matmul(X, w), sigma);
  const ed::Normal qw(ed::variable(Matrix::Zero(d, 1), "qw/loc"),
                      ed::softplus(ed::variable(Matrix::Constant(d, 1, -1.0), "qw/scale")));
  ed::ReparameterizationKLqp inference({{w, qw}}, {{y, y_data}});
  const long steps = 4000;
  inference.initialize({.optimizer = decaying_adam(0.05, steps), .n_samples = 5, .seed = 4});
  for (long i = 0; i < steps; ++i) inference.update();
  const Matrix precision = X.transpose() * X / (sigma * sigma) + Matrix::Identity(d, d);
  const Matrix mean = precision.ldlt().solve(X.transpose() * y_data / (sigma * sigma));
  const Matrix sd = precision.diagonal().cwiseInverse().cwiseSqrt();
  const Matrix fit_mean = ed::eval(qw.mean()), fit_sd = ed::eval(qw.stddev());
  for (ed::Index k = 0; k < d; ++k) {
    CAPTURE(k);
    CHECK(std::abs(fit_mean(k, 0) - mean(k, 0)) < 0.05 * sd(k, 0));
    CHECK(fit_sd(k, 0) == doctest::Approx(sd(k, 0)).epsilon(0.03));
  }
}

TEST_CASE("Beta-Bernoulli: a Beta q reaches the conjugate posterior through implicit gradients") {
  ed::set_seed(5);
  const Matrix flips = (Matrix(10, 1) << 0, 1, 0, 0, 0, 0, 0, 0, 0, 1).finished();
  const ed::Beta p(2.0, 3.0);
  const ed::Bernoulli x = ed::Bernoulli::from_probs(p * Matrix::Ones(10, 1));
  const ed::Beta qp(ed::softplus(scalar_variable(1.0, "qp/a")),
                    ed::softplus(scalar_variable(1.0, "qp/b")));
  ed::KLqp inference({{p, qp}}, {{x, flips}});
  const long n = 6000;
  inference.initialize({.optimizer = decaying_adam(0.05, n), .n_iter = n, .n_samples = 10});
  CHECK(inference.estimator() == ed::KLqpEstimator::reparameterization);
  inference.run();
  // Posterior Beta(2 + 2, 3 + 8): mean 4/15, sd √(4·11 / (15²·16)).
  const double a = 4.0, b = 11.0;
  CHECK(ed::eval(qp.mean())(0, 0) == doctest::Approx(a / (a + b)).epsilon(0.02));
  CHECK(ed::eval(qp.stddev())(0, 0) ==
        doctest::Approx(std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1)))).epsilon(0.05));
}

TEST_CASE("Gamma-Poisson: a Gamma q reaches the conjugate posterior") {
  ed::set_seed(6);
  const Matrix counts = (Matrix(8, 1) << 3, 5, 2, 4, 6, 3, 1, 4).finished();
  const ed::Gamma rate(2.0, 1.0);
  const ed::Poisson x(rate * Matrix::Ones(8, 1));
  // Log-parameterised: along the shape the ELBO is flat, and steps in log space cross from the
  // prior's shape 2 to the posterior's 30 in a few thousand steps (softplus needs far more).
  const ed::Gamma qrate(ed::exp(scalar_variable(std::log(2.0), "q/a")),
                        ed::exp(scalar_variable(0.0, "q/b")));
  ed::KLqp inference({{rate, qrate}}, {{x, counts}});
  const long n = 6000;
  inference.initialize({.optimizer = decaying_adam(0.05, n), .n_iter = n, .n_samples = 10});
  inference.run();
  // Posterior Gamma(2 + 28, 1 + 8): mean 30/9, sd √30/9.
  CHECK(ed::eval(qrate.mean())(0, 0) == doctest::Approx(30.0 / 9.0).epsilon(0.01));
  CHECK(ed::eval(qrate.stddev())(0, 0) == doctest::Approx(std::sqrt(30.0) / 9.0).epsilon(0.05));
}

TEST_CASE("score-function and pathwise ELBO gradients agree in expectation") {
  // No data: p(z) = N(1, 2²), q = N(m, s). ∂ELBO/∂m = (1 − m)/4 exactly. One SGD step of rate
  // lr moves m by lr · ∂ELBO/∂m, so each step is a gradient estimate (m barely moves).
  const double lr = 1e-6, m0 = -0.5;
  auto estimates = [&](auto make, int samples) {
    ed::set_seed(7);
    const ed::Normal z(1.0, 2.0);
    const Tensor m = scalar_variable(m0, "m");
    const ed::Normal qz(m, ed::softplus(scalar_variable(0.3, "s")));
    auto inference = make(z, qz);
    inference.initialize({.optimizer = ed::SGD(lr), .n_samples = samples});
    Eigen::VectorXd g(40);
    for (int i = 0; i < g.size(); ++i) {
      const double before = m.value()(0, 0);
      inference.update();
      g(i) = (m.value()(0, 0) - before) / lr;
    }
    return g;
  };
  const auto score = estimates(
      [](const ed::Normal& z, const ed::Normal& qz) {
        return ed::ScoreKLqp({{z, qz}});
      },
      500);
  const auto pathwise = estimates(
      [](const ed::Normal& z, const ed::Normal& qz) {
        return ed::ReparameterizationKLqp({{z, qz}});
      },
      500);
  const double exact = (1.0 - m0) / 4.0;
  for (const Eigen::VectorXd* g : {&score, &pathwise}) {
    const double mean = g->mean();
    const double se = std::sqrt((g->array() - mean).square().sum() / (g->size() - 1) / g->size());
    INFO("estimate " << mean << " ± " << se << ", exact " << exact);
    CHECK(std::abs(mean - exact) < 4.0 * se + 1e-6);
    CHECK(se < 0.1 * exact);  // enough draws to mean something
  }
}

TEST_CASE(
    "a discrete latent with a Bernoulli q is fitted by the Rao-Blackwellised score function") {
  // z ~ Bernoulli(0.3), x | z ~ N(2z, 1), one observation x = 1.8: the posterior
  // P(z = 1 | x) = 0.3 N(1.8 | 2, 1) / (0.3 N(1.8 | 2, 1) + 0.7 N(1.8 | 0, 1)).
  ed::set_seed(8);
  const ed::Bernoulli z = ed::Bernoulli::from_probs(0.3);
  const ed::Normal x(2.0 * z, 1.0);
  const ed::Bernoulli qz(scalar_variable(0.0, "qz/logits"));
  ed::KLqp inference({{z, qz}}, {{x, Matrix::Constant(1, 1, 1.8)}});
  const long n = 4000;
  inference.initialize({.optimizer = decaying_adam(0.05, n), .n_iter = n, .n_samples = 20});
  CHECK(inference.estimator() == ed::KLqpEstimator::score_rb);
  inference.run();
  const double on = 0.3 * std::exp(-0.5 * 0.04), off = 0.7 * std::exp(-0.5 * 1.8 * 1.8);
  CHECK(ed::eval(qz.mean())(0, 0) == doctest::Approx(on / (on + off)).epsilon(0.02));
}

TEST_CASE("KLqp's misuse is named") {
  const ed::Normal mu(0.0, 1.0);
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  const ed::Normal q(scalar_variable(0.0, "q"), 1.0);
  const ed::Normal wide(ed::variable(Matrix::Zero(2, 1), "w"), 1.0);
  CHECK_THROWS_WITH_AS(ed::KLqp({{mu, q}}, {{x, Matrix::Ones(3, 1)}}).initialize({.n_samples = 0}),
                       "KLqp: n_samples must be at least 1, got 0", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::KLqp({{mu, wide}}, {{x, Matrix::Ones(3, 1)}}).initialize(),
                       "KLqp: the variational family Normal [2, 1] of latent Normal [1, 1] has "
                       "another shape",
                       ed::invalid_argument);
  const ed::Beta g(1.0, 1.0);
  const ed::Beta qg(ed::softplus(scalar_variable(1.0, "a")), 1.0);
  CHECK_THROWS_WITH_AS(ed::ReparameterizationKLKLqp({{g, qg}}).initialize(),
                       doctest::Contains("no closed-form KL between the Beta [1, 1]"),
                       ed::invalid_argument);
  const ed::Bernoulli b = ed::Bernoulli::from_probs(0.3);
  const ed::Bernoulli qb(scalar_variable(0.0, "l"));
  CHECK_THROWS_WITH_AS(ed::ReparameterizationKLqp({{b, qb}}).initialize(),
                       doctest::Contains("Bernoulli [1, 1] is not reparameterised"),
                       ed::invalid_argument);
}

TEST_CASE("automatic guides: mean-field and full-rank Normals on Bayesian linear regression") {
  const ed::Index n = 40, d = 2;
  const auto in = ed::test::random_inputs({{n, d}, {n, 1}}, 90);
  Matrix X = in[0];
  X.col(1) = X.col(0) + 0.5 * X.col(1);  // correlated posterior: the two guides differ
  const double sigma = 0.5;
  const Matrix y_data = X * Matrix::Ones(d, 1) + sigma * in[1];
  const Matrix precision = X.transpose() * X / (sigma * sigma) + Matrix::Identity(d, d);
  const Matrix mean = precision.ldlt().solve(X.transpose() * y_data / (sigma * sigma));
  const long steps = 5000;
  for (ed::Guide guide : {ed::Guide::mean_field, ed::Guide::full_rank}) {
    CAPTURE(static_cast<int>(guide));
    ed::set_seed(11);
    const ed::Normal w(Matrix::Zero(d, 1), 1.0);
    const ed::Normal y(ed::matmul(X, w), sigma);
    ed::KLqp inference({w}, {{y, y_data}});
    inference.initialize(
        {.optimizer = decaying_adam(0.05, steps), .n_iter = steps, .n_samples = 5, .guide = guide});
    inference.run();
    // Mean-field's optimum has variances 1/diag(precision); full rank's the exact covariance.
    const Matrix sd = guide == ed::Guide::mean_field
                          ? Matrix(precision.diagonal().cwiseInverse().cwiseSqrt())
                          : Matrix(precision.inverse().diagonal().cwiseSqrt());
    const Matrix fit_mean = inference.posterior_mean(w, 20000);
    const Matrix fit_sd = inference.posterior_stddev(w, 20000);
    for (ed::Index k = 0; k < d; ++k) {
      CAPTURE(k);
      CHECK(std::abs(fit_mean(k, 0) - mean(k, 0)) < 0.05 * sd(k, 0));
      CHECK(fit_sd(k, 0) == doctest::Approx(sd(k, 0)).epsilon(0.05));
    }
    CHECK(inference.posterior_draws(w, 7).rows() == 7);
  }
}

TEST_CASE("an automatic guide on a positive latent works on its log scale with the Jacobian") {
  // Gamma-Poisson again, with no q given: the guide is log-normal on the rate's scale, close to
  // the Gamma(30, 9) posterior.
  ed::set_seed(12);
  const Matrix counts = (Matrix(8, 1) << 3, 5, 2, 4, 6, 3, 1, 4).finished();
  const ed::Gamma rate(2.0, 1.0);
  const ed::Poisson x(rate * Matrix::Ones(8, 1));
  ed::KLqp inference({rate}, {{x, counts}});
  const long n = 4000;
  inference.initialize({.optimizer = decaying_adam(0.05, n), .n_iter = n, .n_samples = 5});
  inference.run();
  const Matrix draws = inference.posterior_draws(rate, 20000);
  CHECK((draws.array() > 0.0).all());
  CHECK(inference.posterior_mean(rate, 20000)(0, 0) == doctest::Approx(30.0 / 9.0).epsilon(0.02));
  CHECK(inference.posterior_stddev(rate, 20000)(0, 0) ==
        doctest::Approx(std::sqrt(30.0) / 9.0).epsilon(0.1));
}

TEST_CASE("a full-rank MultivariateNormalTriL q reaches the exact posterior mean and covariance") {
  ed::set_seed(13);
  const ed::Index n = 40, d = 2;
  const auto in = ed::test::random_inputs({{n, d}, {n, 1}}, 91);
  Matrix X = in[0];
  X.col(1) = X.col(0) + 0.5 * X.col(1);
  const double sigma = 0.5;
  const Matrix y_data = X * Matrix::Ones(d, 1) + sigma * in[1];
  const ed::Normal w(Matrix::Zero(1, d), 1.0);  // a row: one event of d coordinates
  const ed::Normal y(ed::matmul(X, ed::transpose(w)), sigma);
  // scale_tril = strictly-lower(R) + diag(exp(diag R)).
  const Tensor raw = ed::variable(Matrix::Zero(d, d), "qw/raw");
  const Matrix strictly_lower = Matrix::Ones(d, d).triangularView<Eigen::StrictlyLower>();
  const Tensor tril = raw * strictly_lower + ed::exp(raw) * Matrix::Identity(d, d);
  const ed::MultivariateNormalTriL qw(ed::variable(Matrix::Zero(1, d), "qw/loc"), tril);
  ed::KLqp inference({{w, qw}}, {{y, y_data}});
  const long steps = 5000;
  inference.initialize({.optimizer = decaying_adam(0.05, steps), .n_iter = steps, .n_samples = 5});
  inference.run();
  const Matrix precision = X.transpose() * X / (sigma * sigma) + Matrix::Identity(d, d);
  const Matrix covariance = precision.inverse();
  const Matrix mean = covariance * X.transpose() * y_data / (sigma * sigma);
  const Matrix l = ed::eval(tril);
  const Matrix fit_cov = l * l.transpose();
  const Matrix fit_mean = ed::eval(qw.mean()).transpose();
  for (ed::Index k = 0; k < d; ++k) {
    CAPTURE(k);
    const double sd = std::sqrt(covariance(k, k));
    CHECK(std::abs(fit_mean(k, 0) - mean(k, 0)) < 0.05 * sd);
    for (ed::Index m = 0; m < d; ++m) {
      CHECK(std::abs(fit_cov(k, m) - covariance(k, m)) < 0.05 * covariance(k, k));
    }
  }
}

TEST_CASE("an amortised q (an encoder of the data) learns the exact per-point posteriors") {
  // z_n ~ N(0, 1), x_n ~ N(z_n, 1): each z_n | x_n is N(x_n / 2, 1 / 2). q(z | x) =
  // N(a x + b, softplus(c)) with a, b, c shared by all points (the inference network of a
  // variational autoencoder, made linear) is exact at a = 1/2, b = 0, softplus(c) = √½.
  ed::set_seed(3);
  const ed::Index n = 200;
  const Matrix x_data = ed::test::random_inputs({{n, 1}}, 81, -3.0, 3.0)[0];
  const ed::Normal z(Matrix::Zero(n, 1), 1.0);
  const ed::Normal x(z, 1.0);
  const Tensor x_ph = ed::placeholder({n, 1}, "x");
  const Tensor a = scalar_variable(0.0, "encoder/a"), b = scalar_variable(0.3, "encoder/b");
  const Tensor c = scalar_variable(0.0, "encoder/c");
  const ed::Normal qz(a * x_ph + b, ed::softplus(c) * Matrix::Ones(n, 1));
  ed::KLqp inference({{z, qz}}, {{x, x_ph}});
  const long steps = 3000;
  inference.initialize({.optimizer = decaying_adam(0.05, steps), .n_iter = steps, .seed = 4});
  for (long i = 0; i < steps; ++i) inference.update({{x_ph, x_data}});
  // With 200 points each step's gradient averages 200 draws: the parameters settle within a
  // few hundredths of the optimum.
  CHECK(ed::eval(a)(0, 0) == doctest::Approx(0.5).epsilon(0.03));
  CHECK(std::abs(ed::eval(b)(0, 0)) < 0.02);
  CHECK(ed::eval(ed::softplus(c))(0, 0) == doctest::Approx(std::sqrt(0.5)).epsilon(0.03));
}

TEST_CASE("options.init starts an automatic guide's mean and a user's Normal q at the value") {
  const ed::Gamma rate(2.0, 1.0);
  const ed::Normal mu(0.0, 1.0);
  const ed::Poisson counts(rate * Matrix::Ones(3, 1));
  const ed::Normal x(mu * Matrix::Ones(3, 1), 1.0);
  const Tensor loc = scalar_variable(0.0, "qmu/loc");
  const ed::Normal qmu(loc, 1.0);
  ed::KLqp guided({rate}, {{counts, Matrix::Ones(3, 1)}});
  guided.initialize({.init = {{rate, Matrix::Constant(1, 1, 2.5)}}});
  // The guide lives on log(rate): its mean starts at log 2.5.
  bool found = false;
  for (const Tensor& v : guided.variables()) {
    if (v.name() == "KLqp/guide0/loc") {
      CHECK(v.value()(0, 0) == doctest::Approx(std::log(2.5)));
      found = true;
    }
  }
  CHECK(found);
  ed::KLqp user({{mu, qmu}}, {{x, Matrix::Ones(3, 1)}});
  user.initialize({.init = {{mu, Matrix::Constant(1, 1, -0.75)}}});
  CHECK(loc.value()(0, 0) == -0.75);
  // A q with no variable loc cannot be started; a non-latent is named by the base.
  const ed::Normal fixed(0.0, 1.0);
  CHECK_THROWS_WITH_AS(ed::KLqp({{mu, fixed}}, {{x, Matrix::Ones(3, 1)}})
                           .initialize({.init = {{mu, Matrix::Zero(1, 1)}}}),
                       doctest::Contains("has no variable loc of that shape to start from"),
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(user.initialize({.init = {{x, Matrix::Zero(3, 1)}}}),
                       doctest::Contains("options.init names a Normal [3, 1] that is not a "
                                         "latent variable"),
                       ed::invalid_argument);
}

TEST_CASE("a q whose support does not match its latent's is named, with the fix") {
  const ed::Gamma rate(2.0, 1.0);
  const ed::Poisson x(rate * Matrix::Ones(3, 1));
  const ed::Normal q(scalar_variable(1.0, "q/loc"), 0.1);
  CHECK_THROWS_WITH_AS(
      ed::KLqp({{rate, q}}, {{x, Matrix::Ones(3, 1)}}).initialize(),
      doctest::Contains("KLqp: the variational family Normal [1, 1] has support real but the "
                        "latent Gamma [1, 1] lives on positive; use a q on that support"),
      ed::invalid_argument);
  const ed::Bernoulli coin = ed::Bernoulli::from_probs(0.3);
  const ed::Normal y(coin * Matrix::Ones(2, 1), 1.0);
  CHECK_THROWS_WITH_AS(ed::KLqp({{coin, q}}, {{y, Matrix::Ones(2, 1)}}).initialize(),
                       doctest::Contains("is continuous but the latent Bernoulli [1, 1] is "
                                         "discrete"),
                       ed::invalid_argument);
}

TEST_CASE("KLqp at its defaults (Edward's decayed Adam) puts the means within 0.1 sd, every seed") {
  // The README's model (Edward's supervised regression): y ~ N(X w + b, 1), w ~ N(0, I₃),
  // b ~ N(0, 1), 40 points made with noise 0.1. Its posterior is normal, and a mean-field normal
  // q has the exact means at the optimum. At the README's 5,000 iterations the decayed rate
  // (0.1 · 0.9^50 at the end) has stilled the steps' jitter; a constant Adam(0.1) has not.
  const ed::Index n = 40, d = 3;
  ed::Rng rng(5);
  Matrix X(n, d), noise(n, 1);
  boost::random::normal_distribution<double> normal;
  for (ed::Index i = 0; i < n; ++i) {
    for (ed::Index j = 0; j < d; ++j) X(i, j) = normal(rng.engine());
    noise(i, 0) = 0.1 * normal(rng.engine());
  }
  const Matrix y_data =
      X * (Matrix(d, 1) << 1.0, -0.5, 0.3).finished() + Matrix::Constant(n, 1, 0.7) + noise;
  Matrix design(n, d + 1);
  design << X, Matrix::Ones(n, 1);
  const Matrix precision = Matrix::Identity(d + 1, d + 1) + design.transpose() * design;
  const Matrix covariance = precision.inverse();
  const Matrix exact_mean = covariance * design.transpose() * y_data;
  // The largest |mean − exact| over seeds 1–5 and the four coefficients, in posterior sds.
  auto worst_error = [&](const std::optional<ed::AnyOptimizer>& optimizer) {
    double worst = 0.0;
    for (std::uint64_t seed = 1; seed <= 5; ++seed) {
      ed::Normal w(Matrix::Zero(d, 1), 1.0);
      ed::Normal b(0.0, 1.0);
      ed::Normal y(ed::matmul(X, w) + b, 1.0);
      ed::Normal qw(ed::variable(Matrix::Zero(d, 1)),
                    ed::softplus(ed::variable(Matrix::Zero(d, 1))));
      ed::Normal qb(ed::variable(Matrix::Zero(1, 1)),
                    ed::softplus(ed::variable(Matrix::Zero(1, 1))));
      ed::KLqp inference({{w, qw}, {b, qb}}, {{y, y_data}});
      ed::KLqpOptions options{.n_iter = 5000, .n_samples = 5, .seed = seed};
      if (optimizer) options.optimizer = *optimizer;
      inference.initialize(options);
      for (int t = 0; t < 5000; ++t) inference.update();
      Matrix mean(d + 1, 1);
      mean << ed::eval(qw.mean()), ed::eval(qb.mean());
      for (ed::Index j = 0; j <= d; ++j) {
        worst =
            std::max(worst, std::abs(mean(j, 0) - exact_mean(j, 0)) / std::sqrt(covariance(j, j)));
      }
    }
    return worst;
  };
  const double by_default = worst_error(std::nullopt);
  const double constant = worst_error(ed::AnyOptimizer(ed::Adam(0.1)));
  INFO("largest |mean − exact| in posterior sds: " << by_default << " at the default, " << constant
                                                   << " with a constant Adam(0.1)");
  CHECK(by_default < 0.1);
  CHECK(constant > 0.3);
}

TEST_CASE("exponential decay: smooth or staircase, as tf.train.exponential_decay") {
  // A gradient of 1 moves SGD by the learning rate: the steps read the schedule back.
  auto steps = [](bool staircase) {
    ed::SGD sgd(1.0);
    sgd.set_exponential_decay(0.5, 2.0, staircase);
    Matrix p = Matrix::Zero(1, 1);
    const Matrix g = Matrix::Ones(1, 1);
    Matrix* params[] = {&p};
    const Matrix* grads[] = {&g};
    std::vector<double> moved;
    for (int t = 0; t < 5; ++t) {
      const double before = p(0, 0);
      sgd.step(params, grads, {});
      moved.push_back(before - p(0, 0));
    }
    return moved;
  };
  const std::vector<double> stair = steps(true), smooth = steps(false);
  const std::vector<double> stair_expected = {1.0, 1.0, 0.5, 0.5, 0.25};
  for (int t = 0; t < 5; ++t) {
    CHECK(stair[t] == doctest::Approx(stair_expected[t]).epsilon(1e-12));
    CHECK(smooth[t] == doctest::Approx(std::pow(0.5, t / 2.0)).epsilon(1e-12));
  }
  CHECK_THROWS_WITH_AS(ed::SGD(1.0).set_exponential_decay(0.0, 10.0),
                       doctest::Contains("SGD: exponential decay needs a finite rate > 0"),
                       ed::invalid_argument);
}
