// Closed-form KL divergences of the registry against numerical integration, with gradients.
#include <doctest/doctest.h>

#include <boost/math/distributions/gamma.hpp>
#include <boost/math/quadrature/exp_sinh.hpp>

#include <cmath>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

namespace {

// ∫ q log(q / p) over (0, ∞) for Gamma(shape a, rate b) densities, by exp-sinh quadrature.
double gamma_kl_by_quadrature(double aq, double bq, double ap, double bp) {
  const boost::math::gamma_distribution<double> q(aq, 1.0 / bq);
  // log q(x) − log p(x), written out (the pdfs themselves are infinite at 0 for shapes below 1).
  const double c = aq * std::log(bq) - std::lgamma(aq) - ap * std::log(bp) + std::lgamma(ap);
  auto integrand = [&](double x) {
    const double qx = x > 0.0 ? boost::math::pdf(q, x) : 0.0;
    if (qx == 0.0 || !std::isfinite(qx)) return 0.0;
    return qx * (c + (aq - ap) * std::log(x) - (bq - bp) * x);
  };
  // exp-sinh: a half-line with an integrable singularity at 0 (shapes below 1).
  return boost::math::quadrature::exp_sinh<double>().integrate(integrand, 1e-14);
}

}  // namespace

TEST_CASE("KL(Gamma ‖ Gamma) matches numerical integration and broadcasts") {
  const std::vector<std::array<double, 4>> cases = {
      {2.0, 1.0, 2.0, 1.0}, {3.5, 2.0, 1.2, 0.7}, {0.6, 0.3, 4.0, 5.0}, {30.0, 9.0, 2.0, 1.0}};
  for (const auto& c : cases) {
    const double aq = c[0], bq = c[1], ap = c[2], bp = c[3];
    CAPTURE(aq);
    CAPTURE(bq);
    const ed::Gamma q(Matrix::Constant(1, 1, aq), Matrix::Constant(1, 1, bq));
    const ed::Gamma p(Matrix::Constant(1, 1, ap), Matrix::Constant(1, 1, bp));
    const auto kl = ed::kl_divergence(q, p);
    REQUIRE(kl.has_value());
    CHECK(ed::eval(*kl)(0, 0) ==
          doctest::Approx(gamma_kl_by_quadrature(aq, bq, ap, bp)).epsilon(1e-8));
  }
  // A 3×1 q against a 1×1 p: one value per element.
  const ed::Gamma q(Matrix::Constant(3, 1, 2.0), Matrix::Constant(3, 1, 1.5));
  const ed::Gamma p(1.0, 1.0);
  CHECK(ed::eval(*ed::kl_divergence(q, p)).rows() == 3);
  // Its gradient in all four parameters.
  const auto in = ed::test::random_inputs({{2, 3}, {2, 3}, {1, 3}, {2, 1}}, 77, 0.5, 4.0);
  CHECK(ed::test::check_gradient(
      [](const std::vector<Tensor>& x) {
        return *ed::kl_divergence(ed::Gamma(x[0], x[1]), ed::Gamma(x[2], x[3]));
      },
      in));
}

TEST_CASE("KL(Normal ‖ Normal) in closed form; a pair without a rule has none") {
  const ed::Normal q(0.3, 0.5), p(-1.0, 2.0);
  const double expected = std::log(2.0 / 0.5) + (0.25 + 1.3 * 1.3) / (2.0 * 4.0) - 0.5;
  CHECK(ed::eval(*ed::kl_divergence(q, p))(0, 0) == doctest::Approx(expected).epsilon(1e-14));
  CHECK_FALSE(ed::kl_divergence(q, ed::Gamma(1.0, 1.0)).has_value());
  CHECK_FALSE(ed::kl_divergence(ed::Beta(1.0, 1.0), ed::Beta(2.0, 2.0)).has_value());
}
