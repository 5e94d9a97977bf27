// Program: compilation (substitution, topological order), shape resolution, forward and backward.
#include "edpp/core/program.hpp"

#include <algorithm>

#include "edpp/core/errors.hpp"
#include "edpp/core/node.hpp"
#include "edpp/core/op.hpp"
#include "edpp/core/program_slot.hpp"
#include "edpp/core/rng.hpp"

namespace ed {

using detail::Node;
using detail::NodeKind;

Program::Program(const std::vector<Tensor>& outputs, const std::vector<Tensor>& wrt,
                 const Substitutions& substitutions) {
  std::unordered_map<const Node*, std::shared_ptr<Node>> replace;
  for (const auto& [from, to] : substitutions) {
    if (!from || !to) throw ed::invalid_argument("Program: a substitution has an empty tensor");
    replace[from.node().get()] = to.node();
  }
  auto resolve = [&](const std::shared_ptr<Node>& node) -> const std::shared_ptr<Node>& {
    auto it = replace.find(node.get());
    return it == replace.end() ? node : it->second;
  };

  // Iterative depth-first search; a node is appended once all its inputs are (post-order).
  enum class Mark { open, done };
  std::unordered_map<const Node*, Mark> marks;
  auto visit = [&](const std::shared_ptr<Node>& root, bool reachable) -> int {
    std::vector<std::pair<std::shared_ptr<Node>, std::size_t>> stack;
    const std::shared_ptr<Node> start = resolve(root);
    if (auto it = marks.find(start.get()); it != marks.end()) return index_.at(start.get());
    stack.emplace_back(start, 0);
    marks[start.get()] = Mark::open;
    while (!stack.empty()) {
      auto& [node, next] = stack.back();
      if (next < node->inputs.size()) {
        const std::shared_ptr<Node> child = resolve(node->inputs[next++]);
        auto it = marks.find(child.get());
        if (it == marks.end()) {
          marks[child.get()] = Mark::open;
          stack.emplace_back(child, 0);
        } else if (it->second == Mark::open) {
          throw ed::invalid_argument("Program: the graph has a cycle through " +
                                     detail::describe(*child) +
                                     " (a substitution refers back to the node it replaces)");
        }
        continue;
      }
      Slot slot;
      slot.node = node;
      slot.reachable = reachable;
      for (const auto& input : node->inputs) slot.inputs.push_back(index_.at(resolve(input).get()));
      slot.input_values.resize(slot.inputs.size());
      slot.input_grads.resize(slot.inputs.size());
      if (node->kind == NodeKind::constant || node->kind == NodeKind::variable) {
        slot.value = &node->value;
      }
      if (node->kind == NodeKind::placeholder && reachable) {
        placeholders_.push_back(static_cast<int>(slots_.size()));
      }
      index_[node.get()] = static_cast<int>(slots_.size());
      marks[node.get()] = Mark::done;
      slots_.push_back(std::move(slot));
      stack.pop_back();
    }
    return index_.at(start.get());
  };

  for (const Tensor& output : outputs) {
    if (!output) throw ed::invalid_argument("Program: an output Tensor is empty");
    outputs_.push_back(visit(output.node(), true));
  }
  for (const Tensor& target : wrt) {
    if (!target) throw ed::invalid_argument("Program: a gradient target Tensor is empty");
    wrt_.push_back(visit(target.node(), false));
  }
  // Slot pointers below stay valid: slots_ is never resized after this point.
  for (int w : wrt_) slots_[w].needs_grad = true;
  for (Slot& slot : slots_) {
    slot.may_assign.assign(slot.inputs.size(), 0);
    slot.fresh.assign(slot.inputs.size(), 0);
    if (slot.node->kind == NodeKind::op && slot.node->op->blocks_gradient()) continue;
    for (std::size_t k = 0; k < slot.inputs.size(); ++k) {
      Slot& input = slots_[slot.inputs[k]];
      if (input.needs_grad) {
        slot.needs_grad = true;
        slot.input_grads[k] = &input.grad;
        slot.may_assign[k] =
            std::count(slot.inputs.begin(), slot.inputs.end(), slot.inputs[k]) == 1;
      }
    }
  }
  for (Slot& slot : slots_) {
    if (slot.node->kind == NodeKind::op) slot.value = &slot.buffer;
  }
  // Input pointers are stable (an op's buffer, a leaf's value) except a placeholder's, which
  // bind_feed() points at the fed matrix: set the others once, remember where those go.
  for (std::size_t s = 0; s < slots_.size(); ++s) {
    Slot& slot = slots_[s];
    for (std::size_t k = 0; k < slot.inputs.size(); ++k) {
      const Slot& input = slots_[slot.inputs[k]];
      slot.input_values[k] = input.value;
      if (input.node->kind == NodeKind::placeholder) {
        placeholder_uses_.push_back({static_cast<int>(s), static_cast<int>(k)});
      }
    }
  }
  // Note [Static nodes]: slots_ is in topological order, so inputs are decided first.
  for (Slot& slot : slots_) {
    if (slot.node->kind == NodeKind::constant) {
      slot.is_static = true;
    } else if (slot.node->kind == NodeKind::op && !slot.node->op->is_random()) {
      slot.is_static = std::all_of(slot.inputs.begin(), slot.inputs.end(),
                                   [&](int k) { return slots_[k].is_static; });
    }
  }
}

Program::~Program() = default;

// Note [Forward tangents]: forward-mode differentiation along Q directions at once. Each node's
// tangent is a Q × size matrix (column e: element e, column-major, so that an element's Q
// derivatives are contiguous) of the derivatives of its elements along each direction; seeds give
// the wrt nodes' tangents, and each op maps its inputs' tangents to its own (Op::forward_tangent)
// in topological order. An ODE's sensitivity equations need J_y S + J_θ for the state's N × (N + P)
// sensitivities S: with y seeded by S and θ by [0 | I] that is one pass over the right-hand side's
// graph, where reverse mode needs one backward pass per component of y and then the products.
bool Program::forward_tangents(const std::vector<const Matrix*>& seeds) {
  if (seeds.size() != wrt_.size()) {
    throw ed::invalid_argument("forward_tangents: " + std::to_string(seeds.size()) + " seeds for " +
                               std::to_string(wrt_.size()) + " wrt nodes");
  }
  if (rng_ == nullptr) throw ed::invalid_argument("forward_tangents: run forward() first");
  for (Slot& slot : slots_) slot.tangent_of = nullptr;
  for (std::size_t i = 0; i < wrt_.size(); ++i) {
    Slot& slot = slots_[wrt_[i]];
    const Matrix* seed = seeds[i];
    if (!slot.reachable) continue;  // a wrt node the outputs do not depend on
    if (seed && seed->cols() != slot.shape.rows * slot.shape.cols) {
      throw ed::invalid_argument("forward_tangents: the seed of " + detail::describe(*slot.node) +
                                 " has " + std::to_string(seed->cols()) +
                                 " columns, not one per element (" +
                                 std::to_string(slot.shape.rows * slot.shape.cols) + ")");
    }
    slot.tangent_of = seed;
  }
  for (Slot& slot : slots_) {
    if (!slot.reachable || slot.node->kind != NodeKind::op || slot.is_static) continue;
    slot.input_tangents.resize(slot.inputs.size());
    bool any = false;
    for (std::size_t k = 0; k < slot.inputs.size(); ++k) {
      slot.input_tangents[k] = slots_[slot.inputs[k]].tangent_of;
      any = any || slot.input_tangents[k] != nullptr;
    }
    if (!any) continue;
    const Tangents tin(slot.input_tangents.data(), slot.input_tangents.size());
    if (!slot.node->op->forward_tangent(Inputs(slot.input_values.data(), slot.input_values.size()),
                                        *slot.value, tin, slot.tangent)) {
      return false;
    }
    slot.tangent_of = &slot.tangent;
  }
  return true;
}

const Matrix* Program::tangent(std::size_t i) const { return slots_.at(outputs_.at(i)).tangent_of; }

int Program::slot_of(const Node* node) const {
  auto it = index_.find(node);
  return it == index_.end() ? -1 : it->second;
}

void Program::bind_feed(const Feed& feed) {
  for (int p : placeholders_) slots_[p].value = nullptr;
  bool shapes_changed = !shapes_resolved_;
  for (const FeedItem& item : feed) {
    if (!item.key()) throw ed::invalid_argument("feed: a key Tensor is empty");
    const int s = slot_of(item.key().node().get());
    if (s < 0 || !slots_[s].reachable) continue;  // feeding unused placeholders is allowed
    Slot& slot = slots_[s];
    const Node& node = *slot.node;
    if (node.kind != NodeKind::placeholder) {
      throw ed::invalid_argument("feed: " + detail::describe(node) +
                                 " is not a placeholder; only placeholders can be fed");
    }
    const Matrix& value = item.value();
    if (!node.shape.admits(value.rows(), value.cols())) {
      throw ed::invalid_argument("feed: " + detail::describe(node) + " expects shape " +
                                 to_string(node.shape) + " but was fed a matrix of shape " +
                                 to_string(shape_of(value)));
    }
    slot.value = &value;
    if (slot.shape != shape_of(value)) shapes_changed = true;
  }
  for (int p : placeholders_) {
    if (slots_[p].value == nullptr) {
      throw ed::invalid_argument("feed: " + detail::describe(*slots_[p].node) +
                                 " is needed but was not fed");
    }
  }
  for (const auto& [s, k] : placeholder_uses_) {
    slots_[s].input_values[k] = slots_[slots_[s].inputs[k]].value;
  }
  if (shapes_changed) resolve_shapes();
}

void Program::resolve_shapes() {
  std::vector<Shape> shapes;
  for (Slot& slot : slots_) {
    if (!slot.reachable) continue;
    if (slot.node->kind != NodeKind::op) {
      slot.shape = shape_of(*slot.value);
    } else {
      shapes.clear();
      for (int input : slot.inputs) shapes.push_back(slots_[input].shape);
      slot.shape = slot.node->op->shape(shapes);
      slot.buffer.resize(slot.shape.rows, slot.shape.cols);
      slot.static_done = false;  // recomputed once under the new shapes
    }
    if (slot.needs_grad) slot.grad.resize(slot.shape.rows, slot.shape.cols);
  }
  shapes_resolved_ = true;
}

void Program::forward(const Feed& feed, Rng& rng) {
  bind_feed(feed);
  rng_ = &rng;
  for (Slot& slot : slots_) {
    if (!slot.reachable || slot.node->kind != NodeKind::op || slot.static_done) continue;
    OpContext ctx{rng, slot.scratch};
    slot.node->op->forward(Inputs(slot.input_values.data(), slot.input_values.size()), slot.buffer,
                           ctx);
    slot.static_done = slot.is_static;
  }
}

void Program::backward() {
  if (outputs_.empty()) throw ed::invalid_argument("gradient: the program has no output");
  Slot& loss = slots_[outputs_[0]];
  if (loss.value == nullptr || rng_ == nullptr)
    throw ed::invalid_argument("gradient: run forward() first");
  if (loss.shape != Shape{1, 1}) {
    throw ed::invalid_argument("gradient: the loss must be 1×1, but " +
                               detail::describe(*loss.node) + " has shape " +
                               to_string(loss.shape));
  }
  // Gradient buffers are zeroed lazily, just before the first contribution to each (so the
  // memory is cache-hot when the += that follows touches it); a buffer nobody touched is zero.
  for (Slot& slot : slots_) slot.grad_ready = false;
  auto ready = [](Slot& slot) {
    if (!slot.grad_ready) {
      slot.grad.setZero();
      slot.grad_ready = true;
    }
  };
  if (loss.needs_grad) {
    loss.grad.setOnes();
    loss.grad_ready = true;
  }
  for (auto it = slots_.rbegin(); it != slots_.rend(); ++it) {
    Slot& slot = *it;
    // An untouched gradient is zero: nothing to propagate.
    if (!slot.grad_ready || slot.node->kind != NodeKind::op) continue;
    bool any = false;
    const Inputs in(slot.input_values.data(), slot.input_values.size());
    for (std::size_t k = 0; k < slot.inputs.size(); ++k) {
      if (slot.input_grads[k] == nullptr) continue;
      any = true;
      Slot& input = slots_[slot.inputs[k]];
      // Note [Assigned gradients]: the first contribution may overwrite an unzeroed buffer.
      slot.fresh[k] =
          !input.grad_ready && slot.may_assign[k] && slot.node->op->assigns_gradient(in, k);
      if (slot.fresh[k]) {
        input.grad_ready = true;
      } else {
        ready(input);
      }
    }
    if (!any) continue;
    OpContext ctx{*rng_, slot.scratch, slot.fresh.data()};
    slot.node->op->backward(in, slot.buffer, slot.grad, slot.input_grads, ctx);
  }
  for (int w : wrt_) {
    Slot& slot = slots_[w];
    if (slot.grad_ready) continue;
    if (!slot.reachable) {  // a wrt node the loss does not depend on: its shape from the node
      const Shape s = slot.node->kind == NodeKind::op || slot.node->kind == NodeKind::placeholder
                          ? slot.node->shape
                          : shape_of(slot.node->value);
      slot.grad.resize(std::max<Index>(s.rows, 0), std::max<Index>(s.cols, 0));
    }
    ready(slot);
  }
}

std::size_t Program::num_nodes() const { return slots_.size(); }

const Matrix& Program::output(std::size_t i) const {
  const Slot& slot = slots_.at(outputs_.at(i));
  if (slot.value == nullptr) throw ed::invalid_argument("Program::output: run forward() first");
  return *slot.value;
}

const Matrix& Program::gradient(std::size_t i) const { return slots_.at(wrt_.at(i)).grad; }
Matrix& Program::gradient(std::size_t i) { return slots_.at(wrt_.at(i)).grad; }

const Matrix& Program::value(const Tensor& node) const {
  const int s = node ? slot_of(node.node().get()) : -1;
  if (s < 0 || slots_[s].value == nullptr) {
    throw ed::invalid_argument("Program::value: the node is not part of this program");
  }
  return *slots_[s].value;
}

bool Program::contains(const Tensor& node) const { return node && slot_of(node.node().get()) >= 0; }

std::vector<Tensor> Program::variables() const {
  std::vector<Tensor> found;
  for (const Slot& slot : slots_) {
    if (slot.reachable && slot.node->kind == NodeKind::variable) found.emplace_back(slot.node);
  }
  return found;
}

std::vector<Tensor> Program::placeholders() const {
  std::vector<Tensor> found;
  for (int p : placeholders_) found.emplace_back(slots_[p].node);
  return found;
}

std::optional<std::string> Program::row_sharding_obstacle(
    const std::vector<Tensor>& sharded) const {
  std::vector<char> is_sharded(slots_.size(), 0);
  for (const Tensor& t : sharded) {
    const int s = t ? slot_of(t.node().get()) : -1;
    if (s >= 0) is_sharded[s] = 1;
  }
  // A one-time analysis: plain containers (std::vector<bool> has no contiguous storage).
  std::vector<Shape> shapes;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const Slot& slot = slots_[i];
    if (!slot.reachable || slot.node->kind != NodeKind::op) continue;
    const std::size_t n = slot.inputs.size();
    std::unique_ptr<bool[]> flags(new bool[n]);
    bool any = false;
    shapes.clear();
    for (std::size_t k = 0; k < n; ++k) {
      shapes.push_back(slots_[slot.inputs[k]].node->shape);
      flags[k] = is_sharded[slot.inputs[k]] != 0;
      any = any || flags[k];
    }
    if (!any) continue;
    is_sharded[i] = 1;
    if (slot.node->op->is_random() ||
        !slot.node->op->is_row_local(shapes, std::span<const bool>(flags.get(), n))) {
      return detail::describe(*slot.node) + " " + to_string(slot.node->shape);
    }
  }
  return std::nullopt;
}

