// Note [Scalar tapes]: a small program run element by element gives the program's values and
// forward tangents, or refuses.
#include <doctest/doctest.h>

#include <edpp/core/scalar_tape.hpp>

#include "tests/support/gradient_check.hpp"

using ed::Index;
using ed::Matrix;
using ed::Tensor;
using ed::detail::ScalarTape;

namespace {

// `out` as a tape over `inputs`, after one run of its program (for its constants).
std::optional<ScalarTape> compile(const Tensor& out, const std::vector<Tensor>& inputs,
                                  const std::vector<bool>& seeded, Index lanes) {
  ed::Program program({out}, inputs);
  ed::Rng rng;
  program.forward({}, rng);
  return ScalarTape::compile(program, 0, inputs, seeded, lanes);
}

}  // namespace

TEST_CASE("a scalar tape gives the program's values and the reverse-mode Jacobians as tangents") {
  const auto in = ed::test::random_inputs({{3, 2}, {1, 2}, {3, 1}, {1, 1}}, 71, 0.5, 2.0);
  const Tensor a = ed::variable(in[0], "a"), b = ed::variable(in[1], "b"),
               c = ed::variable(in[2], "c"), t = ed::variable(in[3], "t");
  const Tensor k = ed::constant(in[2]);
  // Every kind of rule: inline arithmetic with broadcasting (a full operand against a row, a
  // column, a scalar and a constant), unary ops with their own formula, unary ops through the
  // generic forward/backward path, Boost.Math functions of one and two arguments, and the
  // element moves (col, row, slice, reshape, broadcast_like, concat on both axes).
  const std::vector<std::pair<std::string, Tensor>> graphs = {
      {"add/sub/neg", a + b - c - (-t)},
      {"mul/div", a * b / (c + 3.0) * t},
      {"constant operands", k * a - 2.0 / b + ed::exp(k)},
      {"own formulas", ed::exp(a) + ed::log(b) * ed::square(c) - ed::sqrt(a) + ed::tanh(b) +
                           ed::log1p(a) * ed::expm1(c) + ed::pow(a, 2.5) + ed::sin(a) * ed::cos(b)},
      {"generic unary",
       ed::sigmoid(a) + ed::softplus(b * c) - ed::abs(a - 1.0) + ed::log_sigmoid(c)},
      {"special functions", ed::lgamma(a) + ed::erf(b) * ed::atan2(c, b) + ed::pow(a, b)},
      {"moves", ed::concat({ed::col(a, 1), ed::slice_rows(ed::reshape(a, 6, 1), 2, 3)}, 1) *
                        ed::broadcast_like(c, a) +
                    ed::concat({ed::row(a, 2), b, -b}, 0)},
      {"one_comp's right-hand side", ed::exp(-ed::col(b, 0) * t) * ed::col(b, 1) * 2.0 -
                                         (ed::col(b, 1) / 3.0) * c / (ed::col(b, 0) + c)},
  };
  for (const auto& [label, out] : graphs) {
    CAPTURE(label);
    // Lanes: a's elements, then c's (seeds lanes × size); b and t carry none.
    const Index na = in[0].size(), nc = in[2].size(), q = na + nc;
    Matrix seed_a = Matrix::Zero(q, na), seed_c = Matrix::Zero(q, nc);
    seed_a.topRows(na).setIdentity();
    seed_c.bottomRows(nc).setIdentity();
    std::optional<ScalarTape> tape = compile(out, {a, b, c, t}, {true, false, true, false}, q);
    REQUIRE(tape);
    const double* values[] = {in[0].data(), in[1].data(), in[2].data(), in[3].data()};
    const double* seeds[] = {seed_a.data(), nullptr, seed_c.data(), nullptr};
    tape->run(values, seeds);
    const Matrix expected_value = ed::eval(out);
    Matrix expected_tangent(q, expected_value.size());
    expected_tangent.topRows(na) = ed::test::reverse_jacobian(out, a).transpose();
    expected_tangent.bottomRows(nc) = ed::test::reverse_jacobian(out, c).transpose();
    REQUIRE(tape->size() == expected_value.size());
    for (Index e = 0; e < tape->size(); ++e) {
      CAPTURE(e);
      CHECK(tape->value(e) == doctest::Approx(expected_value.data()[e]).epsilon(1e-14));
      const double* lanes = tape->tangent(e);
      REQUIRE(lanes != nullptr);
      const Matrix got = Eigen::Map<const Matrix>(lanes, q, 1);
      CHECK(ed::test::all_close(got, expected_tangent.col(e), 1e-13));
    }
  }
}

