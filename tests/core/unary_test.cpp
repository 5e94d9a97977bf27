// Elementwise functions: values against plain Eigen / Boost.Math, gradients, extreme inputs.
#include <doctest/doctest.h>

#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/bessel.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <boost/math/special_functions/binomial.hpp>
#include <boost/math/special_functions/digamma.hpp>
#include <boost/math/special_functions/erf.hpp>
#include <boost/math/special_functions/gamma.hpp>

#include <cmath>
#include <limits>
#include <numbers>

#include "tests/support/gradient_check.hpp"

namespace {

using ed::Matrix;
using ed::Tensor;

struct UnaryCase {
  const char* name;
  Tensor (*build)(const Tensor&);
  double (*reference)(double);
  double low, high;  // the domain the random inputs are drawn from
};

const UnaryCase kCases[] = {
    {"exp", ed::exp, [](double x) { return std::exp(x); }, -3, 3},
    {"log", ed::log, [](double x) { return std::log(x); }, 0.1, 4},
    {"log1p", ed::log1p, [](double x) { return std::log1p(x); }, -0.9, 4},
    {"expm1", ed::expm1, [](double x) { return std::expm1(x); }, -3, 3},
    {"sqrt", ed::sqrt, [](double x) { return std::sqrt(x); }, 0.1, 4},
    {"square", ed::square, [](double x) { return x * x; }, -3, 3},
    {"abs", ed::abs, [](double x) { return std::abs(x); }, -3, 3},
    {"tanh", ed::tanh, [](double x) { return std::tanh(x); }, -3, 3},
    {"sigmoid", ed::sigmoid, [](double x) { return 1.0 / (1.0 + std::exp(-x)); }, -5, 5},
    {"log_sigmoid", ed::log_sigmoid, [](double x) { return -std::log1p(std::exp(-x)); }, -5, 5},
    {"softplus", ed::softplus, [](double x) { return std::log1p(std::exp(x)); }, -5, 5},
    {"relu", ed::relu, [](double x) { return std::max(x, 0.0); }, -3, 3},
    {"lgamma", ed::lgamma, [](double x) { return boost::math::lgamma(x); }, 0.2, 6},
    {"digamma", ed::digamma, [](double x) { return boost::math::digamma(x); }, 0.3, 6},
    {"sin", ed::sin, [](double x) { return std::sin(x); }, -4, 4},
    {"cos", ed::cos, [](double x) { return std::cos(x); }, -4, 4},
    {"erf", ed::erf, [](double x) { return boost::math::erf(x); }, -2.5, 2.5},
    {"erfc", ed::erfc, [](double x) { return boost::math::erfc(x); }, -2.5, 2.5},
    {"Phi", ed::Phi,
     [](double x) { return boost::math::cdf(boost::math::normal_distribution<double>(), x); }, -4,
     4},
    {"inv_Phi", ed::inv_Phi,
     [](double p) { return boost::math::quantile(boost::math::normal_distribution<double>(), p); },
     0.02, 0.98},
    {"log1m", ed::log1m, [](double x) { return std::log1p(-x); }, -3, 0.9},
    {"log1m_exp", ed::log1m_exp, [](double x) { return std::log(1.0 - std::exp(x)); }, -5, -0.05},
};

}  // namespace

TEST_CASE("unary ops match their scalar definitions and finite differences") {
  std::uint64_t seed = 100;
  for (const UnaryCase& c : kCases) {
    for (const ed::Shape& shape : ed::test::broadcast_variants(5, 3)) {
      CAPTURE(c.name);
      const auto in = ed::test::random_inputs({shape}, seed++, c.low, c.high);
      const Matrix expected = in[0].unaryExpr(c.reference);
      CHECK(ed::test::all_close(ed::eval(c.build(in[0])), expected, 1e-13, 1e-15));
      CHECK(ed::test::check_gradient([&](auto& t) { return c.build(t[0]); }, in, {}, c.name));
    }
  }
}

