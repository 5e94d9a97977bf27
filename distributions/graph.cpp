// Graph queries: walks up the computation graph that stop (or not) at random variables' draws,
// the registry of live random variables, and d-separation in the moral ancestral graph.
#include "edpp/distributions/graph.hpp"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"

namespace ed {

namespace {

using detail::Node;
using NodePtr = std::shared_ptr<Node>;

/// Every random variable's draw made so far, weakly held; expired entries are dropped when the
/// list has doubled since the last sweep, so it stays proportional to the live ones.
struct Registry {
  std::mutex mutex;
  std::vector<std::weak_ptr<Node>> draws;
  std::size_t swept_size = 64;
};

Registry& registry() {
  static Registry r;
  return r;
}

bool is_random_variable(const NodePtr& node) { return node && node->distribution; }

/// Where a walk up from `x` starts: a random variable's parameters (its draw's inputs), or
/// the tensor itself.
std::vector<NodePtr> starting_points(const Tensor& x, const char* who) {
  if (!x) throw ed::invalid_argument(std::string(who) + ": the tensor is empty");
  if (!is_random_variable(x.node())) return {x.node()};
  return x.node()->inputs;
}

/// Depth-first walk up from `starts`, in input order. `visit(node)` is called once per node
/// reached and returns whether to continue through its inputs.
template <class Visit>
void walk_up(const std::vector<NodePtr>& starts, Visit visit) {
  std::unordered_set<const Node*> seen;
  std::vector<NodePtr> stack(starts.rbegin(), starts.rend());
  while (!stack.empty()) {
    NodePtr node = std::move(stack.back());
    stack.pop_back();
    if (!seen.insert(node.get()).second) continue;
    if (!visit(node)) continue;
    for (auto it = node->inputs.rbegin(); it != node->inputs.rend(); ++it) {
      if (!seen.count(it->get())) stack.push_back(*it);
    }
  }
}

/// The random variables `x` reaches: directly (parents: stop at each) or at all (ancestors).
std::vector<RandomVariable> reached(const Tensor& x, bool through, const char* who) {
  std::vector<RandomVariable> found;
  walk_up(starting_points(x, who), [&](const NodePtr& node) {
    if (!is_random_variable(node)) return true;
    found.push_back(*detail::random_variable_of(Tensor(node)));
    return through;
  });
  return found;
}

bool contains(const std::vector<RandomVariable>& list, const RandomVariable& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

void append_new(std::vector<RandomVariable>& list, const std::vector<RandomVariable>& more) {
  for (const RandomVariable& r : more) {
    if (!contains(list, r)) list.push_back(r);
  }
}

}  // namespace

namespace detail {

std::optional<RandomVariable> random_variable_of(const Tensor& value) {
  if (!value || !value.node()->distribution) return std::nullopt;
  return RandomVariable(RandomVariable::OwnDraw{}, value.node()->distribution, value);
}

void register_random_variable(const Tensor& value) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mutex);
  if (r.draws.size() >= 2 * r.swept_size) {
    std::erase_if(r.draws, [](const std::weak_ptr<Node>& w) { return w.expired(); });
    r.swept_size = std::max<std::size_t>(64, r.draws.size());
  }
  r.draws.push_back(value.node());
}

void hide_from_graph(const RandomVariable& rv) {
  if (rv.value_is_sample()) rv.value().node()->distribution.reset();
}

}  // namespace detail

std::vector<RandomVariable> random_variables() {
  std::vector<std::shared_ptr<Node>> live;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mutex);
    for (const auto& w : r.draws) {
      auto node = w.lock();
      if (node && node->distribution) live.push_back(std::move(node));
    }
  }
  std::vector<RandomVariable> out;
  for (auto& node : live) out.push_back(*detail::random_variable_of(Tensor(std::move(node))));
  return out;
}

std::vector<RandomVariable> get_parents(const Tensor& x) {
  return reached(x, /*through=*/false, "get_parents");
}

std::vector<RandomVariable> get_ancestors(const Tensor& x) {
  return reached(x, /*through=*/true, "get_ancestors");
}

