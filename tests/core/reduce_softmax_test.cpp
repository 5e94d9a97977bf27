// sum/mean along axes; logsumexp, softmax and log_softmax: values, gradients, extremes.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("sum and mean follow numpy's axis convention") {
  const Matrix x = ed::test::random_inputs({{4, 3}}, 1)[0];
  CHECK(ed::eval(ed::sum(x))(0, 0) == doctest::Approx(x.sum()).epsilon(1e-15));
  CHECK(ed::test::all_close(ed::eval(ed::sum(x, 0)), x.colwise().sum(), 1e-15));
  CHECK(ed::test::all_close(ed::eval(ed::sum(x, 1)), x.rowwise().sum(), 1e-15));
  CHECK(ed::eval(ed::mean(x))(0, 0) == doctest::Approx(x.mean()).epsilon(1e-15));
  CHECK(ed::test::all_close(ed::eval(ed::mean(x, 0)), x.colwise().mean(), 1e-15));
  CHECK(ed::test::all_close(ed::eval(ed::mean(x, 1)), x.rowwise().mean(), 1e-15));
  CHECK_THROWS_WITH_AS(ed::sum(x, 2), "sum: axis must be 0 or 1, got 2", ed::invalid_argument);
}

TEST_CASE("reductions have exact gradients at every shape") {
  std::uint64_t seed = 20;
  for (const ed::Shape& s : ed::test::broadcast_variants(4, 3)) {
    const auto in = ed::test::random_inputs({s}, seed++);
    CHECK(ed::test::check_gradient([](auto& t) { return ed::sum(t[0]); }, in, {}, "sum"));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::mean(t[0]); }, in, {}, "mean"));
    for (int axis : {0, 1}) {
      CAPTURE(axis);
      CHECK(ed::test::check_gradient([axis](auto& t) { return ed::sum(t[0], axis); }, in));
      CHECK(ed::test::check_gradient([axis](auto& t) { return ed::mean(t[0], axis); }, in));
      CHECK(ed::test::check_gradient([axis](auto& t) { return ed::logsumexp(t[0], axis); }, in, {},
                                     "logsumexp"));
      CHECK(ed::test::check_gradient([axis](auto& t) { return ed::softmax(t[0], axis); }, in, {},
                                     "softmax"));
      CHECK(ed::test::check_gradient([axis](auto& t) { return ed::log_softmax(t[0], axis); }, in,
                                     {}, "log_softmax"));
    }
  }
}

TEST_CASE("logsumexp, softmax and log_softmax match the direct formulas") {
  const Matrix x = ed::test::random_inputs({{5, 4}}, 2)[0];
  const Matrix lse_rows = x.array().exp().rowwise().sum().log().matrix();
  const Matrix lse_cols = x.array().exp().colwise().sum().log().matrix();
  CHECK(ed::test::all_close(ed::eval(ed::logsumexp(x)), lse_rows, 1e-14));
  CHECK(ed::test::all_close(ed::eval(ed::logsumexp(x, 0)), lse_cols, 1e-14));
  const Matrix sm = (x.colwise() - lse_rows.col(0)).array().exp().matrix();
  CHECK(ed::test::all_close(ed::eval(ed::softmax(x)), sm, 1e-14));
  CHECK(ed::test::all_close(ed::eval(ed::log_softmax(x)), x.colwise() - lse_rows.col(0), 1e-14));
  CHECK(ed::test::all_close(ed::eval(ed::softmax(x, 0)),
                            (x.rowwise() - lse_cols.row(0)).array().exp().matrix(), 1e-14));
}

TEST_CASE("softmax family stays finite for logits of ±1e3 and handles infinities") {
  Matrix x(2, 3);
  x << 1e3, -1e3, 999.0, -1e3, -1e3 + 1.0, -1e3;
  const Matrix lse = ed::eval(ed::logsumexp(x));
  CHECK(lse(0, 0) == doctest::Approx(1e3 + std::log1p(std::exp(-1.0))).epsilon(1e-15));
  CHECK(lse(1, 0) == doctest::Approx(-1e3 + 1.0 + std::log1p(2.0 * std::exp(-1.0))).epsilon(1e-15));
  const Matrix ls = ed::eval(ed::log_softmax(x));
  CHECK(ls.allFinite());
  CHECK(ls(0, 1) == doctest::Approx(-2e3 - std::log1p(std::exp(-1.0))).epsilon(1e-15));
  CHECK(ed::eval(ed::softmax(x)).allFinite());
  CHECK(
      ed::test::check_gradient([](auto& t) { return ed::log_softmax(t[0]); }, {x}, {.step = 1e-3}));

  const double inf = std::numeric_limits<double>::infinity();
  Matrix y(2, 2);
  y << -inf, -inf, -inf, 0.0;
  const Matrix l = ed::eval(ed::logsumexp(y));
  CHECK(l(0, 0) == -inf);  // log of an empty sum
  CHECK(l(1, 0) == 0.0);
  CHECK(ed::eval(ed::logsumexp(Matrix(3, 0)))(2, 0) == -inf);
}

TEST_CASE("weighted_total: Σ w Σ term in one node, equal to the chain of sums and adds") {
  const auto in = ed::test::random_inputs({{4, 3}, {1, 3}, {1, 1}}, 40);
  // A term made by sum(x) contributes x itself: the sum node is not part of the total's graph.
  const Tensor a = in[0], b = in[1], c = in[2];
  const Tensor total = ed::detail::weighted_total({{ed::sum(a), 1.0}, {b, -2.5}, {c, 0.5}});
  CHECK(ed::Program({total}).num_nodes() == 4);  // a, b, c and the total
  CHECK(total.shape() == ed::Shape{1, 1});
  // The same additions in the same order as the chain of adds: equal to the bit.
  const double chained = ed::eval(ed::sum(a) + -2.5 * ed::sum(b) + 0.5 * ed::sum(c))(0, 0);
  CHECK(ed::eval(total)(0, 0) == chained);
  CHECK(ed::eval(ed::detail::weighted_total({{a, -1.0}}))(0, 0) == -in[0].sum());

  // Gradients: w_k everywhere, whether the op assigns an input's gradient (its first
  // contribution), adds to one another node reached first (the square of a below), or gets
  // the same input twice.
  CHECK(ed::test::check_gradient(
      [](auto& t) {
        return ed::detail::weighted_total({{ed::sum(t[0]), 1.0}, {t[1], -2.5}, {t[2], 0.5}});
      },
      in, {}, "weighted_total"));
  CHECK(ed::test::check_gradient(
      [](auto& t) {
        return ed::detail::weighted_total({{t[0], 0.3}, {ed::square(t[0]), 1.0}, {t[0], 2.0}});
      },
      {in[0]}, {}, "weighted_total, one input thrice"));

  CHECK_THROWS_WITH_AS(ed::detail::weighted_total({}), "total: no terms", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::detail::weighted_total({{Tensor(), 1.0}}),
                       "total: a term Tensor is empty", ed::invalid_argument);
}