TEST_CASE("pow matches std::pow and its gradient for several exponents") {
  for (double p : {2.0, 0.5, -1.5, 3.0, 1.0}) {
    CAPTURE(p);
    const auto in = ed::test::random_inputs({{4, 3}}, 9, 0.2, 3.0);
    CHECK(ed::test::all_close(ed::eval(ed::pow(in[0], p)),
                              in[0].unaryExpr([p](double x) { return std::pow(x, p); }), 1e-14));
    CHECK(ed::test::check_gradient([p](auto& t) { return ed::pow(t[0], p); }, in, {}, "pow"));
  }
}

TEST_CASE("sigmoid, log_sigmoid and softplus stay finite and accurate at logits of ±1e3") {
  Matrix x(1, 6);
  x << -1e3, -40.0, -1e-9, 1e-9, 40.0, 1e3;
  const Matrix s = ed::eval(ed::sigmoid(x));
  const Matrix ls = ed::eval(ed::log_sigmoid(x));
  const Matrix sp = ed::eval(ed::softplus(x));
  CHECK(s.allFinite());
  CHECK(ls.allFinite());
  CHECK(sp.allFinite());
  CHECK(s(0, 0) < 1e-300);  // e^-1000 underflows (Eigen's exp clamps to a subnormal)
  CHECK(s(0, 1) == doctest::Approx(std::exp(-40.0)).epsilon(1e-12));
  CHECK(s(0, 5) == 1.0);
  CHECK(ls(0, 0) == doctest::Approx(-1e3).epsilon(1e-15));
  CHECK(ls(0, 4) == doctest::Approx(-std::exp(-40.0)).epsilon(1e-12));
  CHECK(sp(0, 5) == doctest::Approx(1e3).epsilon(1e-15));
  CHECK(sp(0, 1) == doctest::Approx(std::exp(-40.0)).epsilon(1e-12));
  // Gradients in the tails: finite and exact.
  const Tensor v = ed::variable(x, "x");
  const Matrix g_ls = ed::grad(ed::sum(ed::log_sigmoid(v)), {v})[0];
  const Matrix g_sp = ed::grad(ed::sum(ed::softplus(v)), {v})[0];
  CHECK(g_ls.allFinite());
  CHECK(g_sp.allFinite());
  CHECK(g_ls(0, 0) == 1.0);
  CHECK(g_ls(0, 5) < 1e-300);
  CHECK(g_sp(0, 1) == doctest::Approx(std::exp(-40.0)).epsilon(1e-12));
  CHECK(g_sp(0, 5) == 1.0);
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_sigmoid(t[0]) + ed::softplus(t[0]); },
                                 {Matrix::Constant(2, 1, 30.0)}));
}

TEST_CASE("lgamma and digamma follow Boost.Math at the poles without throwing") {
  Matrix x(1, 3);
  x << 0.0, -1.0, -2.5;
  const Matrix lg = ed::eval(ed::lgamma(x));
  CHECK(std::isinf(lg(0, 0)));
  CHECK(std::isinf(lg(0, 1)));
  CHECK(lg(0, 2) == doctest::Approx(boost::math::lgamma(-2.5)).epsilon(1e-14));
  CHECK(std::isnan(ed::eval(ed::digamma(x))(0, 1)));
  CHECK(ed::eval(ed::lgamma(Tensor(1e8)))(0, 0) ==
        doctest::Approx(boost::math::lgamma(1e8)).epsilon(1e-15));
}

TEST_CASE("log and sqrt give the IEEE answers outside their domain instead of failing") {
  CHECK(ed::eval(ed::log(Tensor(0.0)))(0, 0) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(ed::eval(ed::log(Tensor(-1.0)))(0, 0)));
  CHECK(std::isnan(ed::eval(ed::sqrt(Tensor(-1.0)))(0, 0)));
}

