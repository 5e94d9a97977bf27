// Graph queries on hand-drawn random-variable graphs: parents, ancestors, children,
// descendants, siblings, variables, the Markov blanket and d-separation.
#include <doctest/doctest.h>

#include <algorithm>
#include <edpp/edpp.hpp>
#include <vector>

namespace {

bool same_set(const std::vector<ed::RandomVariable>& got,
              const std::vector<ed::RandomVariable>& expected) {
  if (got.size() != expected.size()) return false;
  return std::all_of(expected.begin(), expected.end(), [&](const ed::RandomVariable& r) {
    return std::count(got.begin(), got.end(), r) == 1;
  });
}

// The diamond a → {b, c} → d → e, plus f with no relation to the rest.
struct Diamond {
  ed::Normal a{0.0, 1.0};
  ed::Normal b{a, 1.0};
  ed::Normal c{2.0 * a, 1.0};
  ed::Normal d{b + c, 1.0};
  ed::Normal e{ed::exp(d), 1.0};
  ed::Normal f{0.0, 1.0};
};

}  // namespace

TEST_CASE("parents and ancestors stop at, or pass, the random variables a graph meets") {
  Diamond g;
  CHECK(g.a.value_is_sample());
  CHECK(ed::get_parents(g.a).empty());
  CHECK(same_set(ed::get_parents(g.b), {g.a}));
  CHECK(same_set(ed::get_parents(g.d), {g.b, g.c}));
  CHECK(same_set(ed::get_ancestors(g.d), {g.a, g.b, g.c}));
  CHECK(same_set(ed::get_ancestors(g.e), {g.a, g.b, g.c, g.d}));
  // A tensor's parents are the random variables it uses.
  const ed::Tensor t = g.b * g.c + 1.0;
  CHECK(same_set(ed::get_parents(t), {g.b, g.c}));
  CHECK(same_set(ed::get_ancestors(t), {g.a, g.b, g.c}));
  CHECK(ed::get_parents(ed::Tensor(3.0)).empty());
}

TEST_CASE("children, descendants and siblings come from the random variables alive") {
  Diamond g;
  CHECK(same_set(ed::get_children(g.a), {g.b, g.c}));
  CHECK(same_set(ed::get_children(g.b), {g.d}));
  CHECK(ed::get_children(g.e).empty());
  CHECK(same_set(ed::get_descendants(g.a), {g.b, g.c, g.d, g.e}));
  CHECK(same_set(ed::get_descendants(g.c), {g.d, g.e}));
  CHECK(same_set(ed::get_siblings(g.b), {g.c}));
  CHECK(ed::get_siblings(g.f).empty());
  // Children of a tensor: random variables whose parameters use it directly.
  const ed::Tensor t = g.b + g.c;
  ed::Normal h(t, 1.0);
  CHECK(same_set(ed::get_children(t), {h}));
  // The Markov blanket: parents, children (d and h), the children's other parents.
  CHECK(same_set(ed::get_blanket(g.b), {g.a, g.d, h, g.c}));
  const std::vector<ed::RandomVariable> all = ed::random_variables();
  for (const auto& r : {g.a, g.b, g.c, g.d, g.e, g.f})
    CHECK(std::count(all.begin(), all.end(), r) == 1);
}

TEST_CASE("get_variables lists the trainable variables, through random variables too") {
  const ed::Tensor w = ed::variable(ed::Matrix::Ones(2, 1), "w");
  const ed::Tensor v = ed::variable(ed::Matrix::Zero(1, 1), "v");
  const ed::Matrix x = ed::Matrix::Ones(3, 2);
  ed::Normal y(ed::matmul(x, w), 1.0);
  ed::Normal z(y, ed::exp(v));
  CHECK(ed::get_variables(y) == std::vector<ed::Tensor>{w});
  const std::vector<ed::Tensor> both = ed::get_variables(z);
  CHECK(both.size() == 2);
  CHECK(std::count(both.begin(), both.end(), w) == 1);
  CHECK(std::count(both.begin(), both.end(), v) == 1);
  // A point mass is not a random variable of the graph: its value is its parameter.
  ed::PointMass q(w);
  CHECK(ed::get_parents(ed::Normal(q, 1.0)).empty());
}

TEST_CASE("is_independent decides d-separation: forks, chains and colliders") {
  Diamond g;
  CHECK_FALSE(ed::is_independent(g.b, g.c));              // common parent a
  CHECK(ed::is_independent(g.b, g.c, {g.a}));             // the fork blocked
  CHECK_FALSE(ed::is_independent(g.b, g.c, {g.a, g.d}));  // the collider d observed
  CHECK_FALSE(ed::is_independent(g.b, g.c, {g.a, g.e}));  // a descendant of the collider
  CHECK(ed::is_independent(g.a, g.e, {g.d}));        // the chain a → … → d → e blocked at d
  CHECK_FALSE(ed::is_independent(g.a, g.e, {g.b}));  // c still connects a to d
  CHECK(ed::is_independent(g.a, g.e, {g.b, g.c}));
  CHECK(ed::is_independent(g.f, g.e));
  CHECK(ed::is_independent(g.f, {g.a, g.b, g.c, g.d, g.e}));
  CHECK_FALSE(ed::is_independent({g.f, g.b}, g.c));
  // Two roots are independent until a common child is observed.
  ed::Normal r1(0.0, 1.0), r2(0.0, 1.0);
  ed::Normal child(r1 + r2, 1.0);
  CHECK(ed::is_independent(r1, r2));
  CHECK_FALSE(ed::is_independent(r1, r2, {child}));
}
