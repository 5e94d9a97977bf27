// Every gallery model recovers the truth it was simulated from.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include "edpp/models.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
void fit(ed::MAP& inference, ed::AnyOptimizer optimizer, int steps, std::uint64_t seed = 1) {
  inference.initialize({.optimizer = optimizer, .seed = seed});
  for (int i = 0; i < steps; ++i) inference.update();
}
}  // namespace

TEST_CASE("Bayesian linear regression recovers weights, intercept and noise") {
  const auto d = ed::models::simulate_linear(500, 3, 0.5, 11);
  const auto m = ed::models::linear_regression(d.X, 3);
  ed::MAP inference({m.w, m.b, m.sigma}, {{m.y, d.y}});
  fit(inference, ed::LBFGS(), 100);
  CHECK(ed::test::all_close(inference.value(m.w), d.w, 0.0, 0.05));
  CHECK(std::abs(inference.value(m.b)(0, 0) - d.b) < 0.08);
  CHECK(std::abs(inference.value(m.sigma)(0, 0) - 0.5) < 0.05);
}

TEST_CASE("logistic regression recovers its weights within 0.35") {
  const auto d = ed::models::simulate_logistic(2000, 12);
  const auto m = ed::models::logistic_regression(d.X, 2);
  ed::MAP inference({m.w, m.b}, {{m.y, d.y}});
  fit(inference, ed::LBFGS(), 60);
  CHECK(ed::test::all_close(inference.value(m.w), d.W, 0.0, 0.35));
  CHECK(std::abs(inference.value(m.b)(0, 0) - d.b(0, 0)) < 0.35);
}

TEST_CASE("softmax regression classifies 3 classes and recovers centred weights") {
  const auto d = ed::models::simulate_softmax(2000, 13);
  const auto m = ed::models::softmax_regression(d.X, 2, 3);
  ed::MAP inference({m.W, m.b}, {{m.y, d.y}});
  fit(inference, ed::LBFGS(), 100);
  const Matrix W = inference.value(m.W);
  // Softmax weights are identified up to a constant per row: compare centred rows.
  auto centred = [](const Matrix& A) { return Matrix(A.colwise() - A.rowwise().mean()); };
  CHECK(ed::test::all_close(centred(W), centred(d.W), 0.0, 0.4));
  const Matrix logits = (d.X * W).rowwise() + inference.value(m.b).row(0);
  int correct = 0;
  for (ed::Index i = 0; i < d.X.rows(); ++i) {
    ed::Index k;
    logits.row(i).maxCoeff(&k);
    correct += double(k) == d.y(i, 0);
  }
  CHECK(correct > 0.8 * d.X.rows());
}

TEST_CASE("the Gaussian mixture recovers means, scales and weights (best of restarts)") {
  const auto d = ed::models::simulate_clusters(900, 14);
  const auto m = ed::models::gaussian_mixture(3, 2);
  double best = std::numeric_limits<double>::infinity();
  Matrix mu, sigma, pi;
  ed::Rng rng(5);
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    // Each restart starts its means at three random data points.
    const Matrix picks = ed::models::uniform_matrix(3, 1, rng, 0.0, double(d.X.rows()));
    Matrix start(3, 2);
    for (int k = 0; k < 3; ++k) start.row(k) = d.X.row(static_cast<ed::Index>(picks(k, 0)));
    ed::MAP inference({m.mu, m.sigma, m.pi}, {{m.x, d.X}});
    inference.initialize({.optimizer = ed::LBFGS(), .seed = seed, .init = {{m.mu, start}}});
    for (int i = 0; i < 150; ++i) inference.update();
    const double loss = inference.loss();
    if (loss < best) {
      best = loss, mu = inference.value(m.mu), sigma = inference.value(m.sigma),
      pi = inference.value(m.pi);
    }
  }
  // Match each true component to the nearest estimated mean.
  for (int k = 0; k < 3; ++k) {
    ed::Index j;
    (mu.rowwise() - d.mu.row(k)).rowwise().norm().minCoeff(&j);
    CAPTURE(k);
    CHECK((mu.row(j) - d.mu.row(k)).norm() < 0.25);
    CHECK((sigma.row(j) - d.sigma.row(k)).cwiseAbs().maxCoeff() < 0.15);
    CHECK(std::abs(pi(0, j) - d.pi(0, k)) < 0.05);
  }
}

TEST_CASE("Poisson regression recovers its log-linear coefficients") {
  const auto d = ed::models::simulate_poisson(1000, 2, 15);
  const auto m = ed::models::poisson_regression(d.X, 2);
  ed::MAP inference({m.w, m.b}, {{m.y, d.y}});
  fit(inference, ed::LBFGS(), 60);
  CHECK(ed::test::all_close(inference.value(m.w), d.w, 0.0, 0.08));
  CHECK(std::abs(inference.value(m.b)(0, 0) - d.b) < 0.08);
}

TEST_CASE("robust regression ignores outliers that pull the Normal fit away") {
  const auto d = ed::models::simulate_outliers(300, 0.1, 16);
  const auto robust = ed::models::robust_regression(d.X, 1);
  ed::MAP r({robust.w, robust.b, robust.sigma}, {{robust.y, d.y}});
  fit(r, ed::LBFGS(), 100);
  const auto normal = ed::models::linear_regression(d.X, 1);
  ed::MAP n({normal.w, normal.b, normal.sigma}, {{normal.y, d.y}});
  fit(n, ed::LBFGS(), 100);
  const double robust_error = std::abs(r.value(robust.b)(0, 0) - d.b);
  const double normal_error = std::abs(n.value(normal.b)(0, 0) - d.b);
  CHECK(std::abs(r.value(robust.w)(0, 0) - d.w(0, 0)) < 0.08);
  CHECK(robust_error < 0.15);
  CHECK(normal_error > 0.5);
}

