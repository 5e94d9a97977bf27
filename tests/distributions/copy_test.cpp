// ed::copy of tensors and random variables (Edward's ed.copy), and ed::stop_gradient.
#include <doctest/doctest.h>

#include <cmath>

#include "edpp/core/node.hpp"
#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("copy rebuilds what depends on swapped nodes and shares the rest") {
  const Tensor a = ed::constant(Matrix::Constant(2, 1, 2.0));
  const Tensor b = ed::constant(Matrix::Constant(2, 1, 3.0));
  const Tensor c = ed::exp(a);  // depends on no swapped node
  const Tensor y = a * b + c;
  const Tensor y2 = ed::copy(y, {{b, Matrix::Constant(2, 1, 10.0)}});
  CHECK(ed::eval(y2)(0, 0) == doctest::Approx(20.0 + std::exp(2.0)));
  CHECK(ed::eval(y)(0, 0) == doctest::Approx(6.0 + std::exp(2.0)));  // the original is unchanged
  // The unaffected branch is the same node: y2 = add(mul', c).
  CHECK(y2.node()->inputs[1] == c.node());
  // Nothing swapped: the very same node.
  CHECK(ed::copy(y, {}) == y);
}

TEST_CASE("copy checks shapes again and names the op, after its own name") {
  // A transposed value, or other columns, are refused by copy itself.
  const auto x = ed::placeholder({3, 1}, "x");
  const Tensor y = ed::matmul(Matrix::Ones(2, 3), x);
  CHECK_THROWS_WITH_AS(ed::copy(y, {{x, Matrix::Ones(1, 3)}}),
                       "copy: cannot swap placeholder 'x' (shape [3, 1]) for a value of shape "
                       "[1, 3] (an Empirical's draws have its event shape: give it the latent's, "
                       "Empirical(params, {rows, cols}))",
                       ed::invalid_argument);
  const auto wide = ed::placeholder({4, 2}, "wide");
  CHECK_THROWS_WITH_AS(ed::copy(ed::sum(wide), {{wide, Matrix::Ones(4, 3)}}),
                       doctest::Contains("copy: cannot swap placeholder 'wide' (shape [4, 2])"),
                       ed::invalid_argument);
  // Other rows (a batch of another size) pass copy and are checked again by the ops.
  CHECK_THROWS_WITH_AS(ed::copy(y, {{x, Matrix::Ones(4, 1)}}),
                       doctest::Contains("copy: rebuilding the graph with the swapped values: "
                                         "matmul: shapes [2, 3] and [4, 1]"),
                       ed::invalid_argument);
}

TEST_CASE("copy of a random variable with its latent swapped is the posterior predictive") {
  ed::set_seed(21);
  const ed::Normal z(0.0, 1.0);
  const ed::Normal y(z * Matrix::Ones(2000, 1), 0.5);
  // A point posterior at 3, then a narrow Normal posterior at -2.
  const ed::RandomVariable y_at_3 = ed::copy(y, {{z, 3.0}});
  CHECK(ed::eval(ed::mean(y_at_3))(0, 0) == doctest::Approx(3.0).epsilon(0.02));
  CHECK(ed::eval(y_at_3.log_prob(3.0))(0, 0) ==
        doctest::Approx(-std::log(0.5) - 0.5 * std::log(2.0 * M_PI)).epsilon(1e-12));
  const ed::Normal qz(-2.0, 1e-6);
  const ed::RandomVariable y_post = ed::copy(y, {{z, qz}});
  const Matrix draws = ed::eval(y_post);
  CHECK(draws.mean() == doctest::Approx(-2.0).epsilon(0.02));
  const double sd = std::sqrt((draws.array() - draws.mean()).square().mean());
  CHECK(sd == doctest::Approx(0.5).epsilon(0.05));
  CHECK(y_post.distribution().name() == "Normal");
  // The original model still draws from the prior: its draws of y share one z per run.
  CHECK(std::abs(ed::eval(ed::mean(y))(0, 0)) < 5.0);
  // A swapped variable's copy is its replacement.
  CHECK(ed::copy(z, {{z, qz}}).value() == qz.value());
}