TEST_CASE("Stan's log-space functions stay exact at the ends of their domains") {
  auto at = [](Tensor (*f)(const Tensor&), double x) {
    return ed::eval(f(Tensor(Matrix::Constant(1, 1, x))))(0, 0);
  };
  // log1m_exp: log(−expm1(x)) near 0, log1p(−eˣ) far below; no cancellation at either end.
  CHECK(at(ed::log1m_exp, -1e-10) == doctest::Approx(std::log(1e-10)).epsilon(1e-9));
  CHECK(at(ed::log1m_exp, -50.0) == doctest::Approx(-std::exp(-50.0)).epsilon(1e-14));
  CHECK(at(ed::log1m_exp, -1e3) == 0.0);
  CHECK(at(ed::log1m_exp, 0.0) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(at(ed::log1m_exp, 0.5)));
  // Φ and Φ⁻¹ in the tails: Φ(−30) ≈ 4.9e-198 (relative accuracy kept), Φ⁻¹ of tiny p finite.
  const boost::math::normal_distribution<double> normal;
  CHECK(at(ed::Phi, -30.0) == doctest::Approx(boost::math::cdf(normal, -30.0)).epsilon(1e-12));
  CHECK(at(ed::Phi, 40.0) == 1.0);
  CHECK(at(ed::inv_Phi, 1e-300) ==
        doctest::Approx(boost::math::quantile(normal, 1e-300)).epsilon(1e-12));
  CHECK(at(ed::inv_Phi, 0.0) == -std::numeric_limits<double>::infinity());
  CHECK(std::isnan(at(ed::inv_Phi, 1.5)));
  CHECK(at(ed::log1m, 1e-12) == doctest::Approx(-1e-12).epsilon(1e-12));
  // Gradients at the extremes stay finite where the maths is: d log1m_exp at −1e3 is −e^−1000.
  const Tensor far = ed::variable(Matrix::Constant(1, 1, -1e3));
  const auto g = ed::grad(ed::log1m_exp(far), {far});
  CHECK(g[0](0, 0) == doctest::Approx(-std::exp(-1e3)));
  CHECK(g[0](0, 0) <= 0.0);
}

TEST_CASE("log_diff_exp, lbeta and lchoose: values, broadcast gradients, extremes") {
  std::uint64_t seed = 300;
  for (const ed::Shape& shape : ed::test::broadcast_variants(4, 3)) {
    // log_diff_exp(a, b) with a > b: a = b + d, d > 0.
    auto in = ed::test::random_inputs({{4, 3}, shape}, seed++, 0.1, 3.0);
    const Matrix b = in[1].replicate(4 / in[1].rows(), 3 / in[1].cols());
    const Matrix a = b + in[0];
    const Matrix lde = ed::eval(ed::log_diff_exp(a, in[1]));
    const Matrix expected = (a.array().exp() - b.array().exp()).log().matrix();
    CHECK(ed::test::all_close(lde, expected, 1e-12, 1e-14));
    CHECK(ed::test::check_gradient(
        [](const auto& x) { return ed::log_diff_exp(x[0] + x[1], x[1]); }, in, {}, "log_diff_exp"));
    // lbeta and lchoose against Boost.Math.
    const Matrix lb = ed::eval(ed::lbeta(in[0], in[1]));
    for (ed::Index i = 0; i < 4; ++i) {
      for (ed::Index j = 0; j < 3; ++j) {
        CHECK(lb(i, j) ==
              doctest::Approx(std::log(boost::math::beta(in[0](i, j), b(i, j)))).epsilon(1e-12));
      }
    }
    CHECK(ed::test::check_gradient([](const auto& x) { return ed::lbeta(x[0], x[1]); }, in, {},
                                   "lbeta"));
    CHECK(ed::test::check_gradient([](const auto& x) { return ed::lchoose(x[0] + x[1], x[1]); }, in,
                                   {}, "lchoose"));
  }
  CHECK(ed::eval(ed::lchoose(Tensor(10.0), Tensor(3.0)))(0, 0) ==
        doctest::Approx(std::log(boost::math::binomial_coefficient<double>(10, 3))).epsilon(1e-13));
  // Far apart, log_diff_exp is a: no overflow of eᵃ.
  CHECK(ed::eval(ed::log_diff_exp(Tensor(1000.0), Tensor(0.0)))(0, 0) == 1000.0);
  CHECK(ed::eval(ed::log_diff_exp(Tensor(2.0), Tensor(2.0)))(0, 0) ==
        -std::numeric_limits<double>::infinity());
}

