// Program and Session: feeds, substitution, buffer reuse, deep graphs, determinism, errors.
#include <doctest/doctest.h>

#include <cstdlib>
#include <new>

#include "tests/support/gradient_check.hpp"

using ed::Matrix;
using ed::Tensor;

TEST_CASE("a placeholder takes its batch size from the feed, and buffers follow shape changes") {
  const Tensor x = ed::placeholder({ed::Dynamic, 2}, "x");
  const Tensor w = ed::variable((Matrix(2, 1) << 1.0, 2.0).finished(), "w");
  const Tensor y = ed::matmul(x, w);
  ed::Session session(1);
  CHECK(session.run({y}, {{x, Matrix::Ones(3, 2)}})[0].rows() == 3);
  CHECK(session.run({y}, {{x, Matrix::Ones(5, 2)}})[0].rows() == 5);
  CHECK(session.run({y}, {{x, Matrix::Ones(3, 2)}})[0](2, 0) == 3.0);
}

TEST_CASE("a missing or mis-shaped feed names the placeholder") {
  const Tensor x = ed::placeholder({ed::Dynamic, 1}, "X");
  const Tensor y = ed::exp(x);
  CHECK_THROWS_WITH_AS(ed::eval(y), "feed: placeholder 'X' is needed but was not fed",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::eval(y, {{x, Matrix::Ones(3, 2)}}),
                       "feed: placeholder 'X' expects shape [?, 1] but was fed a matrix of shape "
                       "[3, 2]",
                       ed::invalid_argument);
  const Tensor w = ed::variable(Matrix::Ones(1, 1), "w");
  CHECK_THROWS_WITH_AS(ed::eval(w * 2.0, {{w, Matrix::Ones(1, 1)}}),
                       "feed: variable 'w' is not a placeholder; only placeholders can be fed",
                       ed::invalid_argument);
  // Unused feeds are ignored, as in TensorFlow.
  const Tensor unused = ed::placeholder({1, 1}, "unused");
  CHECK(ed::eval(y, {{x, Matrix::Zero(2, 1)}, {unused, Matrix::Ones(1, 1)}})(1, 0) == 1.0);
}

TEST_CASE("a feed may reference a named matrix or own a temporary") {
  const Tensor x = ed::placeholder({2, 1}, "x");
  const Matrix named = Matrix::Constant(2, 1, 4.0);
  ed::Feed feed = {{x, named}};
  CHECK(ed::eval(ed::sqrt(x), feed)(0, 0) == 2.0);
  ed::Feed owned = {{x, Matrix::Constant(2, 1, 9.0)}};  // expression: evaluated and owned
  CHECK(ed::eval(ed::sqrt(x), owned)(1, 0) == 3.0);
}

TEST_CASE("grad differentiates with respect to variables, placeholders and intermediate nodes") {
  const Tensor x = ed::placeholder({3, 1}, "x");
  const Tensor w = ed::variable(Matrix::Constant(3, 1, 2.0), "w");
  const Tensor h = x * w;
  const Tensor loss = ed::sum(ed::square(h));
  const Matrix x_value = (Matrix(3, 1) << 1.0, -2.0, 0.5).finished();
  const auto g = ed::grad(loss, {w, x, h}, {{x, x_value}});
  CHECK(ed::test::all_close(g[0], 2.0 * (x_value.array().square() * 2.0).matrix(), 1e-15));
  CHECK(ed::test::all_close(g[1], 2.0 * x_value * 4.0, 1e-15));
  CHECK(ed::test::all_close(g[2], 2.0 * x_value * 2.0, 1e-15));
  // A target the loss does not depend on gets zeros of its shape.
  const Tensor other = ed::variable(Matrix::Ones(2, 2), "other");
  CHECK(ed::grad(loss, {other}, {{x, x_value}})[0] == Matrix::Zero(2, 2));
}

TEST_CASE("grad requires a 1x1 loss and reports ops without a gradient rule") {
  const Tensor w = ed::variable(Matrix::Ones(2, 1), "w");
  CHECK_THROWS_WITH_AS(ed::grad(w * 2.0, {w}),
                       "gradient: the loss must be 1×1, but mul has shape [2, 1]",
                       ed::invalid_argument);
  CHECK_THROWS_WITH_AS(ed::grad(ed::sum(w), {Tensor()}),
                       "Program: a gradient target Tensor is empty", ed::invalid_argument);
  CHECK_THROWS_AS(ed::exp(Tensor()), ed::invalid_argument);
}

