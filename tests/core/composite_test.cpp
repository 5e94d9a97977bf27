// Stan's functions made of ops (core/ops/composite.hpp): values against direct formulas and
// Eigen, gradients against finite differences at random points (broadcast shapes included) and
// at the extremes, and misuse named.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include <cmath>
#include <limits>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {
double value(const Tensor& t) { return ed::eval(t)(0, 0); }
}  // namespace

TEST_CASE("Phi_approx is the logistic approximation of Phi, with its gradient") {
  const auto in = ed::test::random_inputs({{6, 2}}, 1, -4.0, 4.0);
  const Matrix expected = in[0].unaryExpr(
      [](double x) { return 1.0 / (1.0 + std::exp(-(0.07056 * x * x * x + 1.5976 * x))); });
  CHECK(ed::test::all_close(ed::eval(ed::Phi_approx(in[0])), expected, 1e-14));
  // Within 1.4e-4 of Φ everywhere (Bowling et al. 2009).
  CHECK(ed::test::all_close(ed::eval(ed::Phi_approx(in[0])), ed::eval(ed::Phi(in[0])), 0, 1.5e-4));
  CHECK(
      ed::test::check_gradient([](auto& t) { return ed::Phi_approx(t[0]); }, in, {}, "Phi_approx"));
  // Far in the tails: 0 and 1, no NaN.
  CHECK(value(ed::Phi_approx(-40.0)) == 0.0);
  CHECK(value(ed::Phi_approx(40.0)) == 1.0);
}

TEST_CASE("log_sum_exp of two tensors: values, extremes, the tie's gradient, broadcasting") {
  std::uint64_t seed = 10;
  for (const ed::Shape& shape : ed::test::broadcast_variants(4, 3)) {
    const auto in = ed::test::random_inputs({{4, 3}, shape}, seed++, -5.0, 5.0);
    const Matrix b = in[1].replicate(4 / in[1].rows(), 3 / in[1].cols());
    const Matrix expected = (in[0].array().exp() + b.array().exp()).log().matrix();
    CHECK(ed::test::all_close(ed::eval(ed::log_sum_exp(in[0], in[1])), expected, 1e-14));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::log_sum_exp(t[0], t[1]); }, in, {},
                                   "log_sum_exp"));
  }
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(value(ed::log_sum_exp(1000.0, 1000.0)) == doctest::Approx(1000.0 + std::log(2.0)));
  CHECK(value(ed::log_sum_exp(-1000.0, -1000.0)) == doctest::Approx(-1000.0 + std::log(2.0)));
  CHECK(value(ed::log_sum_exp(1e3, -1e3)) == 1e3);
  CHECK(value(ed::log_sum_exp(-inf, -inf)) == -inf);
  CHECK(value(ed::log_sum_exp(-inf, 2.0)) == 2.0);
  // At a tie each argument gets half the gradient.
  const Tensor a = ed::variable(Matrix::Constant(1, 1, 0.3)),
               b = ed::variable(Matrix::Constant(1, 1, 0.3));
  ed::Program program({ed::log_sum_exp(a, b)}, {a, b});
  ed::Rng rng(1);
  program.forward({}, rng);
  program.backward();
  CHECK(program.gradient(0)(0, 0) == doctest::Approx(0.5).epsilon(1e-15));
  CHECK(program.gradient(1)(0, 0) == doctest::Approx(0.5).epsilon(1e-15));
}

TEST_CASE("log_mix is log(θ eᵃ + (1 − θ) eᵇ), with its gradient in all three") {
  const auto in = ed::test::random_inputs({{5, 1}, {5, 1}, {5, 1}}, 20, 0.05, 0.95);
  const Matrix a = in[1] * 8.0 - Matrix::Constant(5, 1, 4.0), b = in[2] * -3.0;
  const Matrix expected =
      (in[0].array() * a.array().exp() + (1.0 - in[0].array()) * b.array().exp()).log().matrix();
  CHECK(ed::test::all_close(ed::eval(ed::log_mix(in[0], a, b)), expected, 1e-13));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_mix(t[0], t[1], t[2]); },
                                 {in[0], a, b}, {}, "log_mix"));
  // Log densities far below: finite.
  CHECK(value(ed::log_mix(0.3, -2000.0, -2001.0)) ==
        doctest::Approx(-2000.0 + std::log(0.3 + 0.7 * std::exp(-1.0))));
}