TEST_CASE(
    "log_Phi, log_bessel_i0, bessel_i1_over_i0, atan and step: values in both tails, gradients") {
  auto at = [](Tensor (*f)(const Tensor&), double x) {
    return ed::eval(f(Tensor(Matrix::Constant(1, 1, x))))(0, 0);
  };
  // log Φ against long double (whose range holds Φ(−100) ≈ 1e-2174), across the switch at −37.
  for (double x : {-100.0, -40.0, -37.5, -36.5, -10.0, -1.0, 0.0, 2.0, 8.0}) {
    CAPTURE(x);
    const long double phi =
        0.5L * boost::math::erfc(-static_cast<long double>(x) / std::sqrt(2.0L));
    CHECK(at(ed::log_Phi, x) == doctest::Approx(double(std::log(phi))).epsilon(1e-13));
  }
  CHECK(std::isfinite(at(ed::log_Phi, -1e150)));
  CHECK(at(ed::log_Phi, 40.0) == 0.0);
  // log I₀ against long double Boost (I₀(1e4) ≈ e^10000 fits its range), across the switch at
  // 700; beyond, against the series' first two terms.
  for (double x : {0.0, 1e-6, 0.5, 3.0, 50.0, 699.0, 701.0, 1e4, 1e6}) {
    CAPTURE(x);
    if (x <= 1e4) {
      const long double i0 = boost::math::cyl_bessel_i(0, static_cast<long double>(x));
      const long double i1 = boost::math::cyl_bessel_i(1, static_cast<long double>(x));
      CHECK(at(ed::log_bessel_i0, x) == doctest::Approx(double(std::log(i0))).epsilon(1e-13));
      CHECK(at(ed::bessel_i1_over_i0, x) == doctest::Approx(double(i1 / i0)).epsilon(1e-13));
    } else {  // e^x / √(2πx) (1 + 1/8x + …)
      CHECK(at(ed::log_bessel_i0, x) ==
            doctest::Approx(x - 0.5 * std::log(2 * std::numbers::pi * x) + 1 / (8 * x))
                .epsilon(1e-13));
    }
  }
  CHECK(std::isnan(at(ed::log_bessel_i0, -1.0)));
  CHECK(at(ed::atan, 1.0) == doctest::Approx(std::numbers::pi / 4).epsilon(1e-15));
  CHECK(at(ed::step, -1e-300) == 0.0);
  CHECK(at(ed::step, 0.0) == 1.0);  // as Stan's step
  CHECK(at(ed::step, 2.0) == 1.0);
  // Gradients at random points, and in the tails on both sides of each switch.
  const auto mixed = ed::test::random_inputs({{5, 3}}, 71, -6.0, 6.0);
  const auto positive = ed::test::random_inputs({{5, 3}}, 72, 0.05, 20.0);
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_Phi(t[0]); }, mixed, {}, "log_Phi"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::atan(t[0]); }, mixed, {}, "atan"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_bessel_i0(t[0]); }, positive, {},
                                 "log_bessel_i0"));
  CHECK(ed::test::check_gradient([](auto& t) { return ed::bessel_i1_over_i0(t[0]); }, positive, {},
                                 "bessel_i1_over_i0"));
  const Matrix tails = (Matrix(1, 3) << -60.0, -36.9, -37.1).finished();
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_Phi(t[0]); }, {tails}, {.rel = 1e-6},
                                 "log_Phi tails"));
  const Matrix large = (Matrix(1, 2) << 690.0, 800.0).finished();
  CHECK(ed::test::check_gradient([](auto& t) { return ed::log_bessel_i0(t[0]); }, {large},
                                 {.rel = 1e-6}, "log_bessel_i0 beyond 700"));
  // d log Φ(x) ≈ −x far in the lower tail (Mills' ratio).
  const Tensor far = ed::variable(Matrix::Constant(1, 1, -1e3));
  CHECK(ed::grad(ed::log_Phi(far), {far})[0](0, 0) == doctest::Approx(1e3).epsilon(1e-5));
}