TEST_CASE("compile-time substitution redirects edges without copying the graph") {
  const Tensor z = ed::placeholder({1, 1}, "z");
  const Tensor y = ed::square(z) + 1.0;
  const Tensor replacement = ed::variable(Matrix::Constant(1, 1, 3.0), "q");
  ed::Program program({y}, {replacement}, {{z, replacement}});
  ed::Rng rng;
  program.forward({}, rng);  // z is no longer needed
  CHECK(program.output(0)(0, 0) == 10.0);
  program.backward();
  CHECK(program.gradient(0)(0, 0) == 6.0);
  CHECK(program.contains(replacement));
  CHECK_FALSE(program.contains(z));
  // A substitution that refers back to the node it replaces is a cycle.
  CHECK_THROWS_WITH_AS(ed::Program({y}, {}, {{z, z + 1.0}}),
                       "Program: the graph has a cycle through add (a substitution refers back to "
                       "the node it replaces)",
                       ed::invalid_argument);
}

TEST_CASE("graphs deeper than any recursion limit compile and differentiate") {
  const Tensor x = ed::variable(Matrix::Constant(1, 1, 0.5), "x");
  Tensor y = x;
  for (int i = 0; i < 200000; ++i) y = y + 1e-6;
  const auto g = ed::grad(y, {x});
  CHECK(g[0](0, 0) == 1.0);
  CHECK(ed::eval(y)(0, 0) == doctest::Approx(0.7).epsilon(1e-9));
}

TEST_CASE("the same seed gives bit-identical weights and programs") {
  auto build = [] {
    ed::set_seed(7);
    const Tensor x = ed::placeholder({ed::Dynamic, 1}, "x");
    const Tensor out = ed::dense(ed::dense(x, 8, ed::tanh), 2);
    const Matrix data = Eigen::VectorXd::LinSpaced(16, -1.0, 1.0);
    return ed::eval(out, {{x, data}});
  };
  const Matrix first = build(), second = build();
  CHECK(first == second);
  ed::set_seed(8);
  CHECK(ed::glorot_uniform(3, 3) != (ed::set_seed(7), ed::glorot_uniform(3, 3)));
}

TEST_CASE("programs report the first node whose value is not finite") {
  const Tensor x = ed::variable(Matrix::Constant(2, 1, -1.0), "x");
  const Tensor y = ed::sum(ed::exp(ed::log(x)));
  ed::Program program({y}, {x});
  ed::Rng rng;
  program.forward({}, rng);
  REQUIRE(program.first_nonfinite_value().has_value());
  CHECK(*program.first_nonfinite_value() == "log [2, 1]");
  x.assign(Matrix::Constant(2, 1, 2.0));
  program.forward({}, rng);
  CHECK_FALSE(program.first_nonfinite_value().has_value());
}

TEST_CASE("Tensors hash and compare by node, so they can key maps") {
  const Tensor a = ed::placeholder({1, 1}, "a");
  const Tensor copy = a;
  const Tensor b = ed::placeholder({1, 1}, "a");
  CHECK(a == copy);
  CHECK_FALSE(a == b);
  CHECK(std::hash<Tensor>()(a) == std::hash<Tensor>()(copy));
  CHECK_THROWS_WITH_AS(Tensor(Matrix::Ones(1, 1)).assign(Matrix::Ones(1, 1)),
                       "Tensor::assign: constant [1, 1] is not a variable", ed::invalid_argument);
  const Tensor w = ed::variable(Matrix::Ones(2, 1), "w");
  CHECK_THROWS_WITH_AS(w.assign(Matrix::Ones(1, 2)),
                       "Tensor::assign: variable 'w' has shape [2, 1] but the new value has shape "
                       "[1, 2]",
                       ed::invalid_argument);
}

namespace {
// The identity, counting its forward passes.
class CountingIdentity final : public ed::Op {
 public:
  explicit CountingIdentity(int* calls) : calls_(calls) {}
  std::string_view name() const override { return "counting_identity"; }
  ed::Shape shape(ed::Shapes in) const override { return in[0]; }
  void forward(ed::Inputs in, ed::Matrix& out, ed::OpContext&) const override {
    ++*calls_;
    out = in[0];
  }
  void backward(ed::Inputs, const ed::Matrix&, const ed::Matrix& dout, ed::Grads din,
                ed::OpContext&) const override {
    if (din[0]) *din[0] += dout;
  }