TEST_CASE("fma, dot_product, quad_form, tcrossprod, diag_matrix, rep_matrix, mdivide_left") {
  const auto in = ed::test::random_inputs({{3, 3}, {3, 2}, {3, 1}, {3, 1}}, 30, -1.0, 1.0);
  const Matrix spd = in[0] * in[0].transpose() + Matrix::Identity(3, 3);
  CHECK(ed::test::all_close(ed::eval(ed::fma(in[2], in[3], 0.5)),
                            (in[2].array() * in[3].array() + 0.5).matrix(), 1e-15));
  CHECK(value(ed::dot_product(in[2], in[3])) == doctest::Approx(in[2].col(0).dot(in[3].col(0))));
  CHECK(ed::test::all_close(ed::eval(ed::quad_form(spd, in[1])), in[1].transpose() * spd * in[1],
                            1e-13));
  CHECK(ed::test::all_close(ed::eval(ed::tcrossprod(in[1])), in[1] * in[1].transpose(), 1e-14));
  CHECK(ed::test::all_close(ed::eval(ed::diag_matrix(in[2])), Matrix(in[2].col(0).asDiagonal()),
                            0.0));
  CHECK(ed::test::all_close(ed::eval(ed::rep_matrix(2.5, 2, 3)), Matrix::Constant(2, 3, 2.5), 0));
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_left(spd, in[1])), spd.lu().solve(in[1]), 1e-12,
                            1e-14));
  // Gradients, each in every argument.
  CHECK(ed::test::check_gradient([](auto& t) { return ed::fma(t[0], t[1], t[2]); },
                                 {in[2], in[3], in[1]}, {}, "fma"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::dot_product(t[0], t[1]); },
                                 {in[2], in[3]}, {}, "dot_product"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::quad_form(t[0], t[1]); }, {spd, in[1]},
                                 {}, "quad_form"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::tcrossprod(t[0]); }, {in[1]}, {},
                                 "tcrossprod"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::diag_matrix(t[0]); }, {in[2]}, {},
                                 "diag_matrix"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::rep_matrix(t[0], 2, 3); },
                                 {Matrix::Constant(1, 1, 0.7)}, {}, "rep_matrix"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::mdivide_left(t[0], t[1]); }, {spd, in[1]},
                                 {}, "mdivide_left"));
  // Misuse, named with the shapes.
  CHECK_THROWS_WITH_AS(ed::dot_product(in[2], in[1]),
                       "dot_product: shapes [3, 1] and [3, 2] differ", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::quad_form(in[1], in[2]),
                       "quad_form: needs a square A and x with A's rows, got [3, 2] and [3, 1]",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::diag_matrix(in[1]),
                       "diag_matrix: needs a column of known length, got [3, 2]",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::rep_matrix(in[2], 2, 2), doctest::Contains("rep_matrix: needs a 1×1"),
                       ed::invalid_argument);
}

TEST_CASE("segment_sum adds the rows of each group, with its gradient") {
  const auto in = ed::test::random_inputs({{6, 2}}, 40, -1.0, 1.0);
  const std::vector<ed::Index> group = {2, 0, 2, 1, 0, 2};
  Matrix expected = Matrix::Zero(3, 2);
  for (std::size_t i = 0; i < group.size(); ++i) {
    expected.row(group[i]) += in[0].row(static_cast<ed::Index>(i));
  }
  CHECK(ed::test::all_close(ed::eval(ed::segment_sum(in[0], group, 3)), expected, 1e-15));
  // An empty group sums to zero.
  CHECK(ed::eval(ed::segment_sum(in[0], group, 4)).row(3).isZero());
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::segment_sum(t[0], group, 3); }, in, {},
                                 "segment_sum"));
  CHECK_THROWS_WITH_AS(ed::segment_sum(in[0], {0, 1, 5, 0, 0, 0}, 3),
                       "segment_sum: group[2] is 5, outside [0, 3)", ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::segment_sum(in[0], {0, 1}, 3), "segment_sum: 2 group labels for 6 rows",
                       ed::invalid_argument);
}

TEST_CASE("max and min reductions: values, the winner's gradient, ties, NaN, axes") {
  const auto in = ed::test::random_inputs({{4, 3}}, 41, -2.0, 2.0);
  const Matrix& x = in[0];
  CHECK(value(ed::max(x)) == x.maxCoeff());
  CHECK(value(ed::min(x)) == x.minCoeff());
  CHECK(ed::test::all_close(ed::eval(ed::max_along(x, 0)), Matrix(x.colwise().maxCoeff()), 0));
  CHECK(ed::test::all_close(ed::eval(ed::min_along(x, 1)), Matrix(x.rowwise().minCoeff()), 0));
  // Distinct random values: away from ties the gradient is the one-hot of the winner.
  for (int axis : {-1, 0, 1}) {
    CAPTURE(axis);
    CHECK(ed::test::check_gradient(
        [axis](auto& t) { return axis < 0 ? ed::max(t[0]) : ed::max_along(t[0], axis); }, in, {},
        "max"));
    CHECK(ed::test::check_gradient(
        [axis](auto& t) { return axis < 0 ? ed::min(t[0]) : ed::min_along(t[0], axis); }, in, {},
        "min"));
  }
  // A tie sends the whole gradient to the first (column-major) of the tied elements.
  const Tensor tied = ed::variable((Matrix(2, 2) << 1.0, 3.0, 3.0, 0.0).finished());
  CHECK(ed::grad(ed::max(tied), {tied})[0] == (Matrix(2, 2) << 0.0, 0.0, 1.0, 0.0).finished());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK(std::isnan(value(ed::max((Matrix(1, 3) << 1.0, nan, 2.0).finished()))));
  CHECK_THROWS_WITH_AS(ed::max_along(x, 2), doctest::Contains("max_along: axis must be 0 or 1"),
                       ed::invalid_argument);
}

