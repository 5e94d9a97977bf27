// Mixtures: both forms against brute force, the fused normal-mixture op against the generic
// composition, gradients, far tails, sampling.
#include <doctest/doctest.h>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
// log Σ_k softmax(L)_k N(y | M_k, S_k), summed naively in long double.
Matrix brute_force(const Matrix& L, const Matrix& M, const Matrix& S, const Matrix& y) {
  Matrix out(L.rows(), 1);
  for (ed::Index i = 0; i < L.rows(); ++i) {
    long double total = 0, norm = 0;
    for (ed::Index k = 0; k < L.cols(); ++k) norm += std::exp((long double)L(i, k));
    for (ed::Index k = 0; k < L.cols(); ++k) {
      const long double z = (y(i, 0) - M(i, k)) / S(i, k);
      total += std::exp((long double)L(i, k)) / norm * std::exp(-0.5L * z * z) /
               (S(i, k) * std::sqrt(2.0L * M_PI));
    }
    out(i, 0) = static_cast<double>(std::log(total));
  }
  return out;
}
}  // namespace

TEST_CASE("both Mixture forms match brute force") {
  const auto in = ed::test::random_inputs({{20, 4}, {20, 4}, {20, 4}, {20, 1}}, 70);
  const Matrix S = in[2].array().abs() + 0.2;
  const Matrix expected = brute_force(in[0], in[1], S, in[3]);
  const ed::Categorical cat(in[0]);
  CHECK(ed::test::all_close(ed::eval(ed::Mixture(cat, ed::Normal(in[1], S)).log_prob(in[3])),
                            expected, 1e-12));
  std::vector<ed::RandomVariable> components;
  for (int k = 0; k < 4; ++k) components.push_back(ed::Normal(ed::col(in[1], k), ed::col(S, k)));
  CHECK(
      ed::test::all_close(ed::eval(ed::Mixture(cat, components).log_prob(in[3])), expected, 1e-12));
  CHECK_THROWS_WITH_AS(
      ed::Mixture(cat, std::vector<ed::RandomVariable>(components.begin(), components.begin() + 3)),
      "Mixture: 3 components but the Categorical's logits have 4 columns", ed::invalid_argument);
}

TEST_CASE("the fused normal mixture equals the generic composition, value and gradient") {
  const auto in = ed::test::random_inputs({{6, 3}, {6, 3}, {6, 3}, {6, 1}}, 71);
  auto generic = [](const Tensor& L, const Tensor& M, const Tensor& S, const Tensor& y) {
    const Tensor z = (y - M) / S;
    return ed::logsumexp(ed::log_softmax(L) - 0.5 * ed::square(z) - ed::log(S) -
                         0.5 * std::log(2.0 * M_PI));
  };
  auto fused = [](const Tensor& L, const Tensor& M, const Tensor& S, const Tensor& y) {
    return ed::Mixture(ed::Categorical(L), ed::Normal(M, S)).log_prob(y);
  };
  const Matrix S = in[2].array().abs() + 0.3;
  CHECK(ed::test::all_close(ed::eval(fused(in[0], in[1], S, in[3])),
                            ed::eval(generic(in[0], in[1], S, in[3])), 1e-13));
  // Gradients of the fused op in every input, scales both as exp(s) (the MDN head) and direct.
  CHECK(ed::test::check_gradient([&](auto& t) { return fused(t[0], t[1], ed::exp(t[2]), t[3]); },
                                 in, {}, "mixture/exp"));
  CHECK(ed::test::check_gradient([&](auto& t) { return fused(t[0], t[1], t[2], t[3]); },
                                 {in[0], in[1], S, in[3]}, {}, "mixture/direct"));
  // Broadcast parameters: one row of logits, one column of scales, a scalar y.
  const auto b = ed::test::random_inputs({{1, 3}, {6, 3}, {6, 1}, {1, 1}}, 72);
  const Matrix Sb = b[2].array().abs() + 0.3;
  CHECK(ed::test::all_close(ed::eval(fused(b[0], b[1], Sb, b[3])),
                            ed::eval(generic(b[0], b[1], Sb, b[3])), 1e-13));
  CHECK(ed::test::check_gradient([&](auto& t) { return fused(t[0], t[1], t[2], t[3]); },
                                 {b[0], b[1], Sb, b[3]}, {}, "mixture/broadcast"));
  // The same with the scales made as exp(u): the op that takes u alone.
  CHECK(ed::test::all_close(ed::eval(fused(b[0], b[1], ed::exp(b[2]), b[3])),
                            ed::eval(generic(b[0], b[1], b[2].array().exp().matrix(), b[3])),
                            1e-13));
  CHECK(ed::test::check_gradient([&](auto& t) { return fused(t[0], t[1], ed::exp(t[2]), t[3]); }, b,
                                 {}, "mixture/broadcast exp"));
  // A mix of both (one scale made as exp(u), one not) takes the general op.
  CHECK(ed::test::check_gradient(
      [&](auto& t) {
        return ed::Mixture(ed::Categorical(t[0]), {ed::Normal(ed::col(t[1], 0), ed::exp(t[2])),
                                                   ed::Normal(ed::col(t[1], 1), t[3])})
            .log_prob(0.3);
      },
      {in[0].leftCols(2), in[1].leftCols(2), in[3], S.col(0)}, {}, "mixture/list"));
}