namespace {
std::string describe_with_shape(const Node& node, const Matrix& m) {
  return detail::describe(node) + " " + to_string(shape_of(m));
}
}  // namespace

std::optional<std::string> Program::first_random_variable(
    const std::vector<Tensor>& allowed) const {
  for (const Slot& slot : slots_) {
    if (!slot.reachable || slot.node->random_variable.empty()) continue;
    const bool ok = std::any_of(allowed.begin(), allowed.end(),
                                [&](const Tensor& t) { return t.node() == slot.node; });
    if (!ok) return slot.node->random_variable + " " + to_string(slot.node->shape);
  }
  return std::nullopt;
}

std::size_t Program::random_node_count() const {
  return static_cast<std::size_t>(std::count_if(slots_.begin(), slots_.end(), [](const Slot& slot) {
    return slot.reachable && slot.node->kind == NodeKind::op && slot.node->op->is_random();
  }));
}

std::optional<std::string> Program::first_random_node() const {
  for (const Slot& slot : slots_) {
    if (slot.reachable && slot.node->kind == NodeKind::op && slot.node->op->is_random()) {
      return detail::describe(*slot.node) + " " + to_string(slot.node->shape);
    }
  }
  return std::nullopt;
}

std::optional<std::string> Program::first_nonfinite_value() const {
  for (const Slot& slot : slots_) {
    if (slot.reachable && slot.value != nullptr && !slot.value->allFinite()) {
      return describe_with_shape(*slot.node, *slot.value);
    }
  }
  return std::nullopt;
}

}  // namespace ed
