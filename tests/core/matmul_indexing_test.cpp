// matmul, affine (and its fused relu), transpose, col, concat, gather, clip and where.
#include <doctest/doctest.h>

#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("matmul and transpose match Eigen and finite differences") {
  for (auto [n, k, m] : {std::tuple{4, 3, 2}, {1, 3, 1}, {5, 1, 4}, {1, 1, 1}}) {
    const auto in = ed::test::random_inputs({{n, k}, {k, m}}, 30 + n);
    // To rounding: the dispatched kernel may use FMA (Note [SIMD dispatch]).
    CHECK(ed::test::all_close(ed::eval(ed::matmul(in[0], in[1])), in[0] * in[1], 1e-14, 1e-15));
    CHECK(
        ed::test::check_gradient([](auto& t) { return ed::matmul(t[0], t[1]); }, in, {}, "matmul"));
    CHECK(
        ed::test::check_gradient([](auto& t) { return ed::transpose(t[0]); }, in, {}, "transpose"));
  }
  CHECK(ed::eval(ed::transpose(Matrix::Identity(2, 3))).rows() == 3);
  CHECK_THROWS_WITH_AS(
      ed::matmul(Matrix::Zero(3, 2), Matrix::Zero(4, 2)),
      "matmul: shapes [3, 2] and [4, 2] are not aligned (2 columns against 4 rows)",
      ed::invalid_argument);
}

// Note [Small products]: shapes on both sides of the direct kernels' limits (16 rows at
// AVX-512, an inner dimension of 64), with row and column remainders.
TEST_CASE("affine and the fused relu of affine match Eigen and finite differences") {
  for (auto [n, k, m] : {std::tuple{4, 3, 2}, {37, 5, 13}, {16, 3, 1}, {20, 70, 3}, {1, 1, 1}}) {
    CAPTURE(n);
    const auto in = ed::test::random_inputs({{n, k}, {k, m}, {1, m}}, 50 + n);
    const Matrix pre = (in[0] * in[1]).rowwise() + in[2].row(0);
    CHECK(ed::test::all_close(ed::eval(ed::affine(in[0], in[1], in[2])), pre, 1e-14, 1e-15));
    const Tensor fused = ed::relu(ed::affine(in[0], in[1], in[2]));
    CHECK(fused.node()->op->name() == "affine_relu");
    CHECK(ed::test::all_close(ed::eval(fused), pre.cwiseMax(0.0), 1e-14, 1e-15));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::affine(t[0], t[1], t[2]); }, in, {},
                                   "affine"));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::relu(ed::affine(t[0], t[1], t[2])); },
                                   in, {}, "affine_relu"));
  }
  // relu of anything else is the plain op.
  CHECK(ed::relu(ed::matmul(Matrix::Ones(2, 2), Matrix::Ones(2, 2))).node()->op->name() == "relu");
}

TEST_CASE("col picks one column, checked against the shape") {
  const Matrix x = ed::test::random_inputs({{4, 3}}, 40)[0];
  CHECK(ed::test::all_close(ed::eval(ed::col(x, 2)), x.col(2), 0.0));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::col(t[0], 1) * ed::col(t[0], 1); }, {x}));
  CHECK_THROWS_WITH_AS(ed::col(x, 3), "col: column 3 is out of range for shape [4, 3]",
                       ed::invalid_argument);
}

TEST_CASE("concat joins along either axis and splits the gradient back") {
  const auto in = ed::test::random_inputs({{2, 3}, {1, 3}, {4, 3}}, 41);
  Matrix rows(7, 3);
  rows << in[0], in[1], in[2];
  CHECK(ed::test::all_close(ed::eval(ed::concat({in[0], in[1], in[2]}, 0)), rows, 0.0));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::concat({t[0], t[1], t[2]}, 0); }, in));
  const auto cols = ed::test::random_inputs({{3, 2}, {3, 1}}, 42);
  Matrix joined(3, 3);
  joined << cols[0], cols[1];
  CHECK(ed::test::all_close(ed::eval(ed::concat({cols[0], cols[1]}, 1)), joined, 0.0));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::concat({t[0], t[1], t[0]}, 1); }, cols));
  CHECK_THROWS_WITH_AS(ed::concat({in[0], cols[0]}, 0),
                       "concat: along axis 0 shapes [2, 3] and [3, 2] do not match in their other "
                       "dimension",
                       ed::invalid_argument);
}

