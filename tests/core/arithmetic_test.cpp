// + - * / and negation: values against plain Eigen, gradients at every broadcast shape.
#include <doctest/doctest.h>

#include "tests/support/gradient_check.hpp"

namespace {

using ed::Matrix;
using ed::Tensor;

// The plain-Eigen meaning of broadcasting: each operand replicated to the output's shape.
Matrix expand(const Matrix& m, ed::Index rows, ed::Index cols) {
  return m.replicate(m.rows() == 1 ? rows : 1, m.cols() == 1 ? cols : 1);
}

struct BinaryCase {
  const char* name;
  Tensor (*build)(const Tensor&, const Tensor&);
  Matrix (*reference)(const Matrix&, const Matrix&);
};

const BinaryCase kCases[] = {
    {"add", [](const Tensor& a, const Tensor& b) { return a + b; },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a + b; }},
    {"sub", [](const Tensor& a, const Tensor& b) { return a - b; },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a - b; }},
    {"mul", [](const Tensor& a, const Tensor& b) { return a * b; },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a.cwiseProduct(b); }},
    {"div", [](const Tensor& a, const Tensor& b) { return a / b; },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a.cwiseQuotient(b); }},
    {"minimum", [](const Tensor& a, const Tensor& b) { return ed::minimum(a, b); },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a.cwiseMin(b); }},
    {"maximum", [](const Tensor& a, const Tensor& b) { return ed::maximum(a, b); },
     [](const Matrix& a, const Matrix& b) -> Matrix { return a.cwiseMax(b); }},
};

}  // namespace

TEST_CASE("binary ops broadcast like numpy and match plain Eigen at every shape pair") {
  const ed::Index R = 4, C = 3;
  std::uint64_t seed = 1;
  for (const BinaryCase& c : kCases) {
    for (const ed::Shape& sa : ed::test::broadcast_variants(R, C)) {
      for (const ed::Shape& sb : ed::test::broadcast_variants(R, C)) {
        CAPTURE(c.name);
        CAPTURE(ed::to_string(sa));
        CAPTURE(ed::to_string(sb));
        auto in = ed::test::random_inputs({sa, sb}, seed++);
        in[1].array() = in[1].array().abs() + 0.5;  // keep divisors away from zero
        const ed::Index rows = std::max(sa.rows, sb.rows), cols = std::max(sa.cols, sb.cols);
        const Matrix expected = c.reference(expand(in[0], rows, cols), expand(in[1], rows, cols));
        CHECK(ed::test::all_close(ed::eval(c.build(in[0], in[1])), expected, 1e-15));
        CHECK(
            ed::test::check_gradient([&](auto& t) { return c.build(t[0], t[1]); }, in, {}, c.name));
      }
    }
  }
}

TEST_CASE("a double on either side of an operator is a constant") {
  const Matrix x = Matrix::Constant(2, 2, 3.0);
  CHECK(ed::eval(2.0 * Tensor(x))(1, 1) == 6.0);
  CHECK(ed::eval(Tensor(x) - 1.0)(0, 1) == 2.0);
  CHECK(ed::eval(1.0 / Tensor(x))(1, 0) == doctest::Approx(1.0 / 3.0));
  CHECK(ed::eval(-Tensor(x))(0, 0) == -3.0);
  CHECK(ed::eval(Matrix::Ones(2, 2) + Tensor(x))(0, 0) == 4.0);
  CHECK(ed::test::check_gradient([](auto& t) { return -t[0] * 2.0 + 1.0 / t[0]; },
                                 ed::test::random_inputs({{3, 2}}, 7, 0.5, 2.0)));
}

TEST_CASE("a node used several times receives the sum of its gradients") {
  // f = x·x + exp(x)·x − x/x: every use of x contributes to the same accumulator.
  CHECK(ed::test::check_gradient(
      [](auto& t) { return t[0] * t[0] + ed::exp(t[0]) * t[0] - t[0] / (t[0] + 3.0); },
      ed::test::random_inputs({{3, 2}}, 3)));
  const Tensor x = ed::variable(Matrix::Constant(1, 1, 2.0), "x");
  const Tensor y = x * x;
  const auto g = ed::grad(ed::sum(y + y), {x});
  CHECK(g[0](0, 0) == doctest::Approx(8.0));
}

TEST_CASE(
    "shapes that do not broadcast are rejected when the graph is built, naming op and shapes") {
  const Tensor a(Matrix::Zero(3, 2)), b(Matrix::Zero(4, 2));
  CHECK_THROWS_WITH_AS(a + b, "add: shapes [3, 2] and [4, 2] do not broadcast",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(a * b, "mul: shapes [3, 2] and [4, 2] do not broadcast",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::maximum(a, Matrix::Zero(3, 3)),
                       "maximum: shapes [3, 2] and [3, 3] do not broadcast", ed::invalid_argument);
}

TEST_CASE("shapes known only from the feed are checked when the graph runs") {
  const Tensor x = ed::placeholder({ed::Dynamic, 2}, "x");
  const Tensor y = x + Matrix::Zero(3, 2);  // fine while the batch size is unknown
  CHECK(ed::eval(y, {{x, Matrix::Ones(3, 2)}}).sum() == 6.0);
  CHECK(ed::eval(y, {{x, Matrix::Ones(1, 2)}}).sum() == 6.0);  // 1 broadcasts
  CHECK_THROWS_WITH_AS(ed::eval(y, {{x, Matrix::Ones(4, 2)}}),
                       "add: shapes [4, 2] and [3, 2] do not broadcast", ed::invalid_argument);
}
