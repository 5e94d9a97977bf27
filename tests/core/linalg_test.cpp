// Stan's matrix functions: log_determinant, inverse and cumulative_sum against Eigen, with
// gradients.
#include <doctest/doctest.h>

#include <Eigen/LU>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("log_determinant and inverse match Eigen, and their gradients finite differences") {
  for (ed::Index d : {1, 2, 4}) {
    CAPTURE(d);
    // A well-conditioned matrix with a negative determinant for d > 1 (one row flipped).
    Matrix a = ed::test::random_inputs({{d, d}}, 600 + static_cast<std::uint64_t>(d))[0] +
               3.0 * Matrix::Identity(d, d);
    a.row(0) *= -1.0;
    CHECK(ed::eval(ed::log_determinant(a))(0, 0) ==
          doctest::Approx(std::log(std::abs(a.determinant()))).epsilon(1e-12));
    CHECK(ed::test::all_close(ed::eval(ed::inverse(a)), a.inverse(), 1e-12, 1e-14));
    CHECK(ed::test::check_gradient([](const auto& x) { return ed::log_determinant(x[0]); }, {a}, {},
                                   "log_determinant"));
    CHECK(ed::test::check_gradient([](const auto& x) { return ed::inverse(x[0]); }, {a}, {},
                                   "inverse"));
  }
  // A singular matrix: log |det| = −inf, no exception.
  CHECK(ed::eval(ed::log_determinant(Matrix::Ones(3, 3)))(0, 0) ==
        -std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH_AS(ed::inverse(ed::placeholder({2, 3}, "m")),
                       doctest::Contains("inverse: needs a square matrix, got shape [2, 3]"),
                       ed::invalid_argument);
  // Scales of 1e-8 and 1e8: log |det| exact where det itself under- or overflows.
  const Matrix tiny = 1e-8 * Matrix::Identity(50, 50), huge = 1e8 * Matrix::Identity(50, 50);
  CHECK(ed::eval(ed::log_determinant(tiny))(0, 0) ==
        doctest::Approx(50 * std::log(1e-8)).epsilon(1e-14));
  CHECK(ed::eval(ed::log_determinant(huge))(0, 0) ==
        doctest::Approx(50 * std::log(1e8)).epsilon(1e-14));
}

TEST_CASE("cumulative_sum runs along vectors and down columns, with the reversed sum as gradient") {
  const Matrix column = (Matrix(4, 1) << 1, 2, 3, 4).finished();
  CHECK(ed::eval(ed::cumulative_sum(column)) == (Matrix(4, 1) << 1, 3, 6, 10).finished());
  CHECK(ed::eval(ed::cumulative_sum(Matrix(column.transpose()))) ==
        (Matrix(1, 4) << 1, 3, 6, 10).finished());
  const Matrix m = (Matrix(2, 2) << 1, 2, 3, 4).finished();
  CHECK(ed::eval(ed::cumulative_sum(m)) == (Matrix(2, 2) << 1, 2, 4, 6).finished());
  for (const ed::Shape& shape : {ed::Shape{5, 1}, ed::Shape{1, 5}, ed::Shape{4, 3}}) {
    const auto in = ed::test::random_inputs({shape}, 610);
    CHECK(ed::test::check_gradient([](const auto& x) { return ed::cumulative_sum(x[0]); }, in, {},
                                   "cumulative_sum"));
  }
}

TEST_CASE("linear_recurrence is the bidiagonal solve, with its gradient, column by column") {
  const auto in = ed::test::random_inputs({{7, 3}}, 81, -1.0, 1.0);
  const double a = -0.8;
  // Against the dense solve of (I − aS) e = r.
  Matrix system = Matrix::Identity(7, 7);
  system.diagonal(-1).setConstant(-a);
  const Matrix expected = system.triangularView<Eigen::Lower>().solve(in[0]);
  CHECK(ed::test::all_close(ed::eval(ed::linear_recurrence(in[0], Tensor(a))), expected, 1e-13));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::linear_recurrence(t[0], t[1]); },
                                 {in[0], Matrix::Constant(1, 1, a)}, {}, "linear_recurrence"));
  // Long series stay O(T): 100,000 steps with |a| < 1 stay finite.
  const Matrix long_r = Matrix::Ones(100000, 1);
  CHECK(ed::eval(ed::linear_recurrence(long_r, Tensor(0.5)))(99999, 0) == doctest::Approx(2.0));
  CHECK_THROWS_WITH_AS(ed::linear_recurrence(in[0], Tensor(Matrix::Ones(2, 1))),
                       "linear_recurrence: a must be 1×1, got [2, 1]", ed::invalid_argument);
}