TEST_CASE("gather picks one entry per row by integer label and rejects bad labels") {
  const Matrix x = ed::test::random_inputs({{3, 4}}, 43)[0];
  const Matrix labels = (Matrix(3, 1) << 2, 0, 3).finished();
  const Matrix g = ed::eval(ed::gather(x, labels));
  CHECK(g(0, 0) == x(0, 2));
  CHECK(g(1, 0) == x(1, 0));
  CHECK(g(2, 0) == x(2, 3));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::gather(t[0], labels); }, {x}));
  // A one-row x broadcasts over the labels.
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::gather(t[0], labels); },
                                 {Matrix(x.row(0))}));
  CHECK_THROWS_WITH_AS(ed::eval(ed::gather(x, (Matrix(3, 1) << 2, 4, 0).finished())),
                       "gather: label[1, 0] is 4, but must be an integer in [0, 4)",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(ed::gather(x, (Matrix(3, 1) << 2, 1, 0.5).finished())),
                       "gather: label[2, 0] is 0.5, but must be an integer in [0, 4)",
                       ed::invalid_argument);
}

TEST_CASE("clip and where select elementwise and route the gradient to the chosen input") {
  const Matrix x = ed::test::random_inputs({{4, 3}}, 44)[0];
  CHECK(ed::test::all_close(ed::eval(ed::clip(x, -0.5, 0.5)), x.cwiseMax(-0.5).cwiseMin(0.5), 0.0));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::clip(t[0], -0.5, 0.5); }, {x}));
  CHECK_THROWS_AS(ed::clip(x, 1.0, 0.0), ed::invalid_argument);

  std::uint64_t seed = 45;
  for (const ed::Shape& sc : ed::test::broadcast_variants(4, 3)) {
    for (const ed::Shape& sa : ed::test::broadcast_variants(4, 3)) {
      auto in = ed::test::random_inputs({sc, sa, {4, 3}}, seed++);
      const Matrix cond = (in[0].array() > 0.0).cast<double>();
      const Matrix c_full = cond.replicate(sc.rows == 1 ? 4 : 1, sc.cols == 1 ? 3 : 1);
      const Matrix a_full = in[1].replicate(sa.rows == 1 ? 4 : 1, sa.cols == 1 ? 3 : 1);
      const Matrix expected = (c_full.array() != 0.0).select(a_full, in[2]);
      CHECK(ed::test::all_close(ed::eval(ed::where(cond, in[1], in[2])), expected, 0.0));
      CHECK(ed::test::check_gradient([&](auto& t) { return ed::where(cond, t[0], t[1]); },
                                     {in[1], in[2]}));
    }
  }
}

TEST_CASE("row and gather_rows pick rows and scatter gradients back, repeats adding up") {
  const Matrix x = ed::test::random_inputs({{4, 3}}, 46)[0];
  CHECK(ed::eval(ed::row(x, 2)) == Matrix(x.row(2)));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::row(t[0], 3); }, {x}));
  const Matrix idx = (Matrix(5, 1) << 3, 0, 3, 1, 3).finished();
  const Matrix picked = ed::eval(ed::gather_rows(x, idx));
  CHECK(picked.row(0) == x.row(3));
  CHECK(picked.row(3) == x.row(1));
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::gather_rows(t[0], idx); }, {x}));
  CHECK_THROWS_WITH_AS(ed::eval(ed::gather_rows(x, (Matrix(1, 1) << 4).finished())),
                       "gather_rows: index[0, 0] is 4, but must be an integer in [0, 4)",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::row(x, 4), "row: row 4 is out of range for shape [4, 3]",
                       ed::invalid_argument);
}

TEST_CASE("broadcast_like takes a shape without reading values, and folds gradients back") {
  const double inf = std::numeric_limits<double>::infinity();
  const Matrix like = Matrix::Constant(3, 2, inf);
  const Matrix out = ed::eval(ed::broadcast_like(Matrix::Constant(1, 2, 1.5), like));
  CHECK(out == Matrix::Constant(3, 2, 1.5));
  CHECK(ed::test::check_gradient(
      [&](auto& t) { return ed::broadcast_like(t[0], Matrix::Zero(4, 3)); },
      ed::test::random_inputs({{4, 1}}, 47)));
}

