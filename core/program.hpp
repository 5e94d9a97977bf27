// Program: a graph compiled once from its outputs, then run forward and backward many times.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "edpp/core/feed.hpp"
#include "edpp/core/fwd.hpp"
#include "edpp/core/tensor.hpp"

namespace ed {

namespace detail {
class ScalarTape;
}

/// Node → replacement pairs applied while compiling: every edge into `first` is redirected to
/// `second`. Inference binds a random variable's value to data or to a point mass this way,
/// without copying the graph.
using Substitutions = std::vector<std::pair<Tensor, Tensor>>;

/// A compiled graph: the nodes reachable from `outputs` in topological order (found iteratively,
/// so depth is unlimited), with value and gradient buffers allocated once.
///
/// Note [Buffer reuse]: buffers are sized on the first run and again only when a placeholder is
/// fed a matrix of another shape; while shapes stay, forward() and backward() allocate nothing
/// (ops keep their temporaries in their node's scratch, which is reused the same way).
class Program {
 public:
  /// @param outputs     the values to compute; outputs[0] is the one backward() differentiates
  /// @param wrt         the nodes whose gradients backward() computes (variables, placeholders)
  /// @param substitutions  edges to redirect while compiling
  /// @throws ed::invalid_argument on an empty tensor or a cycle created by a substitution
  explicit Program(const std::vector<Tensor>& outputs, const std::vector<Tensor>& wrt = {},
                   const Substitutions& substitutions = {});
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  ~Program();

  /// Evaluates every node. @throws ed::invalid_argument when a placeholder is missing from
  /// `feed` or fed a matrix of the wrong shape (naming it), or an op rejects the fed shapes.
  void forward(const Feed& feed, Rng& rng);
  /// Gradients of outputs[0] (which must be 1×1) with respect to `wrt`, using the values of the
  /// last forward(). @throws ed::invalid_argument if outputs[0] is not 1×1 or an op on the path
  /// has no gradient rule.
  void backward();

  /// Note [Forward tangents]: after forward(), the derivatives of every node along Q
  /// directions. seeds[i] is wrt[i]'s tangent, Q rows and one column per element
  /// (column-major), or nullptr for none. Returns false, part-way, when an op on the way has no
  /// forward-mode rule (reverse mode still works there).
  /// @throws ed::invalid_argument before forward() or for a seed of the wrong height.
  bool forward_tangents(const std::vector<const Matrix*>& seeds);
  /// Output i's tangent after forward_tangents() (Q × size), or nullptr where it is zero (the
  /// output does not depend on the seeded nodes).
  const Matrix* tangent(std::size_t i) const;

  std::size_t num_outputs() const { return outputs_.size(); }
  /// Nodes in the compiled graph (leaves included), the count that per-node overhead scales with.
  std::size_t num_nodes() const;
  const Matrix& output(std::size_t i) const;
  /// The gradient of outputs[0] with respect to wrt[i] after backward().
  const Matrix& gradient(std::size_t i) const;
  /// The same, writable (for gradient clipping before an optimizer step).
  Matrix& gradient(std::size_t i);
  /// The value of any node of this program after forward() (after substitution).
  const Matrix& value(const Tensor& node) const;
  /// Whether `node` is part of this program (after substitution).
  bool contains(const Tensor& node) const;
  /// Every variable reachable from the outputs, in topological order.
  std::vector<Tensor> variables() const;
  /// Every placeholder the outputs depend on.
  std::vector<Tensor> placeholders() const;
  /// Note [Row sharding]: whether every output row depends only on the same rows of the
  /// `sharded` placeholders, so the program may run on blocks of their rows. Returns the first
  /// node that prevents it (a random op, or an op that mixes rows, as "transpose [15, ?]"), or
  /// nothing when the program can be sharded.
  std::optional<std::string> row_sharding_obstacle(const std::vector<Tensor>& sharded) const;
  /// The first node (topological order) that is a random variable's own draw (Node::
  /// random_variable) and not in `allowed`, as "Normal [3, 1]"; nothing when there is none.
  std::optional<std::string> first_random_variable(const std::vector<Tensor>& allowed = {}) const;
  /// The first node (topological order) that draws random numbers, as "draw 'gamma' [3, 1]";
  /// nothing when the program is deterministic.
  std::optional<std::string> first_random_node() const;
  /// How many nodes of this program draw random numbers.
  std::size_t random_node_count() const;
  /// The first node (topological order) whose value holds a NaN or ±inf after forward(), as
  /// "op 'name' [3, 1]"; nothing when every value is finite.
  std::optional<std::string> first_nonfinite_value() const;

 private:
  friend class detail::ScalarTape;  // Note [Scalar tapes]: reads the compiled slots
  struct Slot;
  int slot_of(const detail::Node* node) const;
  void bind_feed(const Feed& feed);
  void resolve_shapes();

  std::vector<Slot> slots_;
  std::unordered_map<const detail::Node*, int> index_;
  std::vector<int> outputs_;
  std::vector<int> wrt_;
  std::vector<int> placeholders_;
  std::vector<std::pair<int, int>> placeholder_uses_;  // (slot, input) pairs fed by bind_feed
  bool shapes_resolved_ = false;
  Rng* rng_ = nullptr;  // the engine of the last forward(), lent to ops again in backward()
};

}  // namespace ed
