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