TEST_CASE("a mixture evaluated 1e6 standard deviations from every component stays finite") {
  const Matrix L = Matrix::Zero(1, 2), M = (Matrix(1, 2) << 0.0, 1.0).finished();
  const Matrix lp = ed::eval(ed::Mixture(ed::Categorical(L), ed::Normal(M, 1.0)).log_prob(1e6));
  // The nearer component dominates: log(½) − ½(1e6 − 1)² − ½ log 2π (+ a negligible term).
  CHECK(lp(0, 0) ==
        doctest::Approx(std::log(0.5) - 0.5 * (1e6 - 1) * (1e6 - 1) - 0.5 * std::log(2 * M_PI))
            .epsilon(1e-15));
  const Tensor v = ed::variable(M, "m");
  const auto g =
      ed::grad(ed::sum(ed::Mixture(ed::Categorical(L), ed::Normal(v, 1.0)).log_prob(1e6)), {v});
  CHECK(g[0].allFinite());
  CHECK(g[0](0, 1) == doctest::Approx(1e6 - 1));
}

TEST_CASE("the fused mixture names a non-positive component scale") {
  const Matrix S = (Matrix(2, 2) << 1.0, 1.0, 1.0, 0.0).finished();
  CHECK_THROWS_WITH_AS(
      ed::eval(ed::Mixture(ed::Categorical(Matrix::Zero(2, 2)), ed::Normal(Matrix::Zero(2, 2), S))
                   .log_prob(0.0)),
      "Normal: scale[1, 1] is 0, but must be positive", ed::invalid_argument);
}

TEST_CASE("mixture samples have the mixture's mean and variance") {
  const Matrix L = (Matrix(1, 2) << std::log(0.3), std::log(0.7)).finished();
  const Matrix M = (Matrix(1, 2) << -2.0, 3.0).finished();
  const Matrix S = (Matrix(1, 2) << 0.5, 1.0).finished();
  const ed::Mixture y(ed::Categorical(L.replicate(100000, 1)), ed::Normal(M, S));
  ed::Session session(3);
  const Matrix draws = session.run({y})[0];
  const double mean = 0.3 * -2.0 + 0.7 * 3.0;
  const double var = 0.3 * (0.25 + 4.0) + 0.7 * (1.0 + 9.0) - mean * mean;
  CHECK(ed::eval(ed::Mixture(ed::Categorical(L), ed::Normal(M, S)).mean())(0, 0) ==
        doctest::Approx(mean));
  CHECK(ed::eval(ed::Mixture(ed::Categorical(L), ed::Normal(M, S)).variance())(0, 0) ==
        doctest::Approx(var));
  CHECK(std::abs(draws.mean() - mean) < 5.0 * std::sqrt(var / 1e5));
  const double sample_var = (draws.array() - draws.mean()).square().mean();
  CHECK(std::abs(sample_var - var) < 0.05 * var);
}

TEST_CASE("a mixture of multivariate components in Edward's list form samples whole rows") {
  const Matrix pi = (Matrix(1, 2) << 0.3, 0.7).finished();
  const ed::Mixture x(ed::Categorical::from_probs(pi.replicate(50000, 1)),
                      {ed::MultivariateNormalDiag((Matrix(1, 2) << -5.0, 0.0).finished(), 0.1),
                       ed::MultivariateNormalDiag((Matrix(1, 2) << 5.0, 1.0).finished(), 0.1)});
  ed::Session session(8);
  const Matrix draws = session.run({x})[0];
  REQUIRE(draws.cols() == 2);
  // Each row comes whole from one component: (−5, 0) or (5, 1).
  const Eigen::ArrayXd from_second = (draws.col(0).array() > 0.0).cast<double>();
  CHECK(((draws.col(1).array() - from_second).abs() < 0.6).all());
  CHECK(std::abs(from_second.mean() - 0.7) < 5 * std::sqrt(0.21 / 50000));
}
