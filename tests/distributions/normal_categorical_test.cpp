// Normal, Categorical and PointMass: densities against Boost.Math, gradients, samplers, errors.
#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>

#include <cmath>
#include <limits>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("Normal.log_prob matches Boost.Math and its gradient matches finite differences") {
  const auto in = ed::test::random_inputs({{25, 1}, {25, 1}, {25, 1}}, 60);
  const Matrix scale = in[1].array().abs() + 0.1;
  const Matrix lp = ed::eval(ed::Normal(in[0], scale).log_prob(in[2]));
  for (ed::Index i = 0; i < 25; ++i) {
    const boost::math::normal_distribution<> ref(in[0](i, 0), scale(i, 0));
    CHECK(lp(i, 0) == doctest::Approx(std::log(pdf(ref, in[2](i, 0)))).epsilon(1e-12));
  }
  for (const ed::Shape& s : ed::test::broadcast_variants(4, 3)) {
    CHECK(ed::test::check_gradient(
        [](auto& t) { return ed::Normal(t[0], ed::exp(t[1])).log_prob(t[2]); },
        ed::test::random_inputs({s, {1, 1}, {4, 3}}, 61), {}, "Normal.log_prob"));
  }
}

TEST_CASE("Normal.log_prob is right at every broadcast combination of x, loc and scale") {
  // The fused op visits each operand as a full column, a broadcast column or a single value:
  // all 64 combinations of the four shapes of a 4 × 3 value, against Boost and finite
  // differences in all three inputs.
  const auto shapes = ed::test::broadcast_variants(4, 3);
  std::uint64_t seed = 100;
  for (const ed::Shape& sx : shapes) {
    for (const ed::Shape& sm : shapes) {
      for (const ed::Shape& ss : shapes) {
        CAPTURE(ed::to_string(sx));
        CAPTURE(ed::to_string(sm));
        CAPTURE(ed::to_string(ss));
        auto in = ed::test::random_inputs({sx, sm, ss}, ++seed);
        in[2] = in[2].array().abs() + 0.2;
        const Matrix lp = ed::eval(ed::Normal(in[1], in[2]).log_prob(in[0]));
        const ed::Index rows = std::max({sx.rows, sm.rows, ss.rows});
        const ed::Index cols = std::max({sx.cols, sm.cols, ss.cols});
        REQUIRE(lp.rows() == rows);
        REQUIRE(lp.cols() == cols);
        auto at = [](const Matrix& m, ed::Index i, ed::Index j) {
          return m(m.rows() == 1 ? 0 : i, m.cols() == 1 ? 0 : j);
        };
        for (ed::Index i = 0; i < rows; ++i) {
          for (ed::Index j = 0; j < cols; ++j) {
            const boost::math::normal_distribution<> ref(at(in[1], i, j), at(in[2], i, j));
            CHECK(lp(i, j) == doctest::Approx(std::log(pdf(ref, at(in[0], i, j)))).epsilon(1e-12));
          }
        }
        CHECK(
            ed::test::check_gradient([](auto& t) { return ed::Normal(t[1], t[2]).log_prob(t[0]); },
                                     in, {}, "Normal.log_prob"));
        // A constant scale enters with its logarithm as a node computed once: gradients in x
        // and loc through that form.
        const Matrix constant_scale = in[2];
        CHECK(ed::test::check_gradient(
            [&](auto& t) { return ed::Normal(t[1], constant_scale).log_prob(t[0]); },
            {in[0], in[1]}, {}, "Normal.log_prob with a constant scale"));
        // A scale made as exp(u) enters with u as its log scale: values and gradients again.
        const Matrix log_scale = in[2].array().log();
        CHECK(ed::test::all_close(ed::eval(ed::Normal(in[1], ed::exp(log_scale)).log_prob(in[0])),
                                  lp, 1e-12));
        CHECK(ed::test::check_gradient(
            [](auto& t) { return ed::Normal(t[1], ed::exp(t[2])).log_prob(t[0]); },
            {in[0], in[1], log_scale}, {}, "Normal.log_prob with scale exp(u)"));
      }
    }
  }
}

TEST_CASE("Normal.log_prob stays finite and exact at scales of 1e-8 and 1e8") {
  // Closed form: −½z² − log σ − ½ log 2π.
  const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
  CHECK(ed::eval(ed::Normal(0.0, 1e-8).log_prob(3e-8))(0, 0) ==
        doctest::Approx(-4.5 - std::log(1e-8) - half_log_2pi).epsilon(1e-13));
  CHECK(ed::eval(ed::Normal(0.0, 1e8).log_prob(1e8))(0, 0) ==
        doctest::Approx(-0.5 - std::log(1e8) - half_log_2pi).epsilon(1e-13));
  CHECK(ed::eval(ed::Normal(0.0, 1.0).log_prob(1e6))(0, 0) ==
        doctest::Approx(-5e11 - half_log_2pi).epsilon(1e-15));
}