TEST_CASE("fmin, fmax, binary_log_loss, the mdivide family and rank") {
  const auto in = ed::test::random_inputs({{3, 3}, {3, 2}, {3, 1}}, 42, -1.0, 1.0);
  const Matrix spd = in[0] * in[0].transpose() + Matrix::Identity(3, 3);
  Matrix lower = in[0].triangularView<Eigen::Lower>();
  lower.diagonal().array() += 2.0;
  const Matrix b = in[1], bt = in[1].transpose();
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_left_spd(spd, b)), Matrix(spd.ldlt().solve(b)),
                            1e-12));
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_right_spd(bt, spd)),
                            Matrix(spd.ldlt().solve(b).transpose()), 1e-12));
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_right(bt, in[0])), Matrix(bt * in[0].inverse()),
                            1e-11));
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_left_tri_low(lower, b)),
                            Matrix(lower.triangularView<Eigen::Lower>().solve(b)), 1e-12));
  CHECK(ed::test::all_close(ed::eval(ed::mdivide_right_tri_low(bt, lower)),
                            Matrix(bt * lower.inverse()), 1e-12));
  // Gradients: the spd matrix as A Aᵀ + I, the triangular one's lower part.
  const Tensor eye = Matrix(Matrix::Identity(3, 3));
  CHECK(ed::test::check_gradient(
      [&](auto& t) { return ed::mdivide_left_spd(ed::tcrossprod(t[0]) + eye, t[1]); }, {in[0], b},
      {}, "mdivide_left_spd"));
  CHECK(ed::test::check_gradient(
      [&](auto& t) {
        return ed::mdivide_right_spd(ed::transpose(t[1]), ed::tcrossprod(t[0]) + eye);
      },
      {in[0], b}, {}, "mdivide_right_spd"));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::mdivide_right(t[1], t[0] + 3.0 * eye); },
                                 {in[0], Matrix(bt)}, {}, "mdivide_right"));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::mdivide_right_tri_low(t[1], t[0]); },
                                 {lower, Matrix(bt)}, {}, "mdivide_right_tri_low"));
  // fmin/fmax are minimum/maximum; binary_log_loss at labels 0, 1 and a soft label, and 0·log 0.
  CHECK(ed::test::all_close(ed::eval(ed::fmax(in[1], in[2])),
                            Matrix(in[1].array().max(in[2].replicate(1, 2).array())), 0));
  const Matrix y = (Matrix(1, 4) << 0.0, 1.0, 0.3, 1.0).finished();
  const Matrix p = (Matrix(1, 4) << 0.2, 0.7, 0.6, 1.0).finished();
  const Matrix loss = ed::eval(ed::binary_log_loss(y, p));
  CHECK(loss(0, 0) == doctest::Approx(-std::log(0.8)));
  CHECK(loss(0, 1) == doctest::Approx(-std::log(0.7)));
  CHECK(loss(0, 2) == doctest::Approx(-0.3 * std::log(0.6) - 0.7 * std::log(0.4)));
  CHECK(loss(0, 3) == 0.0);
  CHECK(ed::test::check_gradient(
      [&](auto& t) { return ed::binary_log_loss(Matrix(y.leftCols(3)), t[0]); },
      {Matrix(p.leftCols(3))}, {}, "binary_log_loss"));
  // rank: the count of smaller elements, ties counting neither way.
  const Matrix v = (Matrix(5, 1) << 0.3, -1.0, 2.0, 0.3, 5.0).finished();
  CHECK(ed::eval(ed::rank(v)) == (Matrix(5, 1) << 1.0, 0.0, 3.0, 1.0, 4.0).finished());
  CHECK_THROWS_WITH_AS(ed::rank(in[1]), "rank: needs a column, got shape [3, 2]",
                       ed::invalid_argument);
}