TEST_CASE("copy reaches every parameter of a family built from data specs") {
  const ed::Gamma rate(2.0, 1.0);
  const ed::Poisson counts(rate * Matrix::Ones(3, 1));
  const ed::RandomVariable fixed = ed::copy(counts, {{rate, 4.0}});
  CHECK(ed::eval(fixed.mean())(1, 0) == doctest::Approx(4.0));
  CHECK(ed::eval(fixed.log_prob(2.0))(0, 0) ==
        doctest::Approx(2.0 * std::log(4.0) - 4.0 - std::log(2.0)).epsilon(1e-12));
}

TEST_CASE("stop_gradient passes values and blocks gradients") {
  const Tensor x = ed::variable(Matrix::Constant(2, 1, 3.0), "x");
  const Matrix g = ed::grad(ed::sum(ed::stop_gradient(x) * x), {x})[0];
  CHECK(g(0, 0) == 3.0);  // not 2x = 6
  CHECK(ed::eval(ed::stop_gradient(x))(1, 0) == 3.0);
}

TEST_CASE(
    "copy warns for a swapped node that is not an ancestor, and the library's copies do not") {
  std::vector<std::string> warnings;
  const ed::WarningSink previous =
      ed::set_warning_sink([&](std::string_view line) { warnings.emplace_back(line); });
  const auto x = ed::placeholder({3, 1}, "x");
  const auto unrelated = ed::placeholder({3, 1}, "v");
  const Tensor y = ed::matmul(Matrix::Ones(2, 3), x);
  // Not an ancestor: nothing changes, and the user is told which node.
  CHECK(ed::copy(y, {{unrelated, Matrix::Ones(3, 1)}}) == y);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] ==
        "copy: placeholder 'v' is not an ancestor of what is copied, so nothing is swapped for it "
        "(Edward's copy ignores it too; is it the variable you meant?)");
  // An ancestor, or the copied node itself: no warning.
  warnings.clear();
  (void)ed::copy(y, {{x, Matrix::Ones(3, 1)}});
  (void)ed::copy(y, {{y, Matrix::Ones(2, 1)}});
  CHECK(warnings.empty());
  // A random variable: its parameters and value count; a latent of another model does not.
  const ed::Normal w(Matrix::Zero(3, 1), 1.0);
  const ed::Normal other(0.0, 1.0);
  const ed::Normal obs(ed::matmul(Matrix::Ones(2, 3), w), 1.0);
  const ed::Normal qw(Matrix::Ones(3, 1), 0.1);
  (void)ed::copy(obs, {{w, qw}});
  CHECK(warnings.empty());
  (void)ed::copy(obs, {{other, 0.5}});
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].rfind("copy: ", 0) == 0);
  CHECK(warnings[0].find("is not an ancestor") != std::string::npos);
  // Inference swaps every latent into every term; none of that is the user's and none warns.
  warnings.clear();
  ed::Normal mu(0.0, 1.0), sigma_free(0.0, 1.0);
  ed::Normal data(mu * Matrix::Ones(5, 1), ed::softplus(sigma_free));
  ed::Normal qmu(ed::variable(Matrix::Zero(1, 1)), 1.0), qs(ed::variable(Matrix::Zero(1, 1)), 1.0);
  ed::KLqp inference({{mu, qmu}, {sigma_free, qs}}, {{data, Matrix::Ones(5, 1)}});
  inference.initialize({.n_iter = 3, .seed = 1});
  inference.update();
  (void)ed::ppc([](const Tensor& x) { return ed::mean(x); },
                {{ed::copy(data, {{mu, qmu}}), Matrix::Ones(5, 1)}}, {.n_samples = 2});
  CHECK(warnings.empty());
  ed::set_warning_sink(previous);
}