std::vector<RandomVariable> get_children(const Tensor& x) {
  if (!x) throw ed::invalid_argument("get_children: the tensor is empty");
  std::vector<RandomVariable> children;
  for (const RandomVariable& r : random_variables()) {
    if (r.value() == x) continue;
    // Does r's distribution reach x before any other random variable?
    bool reaches = false;
    walk_up(starting_points(r.value(), "get_children"), [&](const NodePtr& node) {
      if (node == x.node()) reaches = true;
      return !reaches && !is_random_variable(node);
    });
    if (reaches) children.push_back(r);
  }
  return children;
}

std::vector<RandomVariable> get_descendants(const Tensor& x) {
  std::vector<RandomVariable> found = get_children(x);
  for (std::size_t i = 0; i < found.size(); ++i) append_new(found, get_children(found[i]));
  return found;
}

std::vector<RandomVariable> get_siblings(const Tensor& x) {
  std::vector<RandomVariable> siblings;
  for (const RandomVariable& parent : get_parents(x)) append_new(siblings, get_children(parent));
  std::erase_if(siblings, [&](const RandomVariable& r) { return r.value() == x; });
  return siblings;
}

std::vector<Tensor> get_variables(const Tensor& x) {
  std::vector<Tensor> found;
  walk_up(starting_points(x, "get_variables"), [&](const NodePtr& node) {
    if (node->kind == detail::NodeKind::variable) found.emplace_back(node);
    return true;
  });
  return found;
}

std::vector<RandomVariable> get_blanket(const RandomVariable& x) {
  std::vector<RandomVariable> blanket = get_parents(x);
  const std::vector<RandomVariable> children = get_children(x);
  append_new(blanket, children);
  for (const RandomVariable& child : children) {
    std::vector<RandomVariable> co_parents = get_parents(child);
    std::erase(co_parents, x);
    append_new(blanket, co_parents);
  }
  return blanket;
}

bool is_independent(const std::vector<RandomVariable>& a, const std::vector<RandomVariable>& b,
                    const std::vector<RandomVariable>& condition) {
  // The ancestral set of a ∪ b ∪ condition, each with its parents.
  std::vector<RandomVariable> members;
  for (const auto* group : {&a, &b, &condition}) {
    for (const RandomVariable& r : *group) {
      append_new(members, {r});
      append_new(members, get_ancestors(r));
    }
  }
  std::unordered_map<RandomVariable, std::vector<RandomVariable>> neighbours;
  auto link = [&](const RandomVariable& u, const RandomVariable& v) {
    neighbours[u].push_back(v);
    neighbours[v].push_back(u);
  };
  // Moralise: each variable joined to its parents, and its parents to each other.
  for (const RandomVariable& r : members) {
    const std::vector<RandomVariable> parents = get_parents(r);
    for (std::size_t i = 0; i < parents.size(); ++i) {
      link(r, parents[i]);
      for (std::size_t j = i + 1; j < parents.size(); ++j) link(parents[i], parents[j]);
    }
  }
  // Separated when no path from a reaches b without entering a conditioned variable.
  std::unordered_set<RandomVariable> visited;
  std::vector<RandomVariable> frontier;
  for (const RandomVariable& r : a) {
    if (!contains(condition, r) && visited.insert(r).second) frontier.push_back(r);
  }
  while (!frontier.empty()) {
    const RandomVariable r = frontier.back();
    frontier.pop_back();
    if (contains(b, r)) return false;
    for (const RandomVariable& n : neighbours[r]) {
      if (!contains(condition, n) && visited.insert(n).second) frontier.push_back(n);
    }
  }
  return true;
}

bool is_independent(const RandomVariable& a, const RandomVariable& b,
                    const std::vector<RandomVariable>& condition) {
  return is_independent(std::vector<RandomVariable>{a}, std::vector<RandomVariable>{b}, condition);
}

bool is_independent(const RandomVariable& a, const std::vector<RandomVariable>& b,
                    const std::vector<RandomVariable>& condition) {
  return is_independent(std::vector<RandomVariable>{a}, b, condition);
}

bool is_independent(const std::vector<RandomVariable>& a, const RandomVariable& b,
                    const std::vector<RandomVariable>& condition) {
  return is_independent(a, std::vector<RandomVariable>{b}, condition);
}

}  // namespace ed