TEST_CASE("atan2, pow and log_rising_factorial of two tensors: values, broadcast gradients") {
  std::uint64_t seed = 900;
  for (const ed::Shape& shape : ed::test::broadcast_variants(4, 3)) {
    CAPTURE(ed::to_string(shape));
    const auto in = ed::test::random_inputs({{4, 3}, shape}, seed++, 0.2, 3.0);
    const Matrix b = in[1].replicate(4 / in[1].rows(), 3 / in[1].cols());
    const Matrix signed_a = in[0].array() - 1.5;  // all four quadrants for atan2
    CHECK(ed::test::all_close(
        ed::eval(ed::atan2(signed_a, in[1])),
        signed_a.binaryExpr(b, [](double y, double x) { return std::atan2(y, x); }), 1e-15));
    CHECK(ed::test::all_close(
        ed::eval(ed::pow(in[0], in[1])),
        in[0].binaryExpr(b, [](double x, double y) { return std::pow(x, y); }), 1e-14));
    CHECK(ed::test::all_close(
        ed::eval(ed::log_rising_factorial(in[0], in[1])),
        in[0].binaryExpr(b, [](double x, double n) { return std::lgamma(x + n) - std::lgamma(x); }),
        1e-12, 1e-13));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::atan2(t[0] - 1.5, t[1] - 1.0); }, in,
                                   {}, "atan2"));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::pow(t[0], t[1]); }, in, {}, "pow"));
    CHECK(ed::test::check_gradient([](auto& t) { return ed::log_rising_factorial(t[0], t[1]); }, in,
                                   {}, "log_rising_factorial"));
  }
  // atan2 on the axes, pow at 0, and the rising factorial where lgamma differences cancel.
  auto at2 = [](Tensor (*f)(const Tensor&, const Tensor&), double a, double b) {
    return ed::eval(f(Tensor(a), Tensor(b)))(0, 0);
  };
  CHECK(at2(ed::atan2, 0.0, -1.0) == doctest::Approx(std::numbers::pi));
  CHECK(at2(ed::atan2, -1.0, 0.0) == doctest::Approx(-std::numbers::pi / 2));
  CHECK(at2(ed::pow, 0.0, 2.5) == 0.0);
  const Tensor x = ed::variable(Matrix::Constant(1, 1, 0.0)), y = ed::variable(Matrix::Ones(1, 1));
  const auto g = ed::grad(ed::pow(x, y * 2.5), {x, y});
  CHECK(g[0](0, 0) == 0.0);
  CHECK(g[1](0, 0) == 0.0);  // xʸ log x at x = 0 is 0, not NaN
  // log Γ(1e12 + 2) − log Γ(1e12) = log(1e12(1e12 + 1)) to double precision.
  CHECK(at2(ed::log_rising_factorial, 1e12, 2.0) ==
        doctest::Approx(std::log(1e12) + std::log(1e12 + 1)).epsilon(1e-15));
  CHECK(at2(ed::log_rising_factorial, 3.0, 0.0) == 0.0);
}

TEST_CASE("log_rising_factorial beyond the range of its ratio: large counts and rates") {
  // Γ(x + n)/Γ(x) far outside double's range, where the lgamma difference is exact enough.
  for (double x : {0.01, 0.5, 40.0, 1e3}) {
    for (double n : {150.0, 3000.0}) {
      CAPTURE(x);
      CAPTURE(n);
      CHECK(ed::eval(ed::log_rising_factorial(Tensor(x), Tensor(n)))(0, 0) ==
            doctest::Approx(std::lgamma(x + n) - std::lgamma(x)).epsilon(1e-12));
    }
  }
}