TEST_CASE("a scalar tape: moves without arithmetic, static parts read once, kept seeds") {
  const Tensor y = ed::variable(Matrix::Zero(1, 3), "y"),
               th = ed::variable(Matrix::Zero(1, 2), "th");
  const Tensor k = ed::constant((Matrix(1, 3) << 1.0, 2.0, 3.0).finished());
  // exp(k) is static (Note [Static nodes]): its values are registers set once, and only the
  // three multiplications and three additions are instructions.
  const Tensor out =
      ed::concat({ed::col(y, 2), ed::col(y, 0), ed::col(y, 1)}, 1) * ed::exp(k) + ed::col(th, 1);
  std::optional<ScalarTape> tape = compile(out, {y, th}, {true, true}, 5);
  REQUIRE(tape);
  CHECK(tape->instruction_count() == 6);
  const Matrix lanes = Matrix::Identity(5, 5);
  const double yv[] = {0.5, -1.0, 2.0}, thv[] = {0.0, 4.0};
  const double* values[] = {yv, thv};
  const double* seeds[] = {lanes.data(), lanes.col(3).data()};
  tape->run(values, seeds);
  CHECK(tape->value(0) == doctest::Approx(2.0 * std::exp(1.0) + 4.0));
  CHECK(tape->tangent(0)[2] == doctest::Approx(std::exp(1.0)));
  CHECK(tape->tangent(0)[4] == 1.0);  // ∂/∂th[1]
  // A null seed keeps the last one; the values are the new ones.
  const double yv2[] = {1.0, 1.0, 1.0};
  const double* values2[] = {yv2, thv};
  const double* kept[] = {nullptr, nullptr};
  tape->run(values2, kept);
  CHECK(tape->value(1) == doctest::Approx(std::exp(2.0) + 4.0));
  CHECK(tape->tangent(1)[0] == doctest::Approx(std::exp(2.0)));
  CHECK(tape->tangent(1)[4] == 1.0);
  // An output that depends on no seeded input has no tangent.
  std::optional<ScalarTape> unseeded = compile(out, {y, th}, {false, false}, 5);
  REQUIRE(unseeded);
  unseeded->run(values, seeds);
  CHECK(unseeded->tangent(0) == nullptr);
  CHECK(unseeded->value(0) == doctest::Approx(2.0 * std::exp(1.0) + 4.0));
}

TEST_CASE("a scalar tape refuses what it cannot run, and the program serves") {
  const Tensor y = ed::variable(Matrix::Ones(1, 2), "y");
  const Tensor w = ed::variable(Matrix::Ones(2, 2), "w");
  // An op without a scalar rule; a leaf that is not an input; a draw; too many elements.
  CHECK_FALSE(compile(ed::matmul(y, w), {y, w}, {true, false}, 2));
  CHECK_FALSE(compile(ed::transpose(y), {y}, {true}, 2));
  CHECK_FALSE(compile(y * w, {y}, {true}, 2));
  CHECK_FALSE(compile(y + ed::Normal(0.0, 1.0), {y}, {true}, 2));
  const Tensor big = ed::variable(Matrix::Ones(80, 80), "big");
  CHECK_FALSE(compile(ed::exp(big), {big}, {true}, 1));
  // Its constants come from a run of the program.
  const ed::Program never_run({ed::exp(y)}, {y});
  CHECK_THROWS_WITH_AS(ScalarTape::compile(never_run, 0, {y}, {true}, 2),
                       "ScalarTape: run the program forward first (for its constants)",
                       ed::invalid_argument);
}