TEST_CASE("slice_rows and reshape keep values in order and route gradients back") {
  const Matrix x = ed::test::random_inputs({{5, 2}}, 77)[0];
  CHECK(ed::test::all_close(ed::eval(ed::slice_rows(x, 1, 3)), x.middleRows(1, 3)));
  const Matrix r = ed::eval(ed::reshape(x, 2, 5));
  CHECK(r(1, 2) == x.data()[5]);
  CHECK(ed::test::check_gradient([](auto& t) { return ed::slice_rows(t[0], 2, 2); }, {x}));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::reshape(t[0], 10, 1); }, {x}));
  CHECK_THROWS_WITH_AS(ed::slice_rows(x, 4, 2),
                       "slice_rows: rows [4, 6) are out of range for shape [5, 2]",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::reshape(x, 3, 3), "reshape: cannot make shape [3, 3] from [5, 2]",
                       ed::invalid_argument);
}

TEST_CASE("rbf matches its definition and its gradients match finite differences") {
  const auto in = ed::test::random_inputs({{4, 3}, {5, 3}}, 61);
  const double lengthscale = 0.7, variance = 1.8;
  const Matrix K = ed::eval(ed::rbf(in[0], in[1], lengthscale, variance));
  REQUIRE(K.rows() == 4);
  REQUIRE(K.cols() == 5);
  for (ed::Index i = 0; i < 4; ++i) {
    for (ed::Index j = 0; j < 5; ++j) {
      const double d2 = (in[0].row(i) - in[1].row(j)).squaredNorm();
      CHECK(K(i, j) == doctest::Approx(variance * std::exp(-0.5 * d2 / (lengthscale * lengthscale)))
                           .epsilon(1e-12));
    }
  }
  // The kernel of X with itself has the variance on its diagonal, exactly (rounding clipped).
  const Matrix self = ed::eval(ed::rbf(in[0]));
  CHECK(self.diagonal().isApproxToConstant(1.0, 1e-14));
  CHECK(self.isApprox(self.transpose()));
  // Gradients in both inputs, a scalar lengthscale, one lengthscale per column, the variance.
  const auto scales = ed::test::random_inputs({{1, 1}, {1, 3}, {1, 1}}, 62, 0.5, 2.0);
  CHECK(ed::test::check_gradient([](auto& t) { return ed::rbf(t[0], t[1], t[2], t[3]); },
                                 {in[0], in[1], scales[0], scales[2]}, {}, "rbf"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::rbf(t[0], t[1], t[2]); },
                                 {in[0], in[1], scales[1]}, {}, "rbf per-dimension lengthscale"));
  CHECK_THROWS_WITH_AS(ed::rbf(Matrix::Zero(3, 2), Matrix::Zero(3, 4)),
                       "rbf: the inputs have 2 and 4 columns (shapes [3, 2] and [3, 4])",
                       ed::invalid_argument);
}

TEST_CASE("gp_exp_quad_cov equals rbf with α² and ρ, with gradients in α and ρ") {
  const auto in = ed::test::random_inputs({{6, 2}}, 64);
  const double alpha = 1.7, rho = 0.8;
  const Matrix K = ed::eval(ed::gp_exp_quad_cov(in[0], alpha, rho));
  CHECK(ed::test::all_close(K, ed::eval(ed::rbf(in[0], in[0], rho, alpha * alpha)), 1e-13, 1e-15));
  CHECK(K.diagonal().isApproxToConstant(alpha * alpha, 1e-14));
  const auto scales = ed::test::random_inputs({{1, 1}, {1, 1}}, 65, 0.5, 2.0);
  CHECK(ed::test::check_gradient([&](auto& t) { return ed::gp_exp_quad_cov(in[0], t[0], t[1]); },
                                 scales, {}, "gp_exp_quad_cov"));
  // Extremes: a lengthscale of 1e-8 leaves the identity times α², one of 1e8 a constant matrix;
  // both finite, and so are their gradients.
  const Matrix tiny = ed::eval(ed::gp_exp_quad_cov(in[0], alpha, 1e-8));
  CHECK(ed::test::all_close(tiny, alpha * alpha * Matrix::Identity(6, 6), 0.0, 1e-300));
  const Matrix huge = ed::eval(ed::gp_exp_quad_cov(in[0], alpha, 1e8));
  CHECK(huge.isApproxToConstant(alpha * alpha, 1e-14));
  for (double r : {1e-8, 1e8}) {
    const Tensor rho_var = ed::variable(Matrix::Constant(1, 1, r));
    const Tensor alpha_var = ed::variable(Matrix::Constant(1, 1, alpha));
    const auto g =
        ed::grad(ed::sum(ed::gp_exp_quad_cov(in[0], alpha_var, rho_var)), {alpha_var, rho_var});
    CHECK(g[0].allFinite());
    CHECK(g[1].allFinite());
  }
  CHECK_THROWS_WITH_AS(ed::eval(ed::gp_exp_quad_cov(in[0], alpha, -1.0)),
                       "gp_exp_quad_cov: rho must be positive and finite, got -1",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::gp_exp_quad_cov(in[0], Matrix::Ones(1, 2), rho),
                       "gp_exp_quad_cov: alpha must be 1×1, got [1, 2]", ed::invalid_argument);
}