TEST_CASE("Normal rejects a non-positive scale, naming it") {
  CHECK_THROWS_WITH_AS(ed::eval(ed::Normal(0.0, -1.0).log_prob(0.0)),
                       "Normal: scale[0, 0] is -1, but must be positive", ed::invalid_argument);
  const Matrix scales = (Matrix(3, 1) << 1.0, 2.0, -0.5).finished();
  CHECK_THROWS_WITH_AS(ed::eval(ed::Normal(0.0, scales).log_prob(0.0)),
                       "Normal: scale[2, 0] is -0.5, but must be positive", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::Normal(Matrix::Zero(3, 1), Matrix::Ones(4, 1)),
                       "Normal: loc [3, 1] and scale [4, 1] do not broadcast",
                       ed::invalid_argument);
}

TEST_CASE("Normal samples have the right moments, reproduce with a seed, and reparameterise") {
  const ed::Normal x(Matrix::Constant(100000, 1, 2.0), 3.0);
  ed::Session a(5), b(5);
  const Matrix draws = a.run({x})[0];
  CHECK(draws == b.run({x})[0]);
  const double mean = draws.mean();
  const double var = (draws.array() - mean).square().sum() / (draws.size() - 1);
  CHECK(std::abs(mean - 2.0) < 5.0 * 3.0 / std::sqrt(1e5));
  CHECK(std::abs(var - 9.0) < 5.0 * 9.0 * std::sqrt(2.0 / 1e5));
  // d(μ + σε)/dμ = 1 per element; d/dσ = ε.
  const Tensor mu = ed::variable(Matrix::Zero(1, 1), "mu");
  const auto g = ed::grad(ed::sum(ed::Normal(mu * Matrix::Ones(10, 1), 1.0).sample()), {mu});
  CHECK(g[0](0, 0) == doctest::Approx(10.0));
}

TEST_CASE("Categorical.log_prob is log softmax at the label, with logits of ±1e3") {
  Matrix logits(3, 3);
  logits << 1.0, 2.0, 3.0, -1e3, 0.0, 1e3, 0.0, 0.0, 0.0;
  const Matrix labels = (Matrix(3, 1) << 2, 0, 1).finished();
  const Matrix lp = ed::eval(ed::Categorical(logits).log_prob(labels));
  CHECK(lp(0, 0) == doctest::Approx(3.0 - std::log(std::exp(1.0) + std::exp(2.0) + std::exp(3.0)))
                        .epsilon(1e-14));
  CHECK(lp(1, 0) == doctest::Approx(-2e3).epsilon(1e-14));
  CHECK(lp(2, 0) == doctest::Approx(-std::log(3.0)).epsilon(1e-14));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::Categorical(t[0]).log_prob(labels); },
                                 ed::test::random_inputs({{3, 3}}, 62)));
  const Matrix p = (Matrix(1, 3) << 0.2, 0.3, 0.5).finished();
  CHECK(ed::eval(ed::Categorical::from_probs(p).log_prob(2.0))(0, 0) ==
        doctest::Approx(std::log(0.5)).epsilon(1e-14));
  // Off the support {0, 1, 2} the log mass is −inf, as for every family (no throw).
  const Matrix off = ed::eval(
      ed::Categorical(Matrix::Zero(1, 3)).log_prob((Matrix(4, 1) << 2, 3, 1.5, -1).finished()));
  CHECK(std::isfinite(off(0, 0)));
  CHECK(off(1, 0) == -std::numeric_limits<double>::infinity());
  CHECK(off(2, 0) == -std::numeric_limits<double>::infinity());
  CHECK(off(3, 0) == -std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH_AS(
      ed::eval(ed::Categorical::from_probs((Matrix(1, 2) << 0.5, 1.5).finished()).log_prob(0.0)),
      "Categorical: probs[0, 1] is 1.5, but must be in [0, 1]", ed::invalid_argument);
}

TEST_CASE("Categorical samples follow the softmax probabilities") {
  const Matrix logits = (Matrix(1, 3) << 0.0, std::log(2.0), std::log(7.0)).finished();
  const ed::Categorical c(logits.replicate(100000, 1));
  ed::Session session(9);
  const Matrix draws = session.run({c})[0];
  for (int k = 0; k < 3; ++k) {
    const double p = std::vector<double>{0.1, 0.2, 0.7}[k];
    const double freq = (draws.array() == double(k)).cast<double>().mean();
    CHECK(std::abs(freq - p) < 5.0 * std::sqrt(p * (1 - p) / 1e5));
  }
}

TEST_CASE("PointMass puts all mass on its value") {
  const ed::PointMass q(Matrix::Constant(2, 1, 1.5));
  CHECK(ed::eval(q.sample()) == Matrix::Constant(2, 1, 1.5));
  CHECK(ed::eval(q.mean()) == Matrix::Constant(2, 1, 1.5));
  const Matrix lp = ed::eval(q.log_prob((Matrix(2, 1) << 1.5, 2.0).finished()));
  CHECK(lp(0, 0) == 0.0);
  CHECK(lp(1, 0) == -std::numeric_limits<double>::infinity());
}
