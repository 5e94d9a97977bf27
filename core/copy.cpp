// copy (rebuilding the nodes downstream of swapped ones) and the StopGradient op.
#include "edpp/core/copy.hpp"

#include <string>
#include <unordered_map>
#include <unordered_set>

#include "edpp/core/errors.hpp"
#include "edpp/core/messages.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/shape.hpp"

namespace ed {

namespace ops {
class StopGradient final : public Op {
 public:
  std::string_view name() const override { return "stop_gradient"; }
  bool blocks_gradient() const override { return true; }
  Shape shape(Shapes in) const override { return in[0]; }
  bool is_row_local(Shapes, std::span<const bool>) const override { return true; }
  void forward(Inputs in, Matrix& out, OpContext&) const override { out = in[0]; }
  // Nothing flows back: the input is treated as a constant.
  void backward(Inputs, const Matrix&, const Matrix&, Grads, OpContext&) const override {}
};
}  // namespace ops

Tensor stop_gradient(const Tensor& x) {
  return make_op(std::make_shared<ops::StopGradient>(), {x});
}

Tensor copy(const Tensor& x, const Swap& swap) {
  if (x) detail::warn_unreached_swaps({x}, swap);
  return detail::copy_graph(x, swap);
}

namespace detail {

void warn_unreached_swaps(const std::vector<Tensor>& roots, const Swap& swap) {
  std::unordered_map<const Node*, bool> reached;  // swapped node → seen among the ancestors
  for (const auto& [from, to] : swap) {
    if (from) reached.emplace(from.node().get(), false);
  }
  if (reached.empty()) return;
  std::unordered_set<const Node*> seen;
  std::vector<const Node*> stack;
  for (const Tensor& root : roots) {
    if (root) stack.push_back(root.node().get());
  }
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (!seen.insert(node).second) continue;
    if (auto it = reached.find(node); it != reached.end()) {
      it->second = true;
      continue;  // what lies above a swapped node is not reached through it
    }
    for (const auto& input : node->inputs) stack.push_back(input.get());
  }
  for (const auto& [from, to] : swap) {
    if (!from || reached.at(from.node().get())) continue;
    warn("copy: " + describe(*from.node()) +
         " is not an ancestor of what is copied, so nothing is swapped for it (Edward's copy "
         "ignores it too; is it the variable you meant?)");
  }
}

Tensor copy_graph(const Tensor& x, const Swap& swap) {
  if (!x) throw ed::invalid_argument("copy: the tensor to copy is empty");
  std::unordered_map<const Node*, std::shared_ptr<Node>> done;
  for (const auto& [from, to] : swap) {
    if (!from || !to) throw ed::invalid_argument("copy: a swap has an empty tensor");
    // Rows are a batch: a replacement may have another number of them (a decoder run on 20
    // codes instead of the 100 it was built with), and a column of 1 may widen. Any other change
    // of the columns, or a transposed value (a [3, 1] latent given [1, 3] draws), would
    // broadcast silently downstream into a wrong shape.
    const Shape a = from.shape(), b = to.shape();
    auto changes = [](Index was, Index now) {
      return was != Dynamic && now != Dynamic && was != now && was != 1;
    };
    const bool transposed =
        a.is_known() && b.is_known() && a.rows != a.cols && a.rows == b.cols && a.cols == b.rows;
    if (transposed || changes(a.cols, b.cols)) {
      throw ed::invalid_argument("copy: cannot swap " + detail::describe(*from.node()) +
                                 " (shape " + to_string(a) + ") for a value of shape " +
                                 to_string(b) +
                                 " (an Empirical's draws have its event shape: give it the "
                                 "latent's, Empirical(params, {rows, cols}))");
    }
    done[from.node().get()] = to.node();
  }
  // Iterative post-order walk: a node is rebuilt once all its inputs are resolved.
  std::vector<std::pair<std::shared_ptr<Node>, std::size_t>> stack;
  if (!done.count(x.node().get())) stack.emplace_back(x.node(), 0);
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (next < node->inputs.size()) {
      const std::shared_ptr<Node>& input = node->inputs[next++];
      if (!done.count(input.get())) stack.emplace_back(input, 0);
      continue;
    }
    std::shared_ptr<Node> result = node;
    if (node->kind == detail::NodeKind::op) {
      std::vector<Tensor> inputs;
      bool changed = false;
      for (const auto& input : node->inputs) {
        const std::shared_ptr<Node>& resolved = done.at(input.get());
        changed = changed || resolved != input;
        inputs.emplace_back(resolved);
      }
      if (changed) {
        try {
          result = make_op(node->op, std::move(inputs)).node();
        } catch (const ed::invalid_argument& e) {
          throw ed::invalid_argument(std::string("copy: rebuilding the graph with the swapped "
                                                 "values: ") +
                                     e.what());
        }
        result->name = node->name;
        result->random_variable = node->random_variable;
      }
    }
    done[node.get()] = std::move(result);
    stack.pop_back();
  }
  return Tensor(done.at(x.node().get()));
}

}  // namespace detail

}  // namespace ed