TEST_CASE("the linear mixed-effects model recovers fixed effects and random intercepts") {
  const auto d = ed::models::simulate_groups(12, 40, 17);
  const auto m = ed::models::mixed_effects(d.x, d.group, 12);
  ed::MAP inference({m.beta, m.group_scale, m.intercepts, m.sigma}, {{m.y, d.y}});
  fit(inference, ed::LBFGS(), 200);
  const Matrix u = inference.value(m.intercepts);
  const Matrix beta = inference.value(m.beta);
  // β₀ and the intercepts trade a constant; the slope and the centred intercepts are identified.
  CHECK(std::abs(beta(1, 0) - d.beta(1, 0)) < 0.05);
  const Matrix total = u.array() + beta(0, 0), truth = d.intercepts.array() + d.beta(0, 0);
  CHECK((total - truth).cwiseAbs().maxCoeff() < 0.3);
  CHECK(std::abs(inference.value(m.sigma)(0, 0) - d.noise) < 0.05);
}

TEST_CASE("probabilistic PCA finds the principal subspace of the SVD") {
  const auto d = ed::models::simulate_subspace(300, 5, 2, 0.3, 18);
  const auto m = ed::models::ppca(300, 5, 2);
  ed::MAP inference({m.W, m.Z, m.sigma}, {{m.x, d.X}});
  fit(inference, ed::LBFGS(), 300);
  const Matrix W = inference.value(m.W);
  const Eigen::JacobiSVD<Matrix> svd(d.X, Eigen::ComputeThinV);
  const Matrix pcs = svd.matrixV().leftCols(2);
  // Principal angles: singular values of Q₁ᵀQ₂ are their cosines.
  const Matrix q = Eigen::HouseholderQR<Matrix>(W).householderQ() * Matrix::Identity(5, 2);
  const Eigen::VectorXd cosines = Eigen::JacobiSVD<Matrix>(q.transpose() * pcs).singularValues();
  MESSAGE("cosines of the principal angles: " << cosines.transpose());
  CHECK(cosines.minCoeff() > std::cos(2.0 * M_PI / 180.0));
}

TEST_CASE("a Bayesian neural network (MAP = weight decay) fits a nonlinear curve") {
  const auto train = ed::models::simulate_curve(300, 0.2, 19);
  const auto test = ed::models::simulate_curve(200, 0.0, 20);
  const auto x = ed::placeholder({ed::Dynamic, 1}, "x");
  const auto m = ed::models::bayesian_network(x, {20, 20});
  std::vector<ed::RandomVariable> latent(m.weights.begin(), m.weights.end());
  latent.push_back(m.sigma);
  ed::MAP inference(latent, {{m.y, train.y}});
  inference.initialize({.optimizer = ed::Adam(0.01), .seed = 3});
  for (int i = 0; i < 2000; ++i) inference.update({{x, train.x}});
  const Matrix f = inference.session().run({m.f}, {{x, test.x}})[0];
  const double rmse = std::sqrt((f - test.y).squaredNorm() / test.y.rows());
  MESSAGE("test RMSE " << rmse);
  CHECK(rmse < 0.15);
}

TEST_CASE("matrix factorisation recovers a low-rank matrix from half its noisy entries") {
  const auto d = ed::models::simulate_low_rank(30, 25, 2, 0.5, 0.1, 21);
  const auto m = ed::models::matrix_factorization(d.rows, d.cols, 30, 25, 2, 0.1);
  ed::MAP inference({m.U, m.V}, {{m.r, d.values}});
  fit(inference, ed::LBFGS(), 300);
  const Matrix full = inference.value(m.U) * inference.value(m.V).transpose();
  double held_error = 0.0;
  for (ed::Index i = 0; i < d.held_rows.rows(); ++i) {
    const auto r = static_cast<ed::Index>(d.held_rows(i, 0)),
               c = static_cast<ed::Index>(d.held_cols(i, 0));
    held_error += std::pow(full(r, c) - d.truth(r, c), 2);
  }
  const double rmse = std::sqrt(held_error / d.held_rows.rows());
  MESSAGE("held-out RMSE " << rmse << " (entries have sd "
                           << std::sqrt(d.truth.squaredNorm() / d.truth.size()) << ")");
  CHECK(rmse < 0.25);
}

TEST_CASE("the change-point model finds its rates and the change, the change point summed out") {
  const Matrix counts = ed::models::simulate_change_point(80, 30, 5.0, 1.0, 17);
  const auto m = ed::models::change_point(counts);
  ed::NUTS nuts({m.early, m.late}, {});
  nuts.initialize({.n_iter = 500, .n_warmup = 500, .chains = 2, .seed = 4});
  nuts.run();
  // The rates' posteriors hold the truth within their central 99%.
  const Matrix early = nuts.draws(m.early), late = nuts.draws(m.late);
  CHECK(ed::quantile(early, 0.005) < 5.0);
  CHECK(ed::quantile(early, 0.995) > 5.0);
  CHECK(ed::quantile(late, 0.005) < 1.0);
  CHECK(ed::quantile(late, 0.995) > 1.0);
  // p(s | D) is a distribution and puts most of its mass within 5 steps of the change.
  const Matrix p = ed::models::change_point_posterior(counts, early, late);
  CHECK(p.sum() == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(p.middleRows(25, 11).sum() > 0.8);
  ed::clear_factors();
  CHECK_THROWS_WITH_AS(ed::models::change_point(Matrix::Ones(3, 2)),
                       doctest::Contains("change_point: counts must be one column"),
                       ed::invalid_argument);
}