TEST_CASE("add_diag adds a scalar or a vector to the diagonal, with gradients in both") {
  const auto in = ed::test::random_inputs({{4, 4}, {1, 1}, {4, 1}, {1, 4}}, 66);
  Matrix expected = in[0];
  expected.diagonal().array() += in[1](0, 0);
  CHECK(ed::test::all_close(ed::eval(ed::add_diag(in[0], in[1])), expected, 0.0, 0.0));
  expected = in[0];
  expected.diagonal() += in[2].col(0);
  CHECK(ed::test::all_close(ed::eval(ed::add_diag(in[0], in[2])), expected, 0.0, 0.0));
  expected = in[0];
  expected.diagonal() += in[3].row(0).transpose();
  CHECK(ed::test::all_close(ed::eval(ed::add_diag(in[0], in[3])), expected, 0.0, 0.0));
  for (int k = 1; k <= 3; ++k) {
    CAPTURE(k);
    CHECK(ed::test::check_gradient([](auto& t) { return ed::add_diag(t[0], t[1]); },
                                   {in[0], in[static_cast<std::size_t>(k)]}, {}, "add_diag"));
  }
  // Note [Assigned gradients]: add_diag assigns a gradient it reaches first; where its inputs
  // also feed other ops, the contributions add.
  CHECK(ed::test::check_gradient(
      [](auto& t) { return ed::add_diag(t[0], t[1]) * t[0] + ed::add_diag(t[0], ed::sum(t[1])); },
      {in[0], in[2]}, {}, "add_diag with shared inputs"));
  CHECK_THROWS_WITH_AS(ed::add_diag(Matrix::Zero(3, 3), Matrix::Zero(2, 1)),
                       "add_diag: the diagonal [2, 1] fits neither as a scalar nor as a vector "
                       "along the [3, 3] matrix",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::add_diag(Matrix::Zero(2, 3), 1.0),
                       "add_diag: needs a square matrix, got shape [2, 3]", ed::invalid_argument);
}

TEST_CASE("squared_distances matches its definition and its gradients finite differences") {
  const auto in = ed::test::random_inputs({{4, 3}, {5, 3}}, 63);
  const Matrix D = ed::eval(ed::squared_distances(in[0], in[1]));
  REQUIRE(D.rows() == 4);
  REQUIRE(D.cols() == 5);
  for (ed::Index i = 0; i < 4; ++i) {
    for (ed::Index j = 0; j < 5; ++j) {
      CHECK(D(i, j) == doctest::Approx((in[0].row(i) - in[1].row(j)).squaredNorm()).epsilon(1e-12));
    }
  }
  // A point's distance to itself is exactly 0, never a negative rounding error.
  CHECK((ed::eval(ed::squared_distances(in[0], in[0])).diagonal().array() >= 0.0).all());
  CHECK(ed::test::check_gradient([](auto& t) { return ed::squared_distances(t[0], t[1]); }, in, {},
                                 "squared_distances"));
  CHECK_THROWS_WITH_AS(ed::squared_distances(Matrix::Zero(3, 2), Matrix::Zero(3, 4)),
                       "squared_distances: the inputs have 2 and 4 columns (shapes [3, 2] and "
                       "[3, 4])",
                       ed::invalid_argument);
}