 private:
  int* calls_;
};
}  // namespace

TEST_CASE("nodes that depend only on constants are computed once per shape (Note [Static nodes])") {
  int on_constant = 0, on_variable = 0;
  const ed::Tensor c = ed::constant(ed::Matrix::Constant(2, 1, 3.0));
  const ed::Tensor v = ed::variable(ed::Matrix::Constant(2, 1, 1.0), "v");
  const ed::Tensor folded =
      ed::make_op(std::make_shared<CountingIdentity>(&on_constant), {ed::exp(c)});
  const ed::Tensor live = ed::make_op(std::make_shared<CountingIdentity>(&on_variable), {v});
  const ed::Tensor draw = ed::Normal(0.0, 1.0).sample();
  ed::Program program({ed::sum(folded * live) + ed::sum(draw)}, {v});
  ed::Rng rng(1);
  std::vector<double> draws;
  for (int run = 0; run < 3; ++run) {
    v.assign(ed::Matrix::Constant(2, 1, 1.0 + run));
    program.forward({}, rng);
    program.backward();
    // The kept value is right after the variable moved, and so is the gradient through it.
    CHECK(program.output(0)(0, 0) - program.value(draw)(0, 0) ==
          doctest::Approx(2.0 * std::exp(3.0) * (1.0 + run)));
    CHECK(program.gradient(0).isApprox(ed::Matrix::Constant(2, 1, std::exp(3.0))));
    draws.push_back(program.value(draw)(0, 0));
  }
  CHECK(on_constant == 1);
  CHECK(on_variable == 3);
  // Random nodes are never kept: every run draws anew.
  CHECK(draws[0] != draws[1]);
  CHECK(draws[1] != draws[2]);
  // A failing check on a constant fails on every run, not only the first.
  ed::Program bad({ed::sum(ed::Normal(0.0, -1.0).log_prob(v))}, {v});
  CHECK_THROWS_AS(bad.forward({}, rng), ed::invalid_argument);
  CHECK_THROWS_AS(bad.forward({}, rng), ed::invalid_argument);
}

// Note [Assigned gradients]: an op may write its input's gradient into an unzeroed buffer when
// it is the first to reach it; a later contribution, or an input the op takes twice, adds.
TEST_CASE("gradients assigned by the first contribution equal accumulated ones") {
  const auto in = ed::test::random_inputs({{24, 3}, {3, 3}, {1, 3}, {24, 1}}, 61);
  // The same input twice in one product: the two contributions share one buffer.
  CHECK(ed::test::check_gradient([](auto& t) { return ed::matmul(t[1], t[1]); }, in, {},
                                 "matmul(w, w)"));
  // x reaches two products and an elementwise op, in both orders of the reverse sweep.
  CHECK(ed::test::check_gradient(
      [](auto& t) {
        const Tensor h = ed::relu(ed::affine(t[0], t[1], t[2]));
        return ed::matmul(h, t[1]) + t[0] * t[0] + ed::affine(t[0], t[1], t[2]);
      },
      in, {}, "shared x and w"));
  // The mixture's logits also feed another term; its x is a parameter too.
  CHECK(ed::test::check_gradient(
      [](auto& t) {
        const Tensor logits = ed::matmul(t[0], t[1]);
        const Tensor y = ed::Mixture(ed::Categorical(logits), ed::Normal(logits, ed::exp(logits)))
                             .log_prob(t[3]);
        return y + ed::sum(logits, 1) + t[3];
      },
      in, {}, "mixture with shared inputs"));
  // Buffers left unzeroed from an earlier run must not leak into the next one.
  const Tensor w = ed::variable(in[1], "w");
  const Tensor loss = ed::sum(ed::matmul(ed::constant(in[0]), w));
  ed::Program program({loss}, {w});
  ed::Rng rng(1);
  program.forward({}, rng);
  program.backward();
  const Matrix first = program.gradient(0);
  program.gradient(0).setConstant(1e300);
  program.forward({}, rng);
  program.backward();
  CHECK(program.gradient(0) == first);
}

