// Bijectors: round trips, log|det J| against a finite-difference Jacobian, gradients.
#include <doctest/doctest.h>

#include <Eigen/Dense>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Support;
using ed::Tensor;

namespace {
// log |det J| of one row's map u ↦ x (first K−1 outputs for the simplex) by central differences.
double numeric_log_det(const Support& s, const Matrix& u_row) {
  const ed::Index n = u_row.cols();
  Matrix J(n, n);
  for (ed::Index j = 0; j < n; ++j) {
    Matrix up = u_row, down = u_row;
    up(0, j) += 1e-6;
    down(0, j) -= 1e-6;
    const Matrix d = (ed::eval(ed::constrain(s, up)) - ed::eval(ed::constrain(s, down))) / 2e-6;
    J.col(j) = d.row(0).head(n).transpose();
  }
  return std::log(std::abs(J.determinant()));
}
}  // namespace

TEST_CASE("every bijector round-trips and its log|det J| matches finite differences") {
  const std::vector<Support> supports = {Support::real(), Support::positive(),
                                         Support::unit_interval(), Support::interval(-2.0, 5.0),
                                         Support::simplex()};
  for (const Support& s : supports) {
    CAPTURE(ed::to_string(s));
    const Matrix u = ed::test::random_inputs({{4, 3}}, 95)[0];
    const Matrix x = ed::eval(ed::constrain(s, u));
    CHECK(ed::test::all_close(ed::unconstrain(s, x), u, 1e-10, 1e-12));
    if (s == Support::simplex()) {
      CHECK(x.cols() == 4);
      CHECK((x.rowwise().sum().array() - 1.0).abs().maxCoeff() < 1e-14);
      CHECK((x.array() > 0.0).all());
      const Matrix ld = ed::eval(ed::log_det_jacobian(s, u));
      for (int i = 0; i < 4; ++i) {
        CHECK(ld(i, 0) == doctest::Approx(numeric_log_det(s, u.row(i))).epsilon(1e-7));
      }
    } else {
      // Elementwise maps: log |dx/du| per element.
      const Matrix ld = ed::eval(ed::log_det_jacobian(s, u));
      const Matrix dx = (ed::eval(ed::constrain(s, Matrix(u.array() + 1e-6))) -
                         ed::eval(ed::constrain(s, Matrix(u.array() - 1e-6)))) /
                        2e-6;
      CHECK(ed::test::all_close(ld, dx.array().abs().log().matrix(), 1e-7, 1e-9));
    }
    CHECK(ed::test::check_gradient([&](auto& t) { return ed::constrain(s, t[0]); }, {u}, {},
                                   "constrain"));
    CHECK(ed::test::check_gradient([&](auto& t) { return ed::log_det_jacobian(s, t[0]); }, {u}, {},
                                   "log_det_jacobian"));
  }
  CHECK(ed::test::all_close(ed::eval(ed::constrain(Support::simplex(), Matrix::Zero(1, 3))),
                            Matrix::Constant(1, 4, 0.25), 1e-15));
  CHECK_THROWS_WITH_AS(ed::constrain(Support::nonnegative_integer(), Matrix::Zero(1, 1)),
                       "bijector: the nonnegative_integer support is discrete and has no map from "
                       "the real line",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::unconstrain(Support::positive(), Matrix::Constant(1, 1, -1.0)),
                       "bijector: the value is outside the positive support", ed::invalid_argument);
}