TEST_CASE("copy refuses a swap of another shape, and names itself when a rebuilt op fails") {
  const ed::Tensor w = ed::placeholder({3, 1}, "w");
  const ed::Tensor y = ed::matmul(ed::constant(ed::Matrix::Ones(4, 3)), w);
  CHECK_THROWS_WITH_AS(ed::copy(y, {{w, ed::constant(ed::Matrix::Ones(1, 3))}}),
                       doctest::Contains("copy: cannot swap placeholder 'w' (shape [3, 1]) for "
                                         "a value of shape [1, 3]"),
                       ed::invalid_argument);
  // A Dynamic dimension matches any size.
  const ed::Tensor x = ed::placeholder({ed::Dynamic, 1}, "x");
  CHECK(ed::eval(ed::copy(ed::sum(x), {{x, ed::constant(ed::Matrix::Ones(5, 1))}}))(0, 0) == 5.0);
}

// Note [Forward tangents]: seeded with the identity, the tangent of an output is its Jacobian
// (transposed), which reverse mode gives too.
TEST_CASE("forward tangents equal reverse-mode Jacobians through every op with a forward rule") {
  const auto in = ed::test::random_inputs({{3, 2}, {1, 2}, {3, 1}}, 70, 0.5, 2.0);
  const Tensor a = ed::variable(in[0], "a"), b = ed::variable(in[1], "b"),
               c = ed::variable(in[2], "c");
  const Tensor k = ed::constant(in[2]);
  // Broadcasting binary ops (a full operand against a row, a column and a constant), unary
  // ops, negation, a column and concatenations along both axes.
  const std::vector<std::pair<std::string, Tensor>> graphs = {
      {"add/sub", a + b - c},
      {"mul/div", a * b / (c + 3.0)},
      {"a constant operand", k * a - 2.0 / b},
      {"unary", ed::exp(a) + ed::log(b) * ed::square(c) - ed::sqrt(a) + ed::tanh(b)},
      {"neg and col", -ed::col(a, 1) * ed::col(b, 0) + c},
      {"concat", ed::concat({ed::col(a, 0), c * 2.0, a}, 1) * ed::concat({b, -b}, 1)},
      {"no rule", ed::transpose(a)},
      {"concat rows", ed::concat({a, b}, 0) * 1.5},
      // one_comp's right-hand side: absorption, then Michaelis–Menten elimination.
      {"pharmacokinetic", ed::exp(-ed::col(b, 0) * ed::col(a, 0)) * ed::col(b, 1) * 2.0 -
                              (ed::col(b, 1) / 3.0) * c / (ed::col(b, 0) + c)},
  };
  for (const auto& [label, out] : graphs) {
    CAPTURE(label);
    // Seeds: the identity for a and c, none for b (its tangent is zero): columns of a then c.
    const ed::Index na = in[0].size(), nc = in[2].size(), q = na + nc;
    Matrix seed_a = Matrix::Zero(q, na), seed_c = Matrix::Zero(q, nc);
    seed_a.topRows(na).setIdentity();
    seed_c.bottomRows(nc).setIdentity();
    ed::Program program({out}, {a, b, c});
    ed::Rng rng;
    program.forward({}, rng);
    const bool supported = program.forward_tangents({&seed_a, nullptr, &seed_c});
    if (label == "no rule") {
      CHECK_FALSE(supported);  // transpose has no forward rule
      continue;
    }
    REQUIRE(supported);
    REQUIRE(program.tangent(0) != nullptr);
    const Matrix tangent = *program.tangent(0);
    Matrix expected(q, out.shape().rows * out.shape().cols);
    expected.topRows(na) = ed::test::reverse_jacobian(out, a).transpose();
    expected.bottomRows(nc) = ed::test::reverse_jacobian(out, c).transpose();
    CHECK(ed::test::all_close(tangent, expected, 1e-13));
  }
  // An output that does not depend on the seeded nodes has no tangent; a seed must have one
  // column per element.
  ed::Program only_b({ed::exp(b)}, {a, b});
  ed::Rng rng;
  only_b.forward({}, rng);
  Matrix seed_a = Matrix::Identity(6, 6);
  CHECK(only_b.forward_tangents({&seed_a, nullptr}));
  CHECK(only_b.tangent(0) == nullptr);
  ed::Program of_a({ed::exp(a)}, {a});
  of_a.forward({}, rng);
  Matrix wrong = Matrix::Identity(6, 5);
  CHECK_THROWS_WITH_AS(of_a.forward_tangents({&wrong}),
                       "forward_tangents: the seed of variable 'a' has 5 columns, not one per "
                       "element (6)",
                       ed::invalid_argument);
}
